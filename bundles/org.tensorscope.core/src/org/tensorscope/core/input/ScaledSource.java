package org.tensorscope.core.input;

import java.io.IOException;

import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.tensor.TensorData;

/** Another source times a factor, e.g. {@code ramp*1e38}. */
final class ScaledSource implements InputSource {

    private final InputSource inner;
    private final double factor;
    private final String text;

    ScaledSource(InputSource inner, double factor, String text) {
        this.inner = inner;
        this.factor = factor;
        this.text = text;
    }

    @Override
    public TensorData create(TensorSpec input) throws IOException {
        TensorData base = inner.create(input);
        double[] values = new double[Math.toIntExact(base.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = base.getDouble(i) * factor;
        }
        return Tensors.of(input.name(), base.dtype(), base.shape(), values);
    }

    @Override
    public String describe() {
        return text;
    }

    @Override
    public double[] promisedRange() {
        double[] r = inner.promisedRange();
        double a = r[0] * factor;
        double b = r[1] * factor;
        return new double[] { Math.min(a, b), Math.max(a, b) };
    }
}
