package org.tensorscope.core.input;

import java.util.ArrayList;
import java.util.List;

import org.tensorscope.core.analysis.TensorStats;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.report.Numbers;
import org.tensorscope.core.tensor.TensorData;

/**
 * Checks an input before running: type and shape against the signature (TensorFlow does not),
 * NaN/Inf already in it, and values outside the range its source promises.
 */
public final class InputCheck {

    private InputCheck() {
    }

    /** Problems that make the run meaningless; empty when the input fits the signature. */
    public static List<String> mismatches(String name, TensorSpec expected, TensorData actual) {
        List<String> problems = new ArrayList<>();
        if (expected.dtype() != actual.dtype()) {
            problems.add("input " + name + " must be " + expected.dtype().displayName() + ", the source gives "
                    + actual.dtype().displayName());
        }
        if (!expected.shape().accepts(actual.shape())) {
            problems.add("input " + name + " must have shape " + expected.shape() + ", the source gives "
                    + actual.shape());
        }
        return problems;
    }

    /** Health findings worth telling the user; empty for a healthy input. */
    public static List<String> health(String name, InputSource source, TensorStats stats) {
        List<String> problems = new ArrayList<>();
        if (stats.nan() > 0 || stats.posInf() + stats.negInf() > 0) {
            problems.add("input " + name + " already holds " + stats.nan() + " NaN and "
                    + (stats.posInf() + stats.negInf()) + " infinite values");
        }
        double[] range = source.promisedRange();
        double tolerance = 1e-6 * Math.max(1, Math.max(Math.abs(range[0]), Math.abs(range[1])));
        if (stats.finiteCount() > 0 && (stats.min() < range[0] - tolerance || stats.max() > range[1] + tolerance)) {
            problems.add("input " + name + " has values in [" + Numbers.format(stats.min()) + ", "
                    + Numbers.format(stats.max()) + "], outside the range [" + Numbers.format(range[0]) + ", "
                    + Numbers.format(range[1]) + "] its source promises");
        }
        return problems;
    }
}
