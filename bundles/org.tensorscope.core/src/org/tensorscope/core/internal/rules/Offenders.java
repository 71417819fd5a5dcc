package org.tensorscope.core.internal.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoublePredicate;

import org.tensorscope.core.service.OffendingValue;
import org.tensorscope.core.tensor.TensorData;

/**
 * The input elements a rule blames: those meeting its condition, preferring the positions where
 * the output is non-finite when input and output line up element by element.
 */
final class Offenders {

    static final int SHOWN = 5;

    private final List<OffendingValue> first = new ArrayList<>();
    private long count;

    private Offenders() {
    }

    static Offenders find(TensorData input, int inputIndex, TensorData output, DoublePredicate offending) {
        Offenders found = new Offenders();
        boolean aligned = output != null && output.size() == input.size();
        for (long i = 0; i < input.size(); i++) {
            double v = input.getDouble(i);
            if (offending.test(v) && (!aligned || !Double.isFinite(output.getDouble(i)))) {
                found.count++;
                if (found.first.size() < SHOWN) {
                    found.first.add(new OffendingValue(inputIndex, input.position(i), v));
                }
            }
        }
        return found;
    }

    /** The element of largest magnitude, for overflow findings. */
    static Offenders largest(TensorData input, int inputIndex) {
        Offenders found = new Offenders();
        long best = ValueScans.largestFinite(input);
        if (best >= 0) {
            found.count = 1;
            found.first.add(new OffendingValue(inputIndex, input.position(best), input.getDouble(best)));
        }
        return found;
    }

    boolean isEmpty() {
        return count == 0;
    }

    long count() {
        return count;
    }

    List<OffendingValue> first() {
        return first;
    }
}
