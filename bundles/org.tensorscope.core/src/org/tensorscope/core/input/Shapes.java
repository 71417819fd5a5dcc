package org.tensorscope.core.input;

import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.TensorSpec;

/** The concrete shape to generate for an input: unknown dimensions become 1. */
final class Shapes {

    private Shapes() {
    }

    static Shape concrete(TensorSpec input) {
        if (!input.shape().hasKnownRank()) {
            throw new IllegalArgumentException("input " + input.name() + " has an unknown rank: give its shape, e.g. "
                    + "--input " + input.opName() + "=ramp@1x1x1x1 or --shape " + input.opName()
                    + "=1x1x1x1 (@scalar for a single value), or feed a .npy file");
        }
        long[] dims = input.shape().dims();
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                dims[i] = 1;
            }
        }
        return Shape.of(dims);
    }
}
