package org.tensorscope.onnx.internal.load;

import org.tensorscope.core.model.DType;

/**
 * ONNX element types (TensorProto.DataType) as Tensorscope's.
 */
public final class OnnxDataTypes {

    public static final int FLOAT = 1;
    public static final int INT32 = 6;
    public static final int INT64 = 7;
    public static final int BOOL = 9;
    public static final int FLOAT16 = 10;
    public static final int DOUBLE = 11;
    public static final int UINT64 = 13;
    public static final int BFLOAT16 = 16;

    private OnnxDataTypes() {
    }

    public static DType dtype(int onnxType) {
        return switch (onnxType) {
            case FLOAT -> DType.FLOAT32;
            case 2 -> DType.UINT8;
            case 3 -> DType.INT8;
            case 4 -> DType.UINT16;
            case 5 -> DType.INT16;
            case INT32 -> DType.INT32;
            case INT64 -> DType.INT64;
            case 8 -> DType.STRING;
            case BOOL -> DType.BOOL;
            case FLOAT16 -> DType.FLOAT16;
            case DOUBLE -> DType.FLOAT64;
            case 12 -> DType.UINT32;
            case UINT64 -> DType.UINT64;
            case BFLOAT16 -> DType.BFLOAT16;
            default -> DType.OTHER;
        };
    }
}
