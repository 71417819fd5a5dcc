package org.tensorscope.core.internal.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.tensorscope.core.service.OffendingValue;
import org.tensorscope.core.service.OriginContext;
import org.tensorscope.core.tensor.TensorData;

/**
 * NumPy broadcasting, as TensorFlow's elementwise ops apply it: for each element of the output,
 * the element of each input it was computed from (a [N,1] denominator against a [N,C] numerator).
 */
final class Broadcast {

    private final long[] outDims;
    private final long[][] strides;

    private Broadcast(long[] outDims, long[][] strides) {
        this.outDims = outDims;
        this.strides = strides;
    }

    /** The mapping from the output's elements to the inputs', or null when the shapes do not broadcast to it. */
    static Broadcast of(TensorData output, List<TensorData> inputs) {
        long[] out = output.shape().dims();
        long[][] strides = new long[inputs.size()][];
        for (int k = 0; k < inputs.size(); k++) {
            long[] in = inputs.get(k).shape().dims();
            if (in.length > out.length) {
                return null;
            }
            long[] s = new long[out.length];
            long stride = 1;
            for (int d = in.length - 1; d >= 0; d--) {
                int o = d + out.length - in.length;
                if (in[d] == out[o]) {
                    s[o] = in[d] == 1 ? 0 : stride;
                } else if (in[d] == 1) {
                    s[o] = 0;
                } else {
                    return null;
                }
                stride *= in[d];
            }
            strides[k] = s;
        }
        return new Broadcast(out, strides);
    }

    /** The flat index into input k of the element that made output element outIndex. */
    long index(int k, long outIndex) {
        long[] s = strides[k];
        long index = 0;
        for (int d = outDims.length - 1; d >= 0; d--) {
            long dim = outDims[d];
            if (dim == 0) {
                return 0;
            }
            index += (outIndex % dim) * s[d];
            outIndex /= dim;
        }
        return index;
    }

    /** A test of one pair of input values. */
    @FunctionalInterface
    interface PairTest {
        boolean test(double x, double y);
    }

    /** The NaN elements of a binary op whose two input values pass a test: how many, and the first pairs. */
    record Pairs(long count, List<OffendingValue> shown) {
    }

    /**
     * Reads the two inputs of each NaN element of a binary op's output, with broadcasting, and
     * counts those the test matches; empty when the inputs do not broadcast to the output.
     */
    static Optional<Pairs> nanPairs(OriginContext context, PairTest offending) {
        return pairs(context, true, 0, offending);
    }

    /**
     * As {@link #nanPairs}, over the output's NaN and ±Inf elements, each pair shown with input
     * {@code shownFirst} first (a division shows its denominator first).
     */
    static Optional<Pairs> nonFinitePairs(OriginContext context, int shownFirst, PairTest offending) {
        return pairs(context, false, shownFirst, offending);
    }

    private static Optional<Pairs> pairs(OriginContext context, boolean nanOnly, int shownFirst,
            PairTest offending) {
        TensorData a = context.inputs().get(0);
        TensorData b = context.inputs().get(1);
        TensorData output = context.output();
        Broadcast broadcast = of(output, context.inputs());
        if (broadcast == null) {
            return Optional.empty();
        }
        long count = 0;
        List<OffendingValue> shown = new ArrayList<>();
        for (long i = 0; i < output.size(); i++) {
            double out = output.getDouble(i);
            if (nanOnly ? !Double.isNaN(out) : Double.isFinite(out)) {
                continue;
            }
            long ai = broadcast.index(0, i);
            long bi = broadcast.index(1, i);
            double x = a.getDouble(ai);
            double y = b.getDouble(bi);
            if (offending.test(x, y)) {
                count++;
                if (shown.size() < Offenders.SHOWN * 2) {
                    OffendingValue first = new OffendingValue(0, a.position(ai), x);
                    OffendingValue second = new OffendingValue(1, b.position(bi), y);
                    shown.add(shownFirst == 0 ? first : second);
                    shown.add(shownFirst == 0 ? second : first);
                }
            }
        }
        return Optional.of(new Pairs(count, shown));
    }
}
