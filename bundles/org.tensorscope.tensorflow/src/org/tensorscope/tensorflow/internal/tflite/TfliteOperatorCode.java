package org.tensorscope.tensorflow.internal.tflite;

import java.nio.ByteBuffer;

/** Table {@code OperatorCode}: a builtin operator's code, or a custom operator's name. */
final class TfliteOperatorCode extends FlatTable {

    /** Codes from 127 on are only in the 32-bit field (schema 3a); the byte field keeps older readers working. */
    private static final int PLACEHOLDER_FOR_GREATER_OP_CODES = 127;

    TfliteOperatorCode(ByteBuffer file, int position) {
        super(file, position);
    }

    /** The BuiltinOperator code; CUSTOM (32) for custom operators. */
    int builtinCode() {
        int deprecated = int8(0, (byte) 0);
        int extended = int32(3, 0);
        return deprecated < PLACEHOLDER_FOR_GREATER_OP_CODES ? Math.max(deprecated, extended) : extended;
    }

    String customCode() {
        return string(1);
    }

    int version() {
        return int32(2, 1);
    }
}
