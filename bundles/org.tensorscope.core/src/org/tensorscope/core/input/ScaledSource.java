package org.tensorscope.core.input;

import java.io.IOException;

import org.tensorscope.core.model.DType;
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

    /**
     * An integer input is scaled from the source's exact values and rounded once: {@code ramp*255} on an int32
     * image gives 0, 7, 14..., not the ramp rounded to 0 and 1 and then scaled.
     */
    @Override
    public TensorData create(TensorSpec input) throws IOException {
        boolean exact = input.dtype().isFloating() || input.dtype().byteSize() < 0;
        TensorData base = inner.create(exact ? input : new TensorSpec(input.name(), DType.FLOAT64, input.shape()));
        DType dtype = !exact && base.dtype() == DType.FLOAT64 ? input.dtype() : base.dtype();
        return Tensors.of(input.name(), dtype, base.shape(), Math.toIntExact(base.size()), i -> base.getDouble(i) * factor);
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
