package org.tensorscope.tensorflow.internal.load;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Reads the values of a Const node's TensorProto, to count the NaN/Inf already in a weight.
 */
final class ConstValues {

    private ConstValues() {
    }

    static long elements(TensorShapeProto shape) {
        long n = 1;
        for (TensorShapeProto.Dim d : shape.getDimList()) {
            n *= Math.max(0, d.getSize());
        }
        return n;
    }

    /** Bytes per element of a fixed-size dtype, 0 for others (strings, resources). */
    static int byteSize(DataType type) {
        return switch (type) {
            case DT_FLOAT, DT_INT32, DT_UINT32 -> 4;
            case DT_DOUBLE, DT_INT64, DT_UINT64 -> 8;
            case DT_HALF, DT_BFLOAT16, DT_INT16, DT_UINT16 -> 2;
            case DT_INT8, DT_UINT8, DT_BOOL -> 1;
            default -> 0;
        };
    }

    static long bytes(TensorProto tensor) {
        int size = byteSize(tensor.getDtype());
        return size == 0 ? tensor.getSerializedSize() : elements(tensor.getTensorShape()) * size;
    }

    /** NaN and ±Inf elements; 0 for integer tensors. */
    static long nonFinite(TensorProto tensor) {
        DataType type = tensor.getDtype();
        long elements = elements(tensor.getTensorShape());
        ByteBuffer content = tensor.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long count = 0;
        switch (type) {
            case DT_FLOAT -> {
                if (content.remaining() > 0) {
                    for (int i = 0; i + 4 <= content.remaining(); i += 4) {
                        count += Float.isFinite(content.getFloat(i)) ? 0 : 1;
                    }
                } else {
                    for (float v : tensor.getFloatValList()) {
                        count += Float.isFinite(v) ? 0 : 1;
                    }
                    count = broadcast(count, tensor.getFloatValCount(), elements);
                }
            }
            case DT_DOUBLE -> {
                if (content.remaining() > 0) {
                    for (int i = 0; i + 8 <= content.remaining(); i += 8) {
                        count += Double.isFinite(content.getDouble(i)) ? 0 : 1;
                    }
                } else {
                    for (double v : tensor.getDoubleValList()) {
                        count += Double.isFinite(v) ? 0 : 1;
                    }
                    count = broadcast(count, tensor.getDoubleValCount(), elements);
                }
            }
            case DT_HALF -> {
                if (content.remaining() > 0) {
                    for (int i = 0; i + 2 <= content.remaining(); i += 2) {
                        count += Float.isFinite(Float.float16ToFloat(content.getShort(i))) ? 0 : 1;
                    }
                } else {
                    for (int v : tensor.getHalfValList()) {
                        count += Float.isFinite(Float.float16ToFloat((short) v)) ? 0 : 1;
                    }
                    count = broadcast(count, tensor.getHalfValCount(), elements);
                }
            }
            default -> {
                return 0;
            }
        }
        return count;
    }

    /** A proto may hold one value standing for every element. */
    private static long broadcast(long count, int listed, long elements) {
        return listed == 1 && elements > 1 ? count * elements : count;
    }
}
