package org.tensorscope.core.input;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.tensor.TensorData;

/** Builds a tensor of any numeric type from double values. */
final class Tensors {

    private Tensors() {
    }

    static TensorData of(String name, DType dtype, Shape shape, double[] values) {
        if (dtype.byteSize() < 0) {
            throw new IllegalArgumentException("Input " + name + " is of type " + dtype.displayName()
                    + ", which Tensorscope cannot generate");
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
                default -> throw new IllegalArgumentException("Cannot generate " + dtype.displayName() + " values");
            }
        }
        buffer.flip();
        return new TensorData(name, dtype, shape, buffer);
    }
}
