package org.tensorscope.core.sequence;

import org.tensorscope.core.input.Tensors;
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
        return Tensors.of(name, dtype, shape, values);
    }
}
