package org.tensorscope.core.sequence;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.tensor.TensorData;

/** Tensors to and from double values, for frames and fed-back states. */
final class FrameValues {

    private FrameValues() {
    }

    static double[] of(TensorData t) {
        double[] values = new double[Math.toIntExact(t.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = t.getDouble(i);
        }
        return values;
    }

    static TensorData tensor(String name, DType dtype, Shape shape, double[] values) {
        if (dtype.byteSize() <= 0) {
            throw new IllegalArgumentException("input " + name + " is of type " + dtype.displayName()
                    + ", which a sequence cannot feed from numbers");
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(values.length * dtype.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            switch (dtype) {
                case FLOAT32 -> buffer.putFloat((float) v);
                case FLOAT64 -> buffer.putDouble(v);
                case FLOAT16 -> buffer.putShort(Float.floatToFloat16((float) v));
                case BFLOAT16 -> buffer.putShort((short) (Float.floatToRawIntBits((float) v) >>> 16));
                case INT8, UINT8, BOOL -> buffer.put((byte) Math.round(v));
                case INT16, UINT16 -> buffer.putShort((short) Math.round(v));
                case INT32, UINT32 -> buffer.putInt((int) Math.round(v));
                case INT64, UINT64 -> buffer.putLong(Math.round(v));
                default -> throw new IllegalArgumentException("input " + name + " is of type " + dtype.displayName()
                        + ", which a sequence cannot feed from numbers");
            }
        }
        buffer.flip();
        return new TensorData(name, dtype, shape, buffer);
    }
}
