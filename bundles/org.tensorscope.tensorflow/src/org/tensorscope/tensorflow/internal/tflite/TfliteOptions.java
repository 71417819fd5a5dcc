package org.tensorscope.tensorflow.internal.tflite;

import java.nio.ByteBuffer;

/**
 * One of the {@code BuiltinOptions} tables ({@code Conv2DOptions}, {@code Pool2DOptions}...). They
 * are all tables of scalars and int lists, read here by field number; {@link OperatorConverter}
 * names the fields it reads after the schema.
 */
final class TfliteOptions extends FlatTable {

    /** Options of an operator that has none: every field reads as its default. */
    static final TfliteOptions NONE = new TfliteOptions(emptyTable(), 4);

    TfliteOptions(ByteBuffer file, int position) {
        super(file, position);
    }

    int integer(int field, int absent) {
        return int32(field, absent);
    }

    int enumByte(int field) {
        return int8(field, (byte) 0);
    }

    boolean flag(int field, boolean absent) {
        return bool(field, absent);
    }

    float real(int field, float absent) {
        return float32(field, absent);
    }

    int[] integers(int field) {
        return ints(field);
    }

    /** A table with no fields: its field list (4 bytes: its own size, the table's size) sits before it. */
    private static ByteBuffer emptyTable() {
        ByteBuffer bb = ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        bb.putShort(0, (short) 4).putShort(2, (short) 4).putInt(4, 4);
        return bb;
    }
}
