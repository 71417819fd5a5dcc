package org.tensorscope.tensorflow.internal.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

import com.google.protobuf.ByteString;

/**
 * The value of a TFLite constant tensor as a TensorFlow {@link TensorProto}: raw bytes kept as
 * they are, float16 widened to float32, and (when the model runs dequantized) integer-quantized
 * values turned into {@code scale * (q - zero_point)}, per tensor or per channel.
 */
final class ConstTensors {

    private ConstTensors() {
    }

    /** TensorFlow's type for a TFLite tensor type; DT_INVALID when TensorFlow has none. */
    static DataType tfType(int tfliteType) {
        return switch (tfliteType) {
            case TfliteTensor.FLOAT32 -> DataType.DT_FLOAT;
            case TfliteTensor.FLOAT16 -> DataType.DT_HALF;
            case TfliteTensor.INT32 -> DataType.DT_INT32;
            case TfliteTensor.UINT8 -> DataType.DT_UINT8;
            case TfliteTensor.INT64 -> DataType.DT_INT64;
            case TfliteTensor.STRING -> DataType.DT_STRING;
            case TfliteTensor.BOOL -> DataType.DT_BOOL;
            case TfliteTensor.INT16 -> DataType.DT_INT16;
            case TfliteTensor.COMPLEX64 -> DataType.DT_COMPLEX64;
            case TfliteTensor.INT8 -> DataType.DT_INT8;
            case TfliteTensor.FLOAT64 -> DataType.DT_DOUBLE;
            default -> DataType.DT_INVALID;
        };
    }

    static int byteSize(int tfliteType) {
        return switch (tfliteType) {
            case TfliteTensor.FLOAT32, TfliteTensor.INT32 -> 4;
            case TfliteTensor.FLOAT16, TfliteTensor.INT16 -> 2;
            case TfliteTensor.UINT8, TfliteTensor.INT8, TfliteTensor.BOOL -> 1;
            case TfliteTensor.INT64, TfliteTensor.FLOAT64, TfliteTensor.COMPLEX64 -> 8;
            default -> -1;
        };
    }

    static TensorShapeProto shape(int[] dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (int d : dims) {
            shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
        }
        return shape.build();
    }

    /**
     * @param dequantize whether an integer tensor with quantization parameters becomes float32
     * @throws IllegalArgumentException when the buffer does not hold the bytes the shape and type need
     */
    static TensorProto of(TfliteTensor tensor, ByteBuffer data, boolean dequantize) {
        int type = tensor.type();
        int[] shape = tensor.shape();
        long elements = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("constant " + tensor.name() + " has an unknown dimension in its shape");
            }
            elements = Math.multiplyExact(elements, d);
        }
        int size = byteSize(type);
        if (size < 0) {
            throw new IllegalArgumentException("constant " + tensor.name() + " is of type " + TfliteTensor.typeName(type)
                    + ", which Tensorscope cannot read");
        }
        TfliteSparsity sparsity = tensor.sparsity();
        if (sparsity != null) {
            data = sparsity.densify(tensor.name(), data, size, shape);
        }
        if ((long) data.remaining() != elements * size) {
            throw new IllegalArgumentException("constant " + tensor.name() + " holds " + data.remaining()
                    + " bytes where its shape " + java.util.Arrays.toString(shape) + " of "
                    + TfliteTensor.typeName(type) + " needs " + elements * size);
        }
        ByteBuffer in = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        TfliteQuantization q = tensor.quantization();
        boolean quantized = q != null && q.isQuantized() && isInteger(type);
        if (type == TfliteTensor.FLOAT16) {
            ByteBuffer out = ByteBuffer.allocate((int) elements * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < elements; i++) {
                out.putFloat(Float.float16ToFloat(in.getShort(2 * i)));
            }
            return proto(DataType.DT_FLOAT, shape, out.flip());
        }
        if (quantized && dequantize) {
            return proto(DataType.DT_FLOAT, shape, dequantized(tensor.name(), type, shape, in, q, (int) elements));
        }
        return proto(tfType(type), shape, in);
    }

    static boolean isInteger(int type) {
        return type == TfliteTensor.INT8 || type == TfliteTensor.UINT8 || type == TfliteTensor.INT16
                || type == TfliteTensor.INT32 || type == TfliteTensor.INT64;
    }

    private static ByteBuffer dequantized(String name, int type, int[] shape, ByteBuffer in, TfliteQuantization q,
            int elements) {
        float[] scale = q.scale();
        long[] zero = q.zeroPoint();
        int axis = q.quantizedDimension();
        int channels = scale.length;
        if (channels > 1 && (axis < 0 || axis >= shape.length || shape[axis] != channels)) {
            throw new IllegalArgumentException("constant " + name + " has " + channels + " scales for dimension "
                    + axis + " of shape " + java.util.Arrays.toString(shape));
        }
        int inner = 1;
        for (int d = axis + 1; channels > 1 && d < shape.length; d++) {
            inner *= shape[d];
        }
        ByteBuffer out = ByteBuffer.allocate(elements * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < elements; i++) {
            int c = channels > 1 ? (i / inner) % channels : 0;
            long value = switch (type) {
                case TfliteTensor.INT8 -> in.get(i);
                case TfliteTensor.UINT8 -> Byte.toUnsignedInt(in.get(i));
                case TfliteTensor.INT16 -> in.getShort(2 * i);
                case TfliteTensor.INT32 -> in.getInt(4 * i);
                default -> in.getLong(8 * i);
            };
            long zeroPoint = zero.length == 0 ? 0 : zero[Math.min(c, zero.length - 1)];
            out.putFloat((float) (scale[c] * (double) (value - zeroPoint)));
        }
        return out.flip();
    }

    static TensorProto proto(DataType type, int[] shape, ByteBuffer bytes) {
        return TensorProto.newBuilder().setDtype(type).setTensorShape(shape(shape))
                .setTensorContent(ByteString.copyFrom(bytes.duplicate())).build();
    }
}
