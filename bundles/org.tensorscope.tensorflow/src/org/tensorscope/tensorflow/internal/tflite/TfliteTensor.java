package org.tensorscope.tensorflow.internal.tflite;

import java.nio.ByteBuffer;

/** Table {@code Tensor}: shape, element type, the buffer holding a constant's bytes, name, quantization. */
final class TfliteTensor extends FlatTable {

    static final int FLOAT32 = 0;
    static final int FLOAT16 = 1;
    static final int INT32 = 2;
    static final int UINT8 = 3;
    static final int INT64 = 4;
    static final int STRING = 5;
    static final int BOOL = 6;
    static final int INT16 = 7;
    static final int COMPLEX64 = 8;
    static final int INT8 = 9;
    static final int FLOAT64 = 10;

    private static final String[] TYPE_NAMES = { "float32", "float16", "int32", "uint8", "int64", "string", "bool",
            "int16", "complex64", "int8", "float64", "complex128", "uint64", "resource", "variant", "uint32", "uint16",
            "int4", "bfloat16" };

    TfliteTensor(ByteBuffer file, int position) {
        super(file, position);
    }

    int[] shape() {
        return ints(0);
    }

    /** The shape with -1 for dimensions unknown until run time, when the file has it; else {@link #shape()}. */
    int[] shapeSignature() {
        return has(7) ? ints(7) : shape();
    }

    int type() {
        return int8(1, (byte) FLOAT32);
    }

    static String typeName(int type) {
        return type >= 0 && type < TYPE_NAMES.length ? TYPE_NAMES[type] : "type " + type;
    }

    /** Index into the model's buffers; 0 (the empty buffer) for tensors computed at run time. */
    long buffer() {
        return Integer.toUnsignedLong(int32(2, 0));
    }

    String name() {
        String name = string(3);
        return name == null ? "" : name;
    }

    /** Null when the tensor has no quantization parameters. */
    TfliteQuantization quantization() {
        int at = table(4);
        return at == 0 ? null : new TfliteQuantization(file(), at);
    }

    boolean isVariable() {
        return bool(5, false);
    }

    /** Null when the tensor is dense. */
    TfliteSparsity sparsity() {
        int at = table(6);
        return at == 0 ? null : new TfliteSparsity(file(), at);
    }
}
