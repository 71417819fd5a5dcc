package org.tensorscope.tensorflow.internal.load;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorscope.core.service.ModelFiles;
import org.tensorscope.core.service.ModelLoadException;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Reads the weights of a TF.js graph model: each manifest group's shards concatenate in
 * {@code paths} order, its weights follow one another without padding, little-endian. Quantized
 * weights are restored: uint8/uint16 {@code v = q*scale + min} (int32 weights rounded), float16 to float32.
 */
public final class TfjsWeights {

    private TfjsWeights() {
    }

    public static Map<String, TensorProto> read(Path modelJson, JsonArray manifest) throws ModelLoadException {
        Map<String, TensorProto> weights = new HashMap<>();
        Path folder = modelJson.toAbsolutePath().getParent();
        for (int g = 0; g < manifest.size(); g++) {
            String where = "weightsManifest[" + g + "]";
            JsonObject group = object(manifest.get(g), where, modelJson);
            List<Weight> declared = new ArrayList<>();
            long needed = 0;
            JsonArray list = array(group, "weights", where, modelJson);
            for (int w = 0; w < list.size(); w++) {
                Weight weight = weight(object(list.get(w), where + ".weights[" + w + "]", modelJson),
                        where + ".weights[" + w + "]", modelJson);
                declared.add(weight);
                needed = addExact(needed, weight.bytes, modelJson, weight.name);
            }
            ByteBuffer data = concatenate(folder, array(group, "paths", where, modelJson), where, needed, modelJson);
            for (Weight weight : declared) {
                ByteBuffer raw = data.slice(data.position(), (int) weight.bytes).order(ByteOrder.LITTLE_ENDIAN);
                data.position(data.position() + (int) weight.bytes);
                weights.put(weight.name, tensor(weight.dtype, weight.stored, weight.quantization, raw,
                        (int) weight.elements, weight.shape, modelJson, weight.name));
            }
        }
        return weights;
    }

    private record Weight(String name, TensorShapeProto shape, long elements, String dtype, String stored,
            JsonObject quantization, long bytes) {
    }

    private static Weight weight(JsonObject weight, String where, Path modelJson) throws ModelLoadException {
        String name = string(weight, "name", where, modelJson);
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        long elements = 1;
        for (JsonElement d : array(weight, "shape", where + " (" + name + ")", modelJson)) {
            long size = integer(d, where + " (" + name + ").shape", modelJson);
            if (size < 0) {
                throw new ModelLoadException(modelJson, "weight " + name + " has a negative dimension " + d);
            }
            shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(size));
            try {
                elements = Math.multiplyExact(elements, size);
            } catch (ArithmeticException e) {
                throw new ModelLoadException(modelJson, "weight " + name + " has a shape whose size overflows: "
                        + weight.get("shape"));
            }
        }
        String dtype = string(weight, "dtype", where + " (" + name + ")", modelJson);
        JsonObject quantization = weight.has("quantization")
                ? object(weight.get("quantization"), where + " (" + name + ").quantization", modelJson)
                : null;
        String stored = quantization != null ? string(quantization, "dtype", where + " (" + name + ").quantization",
                modelJson) : dtype;
        int storedSize = switch (stored) {
            case "float32", "int32" -> 4;
            case "uint16", "float16" -> 2;
            case "uint8", "bool" -> 1;
            default -> throw new ModelLoadException(modelJson, "weight " + name + " has unsupported type " + stored);
        };
        if (quantization != null && (stored.equals("uint8") || stored.equals("uint16"))) {
            number(quantization, "scale", where + " (" + name + ").quantization", modelJson);
            number(quantization, "min", where + " (" + name + ").quantization", modelJson);
        }
        if (elements > ModelFiles.MODEL_FILE_LIMIT / 4) {
            throw new ModelLoadException(modelJson, "weight " + name + " declares " + elements
                    + " elements, more than can be loaded (" + ModelFiles.sizeText(ModelFiles.MODEL_FILE_LIMIT) + ")");
        }
        return new Weight(name, shape.build(), elements, dtype, stored, quantization, elements * storedSize);
    }

    private static long addExact(long total, long bytes, Path modelJson, String name) throws ModelLoadException {
        long sum = total + bytes;
        if (sum > ModelFiles.MODEL_FILE_LIMIT) {
            throw new ModelLoadException(modelJson, "the weights up to " + name + " need " + ModelFiles.sizeText(sum)
                    + ", more than can be loaded (" + ModelFiles.sizeText(ModelFiles.MODEL_FILE_LIMIT) + ")");
        }
        return sum;
    }

    /**
     * The group's shards, each confined to the model's folder and a regular file; together they must
     * hold exactly the bytes the manifest declares, checked before any is read.
     */
    private static ByteBuffer concatenate(Path folder, JsonArray paths, String where, long needed, Path modelJson)
            throws ModelLoadException {
        Path[] shards = new Path[paths.size()];
        long total = 0;
        for (int i = 0; i < shards.length; i++) {
            JsonElement path = paths.get(i);
            if (!path.isJsonPrimitive() || !path.getAsJsonPrimitive().isString()) {
                throw new ModelLoadException(modelJson, where + ".paths[" + i + "] is not a file name: " + path);
            }
            shards[i] = ModelFiles.confined(folder, path.getAsString());
            total += ModelFiles.checkedSize(shards[i], -1, ModelFiles.MODEL_FILE_LIMIT);
            if (total > ModelFiles.MODEL_FILE_LIMIT) {
                throw new ModelLoadException(shards[i], "the weight files of " + where + " exceed "
                        + ModelFiles.sizeText(ModelFiles.MODEL_FILE_LIMIT));
            }
        }
        if (total != needed) {
            String files = shards.length == 1 ? "weight file " + paths.get(0).getAsString()
                    : "weight files " + paths.get(0).getAsString() + " ... " + paths.get(shards.length - 1).getAsString();
            throw new ModelLoadException(modelJson, "the " + files + " " + (shards.length == 1 ? "has " : "have ") + total
                    + " bytes, the weights manifest declares " + needed
                    + (total < needed ? " (missing or truncated shard?)" : " (wrong or corrupt shard?)"));
        }
        ByteBuffer all = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        for (Path shard : shards) {
            long size = ModelFiles.checkedSize(shard, -1, ModelFiles.MODEL_FILE_LIMIT);
            all.put(ModelFiles.readRegularFile(shard, size, all.remaining()));
        }
        return all.flip();
    }

    private static JsonObject object(JsonElement e, String where, Path modelJson) throws ModelLoadException {
        if (e == null || !e.isJsonObject()) {
            throw new ModelLoadException(modelJson, where + " should be an object, not " + TfjsJson.kind(e));
        }
        return e.getAsJsonObject();
    }

    private static JsonArray array(JsonObject o, String key, String where, Path modelJson) throws ModelLoadException {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonArray()) {
            throw new ModelLoadException(modelJson, where + "." + key + " should be a list, not " + TfjsJson.kind(e));
        }
        return e.getAsJsonArray();
    }

    private static String string(JsonObject o, String key, String where, Path modelJson) throws ModelLoadException {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new ModelLoadException(modelJson, where + "." + key + " should be a string, not " + TfjsJson.kind(e));
        }
        return e.getAsString();
    }

    private static double number(JsonObject o, String key, String where, Path modelJson) throws ModelLoadException {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new ModelLoadException(modelJson, where + "." + key + " should be a number, not " + TfjsJson.kind(e));
        }
        return e.getAsDouble();
    }

    private static long integer(JsonElement e, String where, Path modelJson) throws ModelLoadException {
        try {
            if (e.isJsonPrimitive()) {
                return e.getAsJsonPrimitive().getAsBigDecimal().longValueExact();
            }
        } catch (NumberFormatException | ArithmeticException ex) {
            // refused below
        }
        throw new ModelLoadException(modelJson, where + " should hold whole numbers, not " + e);
    }

    private static TensorProto tensor(String dtype, String stored, JsonObject quantization, ByteBuffer raw, int n,
            TensorShapeProto shape, Path modelJson, String name) throws ModelLoadException {
        TensorProto.Builder proto = TensorProto.newBuilder().setTensorShape(shape);
        // read once, not per value: the JSON keeps numbers as text, parsed again on every read
        double scale = quantization != null && quantization.has("scale") ? quantization.get("scale").getAsDouble() : 1;
        double min = quantization != null && quantization.has("min") ? quantization.get("min").getAsDouble() : 0;
        ByteBuffer out;
        switch (dtype) {
            case "float32" -> {
                proto.setDtype(DataType.DT_FLOAT);
                out = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < n; i++) {
                    out.putFloat((float) value(stored, scale, min, raw, i));
                }
            }
            case "int32" -> {
                proto.setDtype(DataType.DT_INT32);
                out = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < n; i++) {
                    out.putInt(stored.equals("int32") ? raw.getInt(i * 4)
                            : (int) Math.round(value(stored, scale, min, raw, i)));
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

    /** A stored value, dequantized ({@code q * scale + min}, rounded to float32 as TF.js does) when stored as uint8 or uint16. */
    private static double value(String stored, double scale, double min, ByteBuffer raw, int i) {
        return switch (stored) {
            case "float32" -> raw.getFloat(i * 4);
            case "int32" -> raw.getInt(i * 4);
            case "float16" -> Float.float16ToFloat(raw.getShort(i * 2));
            case "uint8" -> (float) ((raw.get(i) & 0xff) * scale + min);
            case "uint16" -> (float) ((raw.getShort(i * 2) & 0xffff) * scale + min);
            default -> raw.get(i);
        };
    }
}
