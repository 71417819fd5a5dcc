package org.tensorscope.tensorflow.internal.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import com.google.flatbuffers.Table;

/**
 * A table of a TFLite flatbuffer, read by field number (the n-th field declared in
 * {@code schema.fbs}). Unlike FlatBuffers' generated accessors it checks every offset and vector
 * length against the file, so a truncated or corrupt file fails with an
 * {@link IllegalArgumentException} instead of reading garbage or looping for billions of elements.
 */
abstract class FlatTable extends Table {

    /** @param position where the table starts in the buffer */
    FlatTable(ByteBuffer buffer, int position) {
        ByteBuffer bb = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        checkRange(bb, position, 4, "a table");
        int vtable = position - bb.getInt(position);
        checkRange(bb, vtable, 4, "a table's field list");
        __reset(position, bb);
        checkRange(bb, vtable, Short.toUnsignedInt(bb.getShort(vtable)), "a table's field list");
    }

    /** Where field {@code field} lies in the buffer, 0 when absent. */
    private int slot(int field) {
        int offset = __offset(4 + 2 * field);
        return offset == 0 ? 0 : bb_pos + offset;
    }

    final boolean has(int field) {
        return slot(field) != 0;
    }

    final int int32(int field, int absent) {
        int at = slot(field);
        return at == 0 ? absent : bb.getInt(check(at, 4));
    }

    final long int64(int field, long absent) {
        int at = slot(field);
        return at == 0 ? absent : bb.getLong(check(at, 8));
    }

    final byte int8(int field, byte absent) {
        int at = slot(field);
        return at == 0 ? absent : bb.get(check(at, 1));
    }

    final boolean bool(int field, boolean absent) {
        int at = slot(field);
        return at == 0 ? absent : bb.get(check(at, 1)) != 0;
    }

    final float float32(int field, float absent) {
        int at = slot(field);
        return at == 0 ? absent : bb.getFloat(check(at, 4));
    }

    final String string(int field) {
        int at = slot(field);
        if (at == 0) {
            return null;
        }
        int start = target(at);
        int length = bb.getInt(check(start, 4));
        checkRange(bb, start + 4, length, "a string");
        byte[] bytes = new byte[length];
        bb.get(start + 4, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Elements of a vector field, 0 when absent; the vector is checked to lie inside the file. */
    final int length(int field, int elementSize) {
        int at = slot(field);
        if (at == 0) {
            return 0;
        }
        int start = target(at);
        int length = bb.getInt(check(start, 4));
        if (length < 0 || (long) length * elementSize > bb.limit() - (start + 4L)) {
            throw new IllegalArgumentException("a list of " + Integer.toUnsignedString(length)
                    + " elements runs past the end of the file");
        }
        return length;
    }

    /** Where the first element of a vector field lies (see {@link #length}). */
    private int elements(int field) {
        return target(slot(field)) + 4;
    }

    final int[] ints(int field) {
        int n = length(field, 4);
        int[] values = new int[n];
        for (int i = 0, at = n == 0 ? 0 : elements(field); i < n; i++) {
            values[i] = bb.getInt(at + 4 * i);
        }
        return values;
    }

    final long[] longs(int field) {
        int n = length(field, 8);
        long[] values = new long[n];
        for (int i = 0, at = n == 0 ? 0 : elements(field); i < n; i++) {
            values[i] = bb.getLong(at + 8 * i);
        }
        return values;
    }

    final float[] floats(int field) {
        int n = length(field, 4);
        float[] values = new float[n];
        for (int i = 0, at = n == 0 ? 0 : elements(field); i < n; i++) {
            values[i] = bb.getFloat(at + 4 * i);
        }
        return values;
    }

    final int[] unsignedShorts(int field) {
        int n = length(field, 2);
        int[] values = new int[n];
        for (int i = 0, at = n == 0 ? 0 : elements(field); i < n; i++) {
            values[i] = Short.toUnsignedInt(bb.getShort(at + 2 * i));
        }
        return values;
    }

    final int[] unsignedBytes(int field) {
        int n = length(field, 1);
        int[] values = new int[n];
        for (int i = 0, at = n == 0 ? 0 : elements(field); i < n; i++) {
            values[i] = Byte.toUnsignedInt(bb.get(at + i));
        }
        return values;
    }

    /** A byte vector as a little-endian view into the file, without copying. */
    final ByteBuffer bytes(int field) {
        int n = length(field, 1);
        if (n == 0) {
            return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
        }
        return bb.slice(elements(field), n).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Where the {@code index}-th table of a vector of tables starts. */
    final int table(int field, int index) {
        int at = elements(field) + 4 * index;
        return target(at);
    }

    /** Where the table that field {@code field} points at starts, 0 when absent. */
    final int table(int field) {
        int at = slot(field);
        return at == 0 ? 0 : target(at);
    }

    final ByteBuffer file() {
        return bb;
    }

    /** Follows the unsigned offset stored at {@code at}. */
    private int target(int at) {
        long to = at + Integer.toUnsignedLong(bb.getInt(check(at, 4)));
        if (to > bb.limit() - 4L) {
            throw new IllegalArgumentException("an offset points past the end of the file");
        }
        return (int) to;
    }

    private int check(int at, int size) {
        checkRange(bb, at, size, "a field");
        return at;
    }

    private static void checkRange(ByteBuffer bb, int at, int size, String what) {
        if (at < 0 || size < 0 || (long) at + size > bb.limit()) {
            throw new IllegalArgumentException(what + " lies outside the file");
        }
    }
}
