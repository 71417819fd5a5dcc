package org.tensorscope.core.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.Shape;

/**
 * Tensors of byte strings ({@link DType#STRING}, e.g. serialized {@code tf.Example}s) held in a
 * {@link TensorData}: the elements in row-major order, each as its length (int32, little-endian)
 * followed by its bytes.
 */
public final class StringTensors {

    private StringTensors() {
    }

    /** A string tensor of the given shape holding one byte string per element. */
    public static TensorData of(String name, Shape shape, List<byte[]> values) {
        if (shape.numElements() != values.size()) {
            throw new IllegalArgumentException("Tensor " + name + " of shape " + shape + " needs " + shape.numElements()
                    + " strings, got " + values.size());
        }
        int size = values.stream().mapToInt(v -> Integer.BYTES + v.length).sum();
        ByteBuffer buffer = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        for (byte[] value : values) {
            buffer.putInt(value.length).put(value);
        }
        buffer.flip();
        return new TensorData(name, DType.STRING, shape, buffer);
    }

    /** The elements of a string tensor, in row-major order. */
    public static List<byte[]> values(TensorData tensor) {
        if (tensor.dtype() != DType.STRING) {
            throw new IllegalArgumentException("Tensor " + tensor.name() + " holds " + tensor.dtype().displayName()
                    + " values, not strings");
        }
        ByteBuffer bytes = tensor.bytes();
        List<byte[]> values = new ArrayList<>();
        for (long i = 0; i < tensor.size(); i++) {
            if (bytes.remaining() < Integer.BYTES) {
                throw new IllegalArgumentException("Tensor " + tensor.name() + " holds fewer strings than its shape "
                        + tensor.shape() + " needs");
            }
            int length = bytes.getInt();
            if (length < 0 || length > bytes.remaining()) {
                throw new IllegalArgumentException("Tensor " + tensor.name() + ": string " + i + " is cut short");
            }
            byte[] value = new byte[length];
            bytes.get(value);
            values.add(value);
        }
        return values;
    }
}
