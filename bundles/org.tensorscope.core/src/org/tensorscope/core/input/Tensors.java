package org.tensorscope.core.input;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.IntToDoubleFunction;

import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.report.Numbers;
import org.tensorscope.core.tensor.TensorData;

/** Builds a tensor of any numeric type from double values, refusing values an integer type cannot hold. */
public final class Tensors {

    private Tensors() {
    }

    public static TensorData of(String name, DType dtype, Shape shape, double[] values) {
        return of(name, dtype, shape, values.length, i -> values[i]);
    }

    /**
     * A tensor of {@code count} values computed one by one into its buffer (a generated input: no array of doubles
     * beside it, which would take twice the memory of a float32 tensor and more).
     */
    public static TensorData of(String name, DType dtype, Shape shape, int count, IntToDoubleFunction values) {
        if (dtype.byteSize() < 0) {
            throw new IllegalArgumentException("input " + name + " is of type " + dtype.displayName()
                    + ", which Tensorscope cannot make from numbers");
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(Math.multiplyExact(count, dtype.byteSize()))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            double v = values.applyAsDouble(i);
            switch (dtype) {
                case FLOAT32 -> buffer.putFloat((float) v);
                case FLOAT64 -> buffer.putDouble(v);
                case FLOAT16 -> buffer.putShort(Float.floatToFloat16((float) v));
                case BFLOAT16 -> buffer.putShort((short) (Float.floatToRawIntBits((float) v) >>> 16));
                case BOOL -> buffer.put((byte) (integral(name, dtype, v, i, Double.NEGATIVE_INFINITY,
                        Double.POSITIVE_INFINITY) != 0 ? 1 : 0));
                case INT8 -> buffer.put((byte) integral(name, dtype, v, i, Byte.MIN_VALUE, Byte.MAX_VALUE));
                case UINT8 -> buffer.put((byte) integral(name, dtype, v, i, 0, 255));
                case INT16 -> buffer.putShort((short) integral(name, dtype, v, i, Short.MIN_VALUE, Short.MAX_VALUE));
                case UINT16 -> buffer.putShort((short) integral(name, dtype, v, i, 0, 65535));
                case INT32 -> buffer.putInt((int) integral(name, dtype, v, i, Integer.MIN_VALUE, Integer.MAX_VALUE));
                case UINT32 -> buffer.putInt((int) integral(name, dtype, v, i, 0, 4294967295.0));
                // the largest double below 2^63, which a long cannot hold
                case INT64 -> buffer.putLong(integral(name, dtype, v, i, -0x1p63, 0x1p63 - 1024));
                case UINT64 -> buffer.putLong(integral(name, dtype, v, i, 0, 0x1p63 - 1024));
                default -> throw new IllegalArgumentException("Cannot generate " + dtype.displayName() + " values");
            }
        }
        buffer.flip();
        return new TensorData(name, dtype, shape, buffer);
    }

    /**
     * A value rounded for an integer input; one the type cannot hold is refused rather than wrapped around
     * ({@code const:300} for a uint8 input would silently become 44).
     */
    private static long integral(String name, DType dtype, double v, int index, double min, double max) {
        if (Double.isNaN(v) || v < min - 0.5 || v >= max + 0.5) {
            throw new IllegalArgumentException("input " + name + " is of type " + dtype.displayName()
                    + ", which cannot hold " + Numbers.format(v) + " (element " + index + "); its values must lie in "
                    + bound(min) + " .. " + bound(max));
        }
        return Math.round(v);
    }

    private static String bound(double b) {
        return Math.abs(b) < 0x1p53 ? Long.toString((long) b) : Numbers.format(b);
    }
}
