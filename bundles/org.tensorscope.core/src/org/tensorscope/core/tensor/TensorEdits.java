package org.tensorscope.core.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** New tensors made from others by the user's edits: one value changed, or every value clipped. */
public final class TensorEdits {

    private TensorEdits() {
    }

    /** A copy with one element replaced. */
    public static TensorData withValue(TensorData tensor, long index, double value) {
        requireFloating(tensor);
        ByteBuffer copy = copy(tensor);
        put(tensor, copy, index, value);
        return new TensorData(tensor.name(), tensor.dtype(), tensor.shape(), copy);
    }

    /** A copy with every value clipped to [lo, hi], infinities included; NaN stays NaN as in numpy.clip. */
    public static TensorData clipped(TensorData tensor, double lo, double hi) {
        requireFloating(tensor);
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("The range " + lo + ".." + hi + " is empty");
        }
        ByteBuffer copy = copy(tensor);
        for (long i = 0; i < tensor.size(); i++) {
            double v = tensor.getDouble(i);
            if (v < lo || v > hi) {
                put(tensor, copy, i, Math.max(lo, Math.min(hi, v)));
            }
        }
        return new TensorData(tensor.name(), tensor.dtype(), tensor.shape(), copy);
    }

    private static void requireFloating(TensorData tensor) {
        switch (tensor.dtype()) {
            case FLOAT16, FLOAT32, FLOAT64 -> { }
            default -> throw new IllegalArgumentException(tensor.name() + " holds " + tensor.dtype().displayName()
                    + " values; only float16, float32 and float64 tensors can be edited");
        }
    }

    private static ByteBuffer copy(TensorData tensor) {
        ByteBuffer source = tensor.bytes();
        ByteBuffer copy = ByteBuffer.allocate(source.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        copy.put(source).flip();
        return copy;
    }

    private static void put(TensorData tensor, ByteBuffer buffer, long index, double value) {
        int i = Math.toIntExact(index);
        switch (tensor.dtype()) {
            case FLOAT32 -> buffer.putFloat(i * 4, (float) value);
            case FLOAT64 -> buffer.putDouble(i * 8, value);
            case FLOAT16 -> buffer.putShort(i * 2, Float.floatToFloat16((float) value));
            default -> throw new IllegalStateException();
        }
    }
}
