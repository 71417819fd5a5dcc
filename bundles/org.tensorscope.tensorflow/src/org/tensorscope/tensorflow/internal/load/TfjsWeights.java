package org.tensorscope.tensorflow.internal.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorscope.core.service.ModelLoadException;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Reads the weights of a TF.js graph model: each manifest group's shards concatenate in
 * {@code paths} order, its weights follow one another without padding, little-endian. Quantized
 * weights are restored: uint8/uint16 {@code v = q*scale + min} (int32 weights rounded), float16 to float32.
 */
final class TfjsWeights {

    private TfjsWeights() {
    }

    static Map<String, TensorProto> read(Path modelJson, JsonArray manifest) throws ModelLoadException {
        Map<String, TensorProto> weights = new HashMap<>();
        Path folder = modelJson.toAbsolutePath().getParent();
        for (JsonElement groupElement : manifest) {
            JsonObject group = groupElement.getAsJsonObject();
            ByteBuffer data = concatenate(folder, group.getAsJsonArray("paths"), modelJson);
            for (JsonElement w : group.getAsJsonArray("weights")) {
                JsonObject weight = w.getAsJsonObject();
                String name = weight.get("name").getAsString();
                TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
                long elements = 1;
                for (JsonElement d : weight.getAsJsonArray("shape")) {
                    if (d.getAsLong() < 0) {
                        throw new ModelLoadException(modelJson, "weight " + name + " has a negative dimension " + d);
                    }
                    shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d.getAsLong()));
                    elements *= d.getAsLong();
                }
                String dtype = weight.get("dtype").getAsString();
                JsonObject quantization = weight.has("quantization") ? weight.getAsJsonObject("quantization") : null;
                String stored = quantization != null ? quantization.get("dtype").getAsString() : dtype;
                int storedSize = switch (stored) {
                    case "float32", "int32" -> 4;
                    case "uint16", "float16" -> 2;
                    case "uint8", "bool" -> 1;
                    default -> throw new ModelLoadException(modelJson, "weight " + name + " has unsupported type " + stored);
                };
                long bytes = elements * storedSize;
                if (data.remaining() < bytes) {
                    throw new ModelLoadException(modelJson, "the weight files are too short: weight " + name + " needs "
                            + bytes + " more bytes, " + data.remaining() + " are left (missing or truncated shard?)");
                }
                ByteBuffer raw = data.slice(data.position(), (int) bytes).order(ByteOrder.LITTLE_ENDIAN);
                data.position(data.position() + (int) bytes);
                weights.put(name, tensor(dtype, stored, quantization, raw, (int) elements, shape.build(), modelJson, name));
            }
        }
        return weights;
    }

    private static ByteBuffer concatenate(Path folder, JsonArray paths, Path modelJson) throws ModelLoadException {
        byte[][] parts = new byte[paths.size()][];
        int total = 0;
        for (int i = 0; i < parts.length; i++) {
            Path shard = folder.resolve(paths.get(i).getAsString());
            try {
                parts[i] = Files.readAllBytes(shard);
            } catch (NoSuchFileException e) {
                throw new ModelLoadException(modelJson, "weight shard " + paths.get(i).getAsString() + " is missing");
            } catch (IOException e) {
                throw new ModelLoadException(modelJson, "weight shard " + shard.getFileName() + " cannot be read: "
                        + e.getMessage(), e);
            }
            total += parts[i].length;
        }
        ByteBuffer all = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        for (byte[] part : parts) {
            all.put(part);
        }
        return all.flip();
    }

    private static TensorProto tensor(String dtype, String stored, JsonObject quantization, ByteBuffer raw, int n,
            TensorShapeProto shape, Path modelJson, String name) throws ModelLoadException {
        TensorProto.Builder proto = TensorProto.newBuilder().setTensorShape(shape);
        ByteBuffer out;
        switch (dtype) {
            case "float32" -> {
                proto.setDtype(DataType.DT_FLOAT);
                out = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < n; i++) {
                    out.putFloat((float) value(stored, quantization, raw, i));
                }
            }
            case "int32" -> {
                proto.setDtype(DataType.DT_INT32);
                out = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < n; i++) {
                    out.putInt(stored.equals("int32") ? raw.getInt(i * 4)
                            : (int) Math.round(value(stored, quantization, raw, i)));
                }
            }
            case "bool" -> {
                proto.setDtype(DataType.DT_BOOL);
                out = ByteBuffer.allocate(n);
                for (int i = 0; i < n; i++) {
                    out.put(raw.get(i));
                }
            }
            default -> throw new ModelLoadException(modelJson, "weight " + name + " has unsupported type " + dtype);
        }
        return proto.setTensorContent(com.google.protobuf.ByteString.copyFrom(out.array())).build();
    }

    private static double value(String stored, JsonObject quantization, ByteBuffer raw, int i) {
        return switch (stored) {
            case "float32" -> raw.getFloat(i * 4);
            case "int32" -> raw.getInt(i * 4);
            case "float16" -> Float.float16ToFloat(raw.getShort(i * 2));
            case "uint8" -> dequantize(raw.get(i) & 0xff, quantization);
            case "uint16" -> dequantize(raw.getShort(i * 2) & 0xffff, quantization);
            default -> raw.get(i);
        };
    }

    private static double dequantize(int q, JsonObject quantization) {
        double scale = quantization.get("scale").getAsDouble();
        double min = quantization.get("min").getAsDouble();
        return (float) (q * scale + min);
    }
}
