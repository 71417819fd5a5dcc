package org.tensorscope.core.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.Shape;

/**
 * The values of one concrete tensor, as little-endian bytes in row-major (C) order.
 * Kept as a buffer, not a Java array, so that large activations can stay off the heap.
 */
public final class TensorData {

    private final String name;
    private final DType dtype;
    private final Shape shape;
    private final ByteBuffer data;
    private final long size;

    public TensorData(String name, DType dtype, Shape shape, ByteBuffer data) {
        this.name = Objects.requireNonNull(name);
        this.dtype = Objects.requireNonNull(dtype);
        this.shape = Objects.requireNonNull(shape);
        if (!shape.isFullyDefined()) {
            throw new IllegalArgumentException("Tensor " + name + " needs a concrete shape, not " + shape);
        }
        this.data = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        this.size = shape.numElements();
        long expected = size * dtype.byteSize();
        if (dtype.byteSize() > 0 && this.data.remaining() != expected) {
            throw new IllegalArgumentException("Tensor " + name + " of shape " + shape + " and type "
                    + dtype.displayName() + " needs " + expected + " bytes, got " + this.data.remaining());
        }
    }

    /** A float32 tensor holding the given values. */
    public static TensorData ofFloats(String name, Shape shape, float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return new TensorData(name, DType.FLOAT32, shape, buffer);
    }

    public String name() {
        return name;
    }

    public DType dtype() {
        return dtype;
    }

    public Shape shape() {
        return shape;
    }

    public long size() {
        return size;
    }

    /** A read-only little-endian view of the bytes. */
    public ByteBuffer bytes() {
        return data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The element at a flat (row-major) index, widened to double. */
    public double getDouble(long index) {
        int i = Math.toIntExact(index);
        int base = data.position();
        return switch (dtype) {
            case FLOAT32 -> data.getFloat(base + i * 4);
            case FLOAT64 -> data.getDouble(base + i * 8);
            case FLOAT16 -> Float.float16ToFloat(data.getShort(base + i * 2));
            case BFLOAT16 -> Float.intBitsToFloat((data.getShort(base + i * 2) & 0xffff) << 16);
            case INT8 -> data.get(base + i);
            case UINT8, BOOL -> data.get(base + i) & 0xff;
            case INT16 -> data.getShort(base + i * 2);
            case UINT16 -> data.getShort(base + i * 2) & 0xffff;
            case INT32 -> data.getInt(base + i * 4);
            case UINT32 -> data.getInt(base + i * 4) & 0xffffffffL;
            case INT64, UINT64 -> data.getLong(base + i * 8);
            default -> throw new UnsupportedOperationException(
                    "Tensor " + name + " holds " + dtype.displayName() + " values, which have no numeric view");
        };
    }

    /** The row-major position of a flat index, e.g. 5 in [2,3] is [1,2]. */
    public long[] position(long index) {
        long[] dims = shape.dims();
        long[] pos = new long[dims.length];
        for (int d = dims.length - 1; d >= 0; d--) {
            pos[d] = dims[d] == 0 ? 0 : index % dims[d];
            index = dims[d] == 0 ? 0 : index / dims[d];
        }
        return pos;
    }
}
