package org.tensorscope.core.input;

import java.util.Random;
import java.util.function.LongToDoubleFunction;

import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.tensor.TensorData;

/** Values computed from the element index: ramp, constants and seeded random numbers. */
final class GeneratedSource implements InputSource {

    private final String text;
    private final double[] range;
    private final java.util.function.Function<Long, LongToDoubleFunction> valuesForSize;

    private GeneratedSource(String text, double[] range, java.util.function.Function<Long, LongToDoubleFunction> values) {
        this.text = text;
        this.range = range;
        this.valuesForSize = values;
    }

    static GeneratedSource ramp() {
        return new GeneratedSource("ramp", new double[] { 0, 1 }, n -> i -> ((i * 7) % 255) / 255.0);
    }

    static GeneratedSource constant(double value, String text) {
        return new GeneratedSource(text, new double[] { value, value }, n -> i -> value);
    }

    static GeneratedSource uniform(double lo, double hi, long seed, String text) {
        return new GeneratedSource(text, new double[] { lo, hi }, n -> {
            Random random = new Random(seed);
            return i -> lo + (hi - lo) * random.nextDouble();
        });
    }

    static GeneratedSource normal(double mean, double std, long seed, String text) {
        return new GeneratedSource(text, new double[] { Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY }, n -> {
            Random random = new Random(seed);
            return i -> mean + std * random.nextGaussian();
        });
    }

    @Override
    public TensorData create(TensorSpec input) {
        Shape shape = Shapes.concrete(input);
        TensorBudget.check("input " + input.name(), shape, input.dtype());
        long n = shape.numElements();
        LongToDoubleFunction values = valuesForSize.apply(n);
        return Tensors.of(input.name(), input.dtype(), shape, Math.toIntExact(n), values::applyAsDouble);
    }

    @Override
    public String describe() {
        return text;
    }

    @Override
    public double[] promisedRange() {
        return range.clone();
    }
}
