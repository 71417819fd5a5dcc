package org.tensorscope.core.input;

import java.io.IOException;

import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.tensor.TensorData;

/**
 * A source given an explicit shape ({@code ramp@1x512}), for inputs whose shape the model leaves
 * unknown. The shape must fit the dimensions the model does know.
 */
final class ShapedSource implements InputSource {

    private final InputSource source;
    private final Shape shape;

    ShapedSource(InputSource source, Shape shape) {
        this.source = source;
        this.shape = shape;
    }

    /** Parses "1x512" (or "1,512"; "" is a scalar). */
    static Shape parseShape(String text, String context) {
        String t = text.trim();
        if (t.isEmpty() || t.equals("scalar")) {
            return Shape.of();
        }
        String[] parts = t.split("[x,]");
        long[] dims = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                dims[i] = Long.parseLong(parts[i].trim());
            } catch (NumberFormatException e) {
                dims[i] = -1;
            }
            if (dims[i] < 0) {
                throw new IllegalArgumentException(context + ": shape '" + text
                        + "' should be dimensions separated by x, e.g. 1x512");
            }
        }
        return Shape.of(dims);
    }

    Shape shape() {
        return shape;
    }

    @Override
    public TensorData create(TensorSpec input) throws IOException {
        if (!input.shape().accepts(shape)) {
            throw new IllegalArgumentException("input " + input.name() + " has shape " + input.shape()
                    + "; the shape given, " + shape + ", does not fit it");
        }
        return source.create(new TensorSpec(input.name(), input.dtype(), shape));
    }

    @Override
    public String describe() {
        return source.describe() + "@" + shapeText();
    }

    private String shapeText() {
        StringBuilder text = new StringBuilder();
        for (long d : shape.dims()) {
            text.append(text.length() == 0 ? "" : "x").append(d);
        }
        return text.toString();
    }

    @Override
    public double[] promisedRange() {
        return source.promisedRange();
    }
}
