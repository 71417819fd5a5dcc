package org.tensorscope.core.internal.rules;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.tensorscope.core.service.OffendingValue;
import org.tensorscope.core.service.OriginContext;
import org.tensorscope.core.tensor.TensorData;

/**
 * A reduction (Sum, Mean, Prod...) over some axes of its first input: which output element each
 * input element is folded into, so that a rule can look for values that meet in one slice.
 */
final class Reduction {

    /** TensorFlow's reductions, whose second input lists the axes (all axes when there is none). */
    static final Set<String> SUMS = Set.of("Sum", "Mean", "EuclideanNorm");
    static final Set<String> PRODUCTS = Set.of("Prod");

    private final long[] inDims;
    private final boolean[] reduced;
    private final long outSize;

    private Reduction(long[] inDims, boolean[] reduced) {
        this.inDims = inDims;
        this.reduced = reduced;
        long size = 1;
        for (int d = 0; d < inDims.length; d++) {
            size *= reduced[d] ? 1 : inDims[d];
        }
        this.outSize = size;
    }

    /**
     * The reduction of inputs[0] over the axes in inputs[1] (all axes when there is no axes input),
     * or null when the axes cannot be read or do not match the output's size.
     */
    static Reduction of(List<TensorData> inputs, TensorData output) {
        if (inputs.isEmpty() || inputs.get(0) == null) {
            return null;
        }
        long[] dims = inputs.get(0).shape().dims();
        boolean[] reduced = new boolean[dims.length];
        if (inputs.size() < 2) {
            java.util.Arrays.fill(reduced, true);
        } else {
            TensorData axes = inputs.get(1);
            if (axes == null || axes.dtype().isFloating() || axes.dtype().byteSize() <= 0) {
                return null;
            }
            if (axes.size() == 0) {
                java.util.Arrays.fill(reduced, true);
            }
            for (long i = 0; i < axes.size(); i++) {
                long axis = (long) axes.getDouble(i);
                if (axis < 0) {
                    axis += dims.length;
                }
                if (axis < 0 || axis >= dims.length) {
                    return null;
                }
                reduced[(int) axis] = true;
            }
        }
        Reduction reduction = new Reduction(dims, reduced);
        return reduction.outSize == output.size() ? reduction : null;
    }

    long outputSize() {
        return outSize;
    }

    /** The flat output index the input element inIndex is reduced into. */
    long outputIndex(long inIndex) {
        long out = 0;
        long stride = 1;
        for (int d = inDims.length - 1; d >= 0; d--) {
            long dim = inDims[d];
            long coordinate = dim == 0 ? 0 : inIndex % dim;
            inIndex = dim == 0 ? 0 : inIndex / dim;
            if (!reduced[d]) {
                out += coordinate * stride;
                stride *= dim;
            }
        }
        return out;
    }

    /** A kind of value a rule looks for. */
    @FunctionalInterface
    interface ValueTest {
        boolean test(double value);
    }

    /**
     * The NaN elements of a reduction's output whose slice holds a value of each of two kinds
     * (e.g. +Inf and -Inf in one Sum): how many, and the first such two values of each; empty when
     * the op is not a reduction this class can read or its input is not floating point.
     */
    static Optional<Broadcast.Pairs> meetings(OriginContext context, ValueTest first, ValueTest second) {
        TensorData input = context.inputs().get(0);
        TensorData output = context.output();
        Reduction reduction = of(context.inputs(), output);
        if (reduction == null || !input.dtype().isFloating()) {
            return Optional.empty();
        }
        long[] firsts = new long[Math.toIntExact(reduction.outputSize())];
        long[] seconds = new long[firsts.length];
        Arrays.fill(firsts, -1);
        Arrays.fill(seconds, -1);
        for (long i = 0; i < input.size(); i++) {
            double v = input.getDouble(i);
            int o = (int) reduction.outputIndex(i);
            if (firsts[o] < 0 && first.test(v)) {
                firsts[o] = i;
            } else if (seconds[o] < 0 && second.test(v)) {
                seconds[o] = i;
            }
        }
        long count = 0;
        List<OffendingValue> shown = new ArrayList<>();
        for (int o = 0; o < firsts.length; o++) {
            if (firsts[o] >= 0 && seconds[o] >= 0 && Double.isNaN(output.getDouble(o))) {
                count++;
                if (shown.size() < Offenders.SHOWN * 2) {
                    shown.add(new OffendingValue(0, input.position(firsts[o]), input.getDouble(firsts[o])));
                    shown.add(new OffendingValue(0, input.position(seconds[o]), input.getDouble(seconds[o])));
                }
            }
        }
        return Optional.of(new Broadcast.Pairs(count, shown));
    }
}
