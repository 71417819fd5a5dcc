package org.tensorscope.core.run;

import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.service.RuntimeRewrite;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.Trace;

/**
 * Compares the outputs of the traced run with those of a plain run, which the backend's optimised
 * runtime may compute differently (a fused Conv2D+BiasAdd+Relu kernel maps NaN to 0, say), and
 * says so in words.
 */
final class FidelityCheck {

    /** Relative tolerance on finite values: float32 reordering in fused kernels stays far below it. */
    static final double TOLERANCE = 1e-3;

    private FidelityCheck() {
    }

    /**
     * @param plain    outputs of the plain run, by tensor name
     * @param rewrites what the optimised runtime rewrote
     */
    static NanReport.Fidelity compare(Trace trace, Map<String, TensorData> plain, List<RuntimeRewrite> rewrites) {
        List<NanReport.OutputComparison> outputs = new ArrayList<>();
        boolean agree = true;
        boolean nonFiniteDiffers = false;
        List<String> differing = new ArrayList<>();
        for (Map.Entry<String, TensorData> entry : trace.outputs().entrySet()) {
            TensorData traced = entry.getValue();
            TensorData optimised = plain.get(entry.getKey());
            if (optimised == null || !traced.dtype().isFloating() || traced.size() != optimised.size()) {
                continue;
            }
            long tracedBad = 0;
            long plainBad = 0;
            long tracedNan = 0;
            long plainNan = 0;
            double maxDifference = 0;
            boolean valuesAgree = true;
            for (long i = 0; i < traced.size(); i++) {
                double a = traced.getDouble(i);
                double b = optimised.getDouble(i);
                tracedBad += Double.isFinite(a) ? 0 : 1;
                plainBad += Double.isFinite(b) ? 0 : 1;
                tracedNan += Double.isNaN(a) ? 1 : 0;
                plainNan += Double.isNaN(b) ? 1 : 0;
                if (Double.isFinite(a) && Double.isFinite(b)) {
                    double difference = Math.abs(a - b);
                    maxDifference = Math.max(maxDifference, difference);
                    valuesAgree &= difference <= TOLERANCE * Math.max(1, Math.max(Math.abs(a), Math.abs(b)));
                } else if (Double.isFinite(a) != Double.isFinite(b)) {
                    valuesAgree = false;
                }
            }
            NanReport.OutputComparison comparison = new NanReport.OutputComparison(entry.getKey(), tracedBad, plainBad,
                    tracedNan, plainNan, maxDifference);
            outputs.add(comparison);
            nonFiniteDiffers |= tracedBad != plainBad || tracedNan != plainNan;
            if (!valuesAgree || tracedBad != plainBad || tracedNan != plainNan) {
                agree = false;
                differing.add(describe(comparison));
            }
        }
        // fused kernels that met non-finite values in the traced run are the likeliest to explain a difference
        List<RuntimeRewrite> ordered = new ArrayList<>(rewrites);
        ordered.sort(java.util.Comparator.comparingInt(r -> likelihood(trace, r)));
        List<String> rewriteTexts = ordered.stream().map(FidelityCheck::describe).toList();
        return new NanReport.Fidelity(agree, TOLERANCE, outputs, rewriteTexts,
                agree ? "" : explanation(differing, ordered, nonFiniteDiffers));
    }

    private static int likelihood(Trace trace, RuntimeRewrite rewrite) {
        boolean metNonFinite = trace.row(rewrite.op()).map(row -> !row.isFinite()).orElse(false);
        boolean fused = rewrite.replaced().size() > 1;
        return (metNonFinite ? 0 : 2) + (fused ? 0 : 1);
    }

    private static String describe(RuntimeRewrite r) {
        return r.replaced().size() > 1 ? r.kernel() + " at " + r.op() + " fuses " + r.replacedText()
                : r.kernel() + " at " + r.op() + " replaces " + r.replacedText();
    }

    private static String describe(NanReport.OutputComparison c) {
        NumberFormat counts = NumberFormat.getIntegerInstance(Locale.ROOT);
        if (c.tracedNonFinite() != c.plainNonFinite() || c.tracedNan() != c.plainNan()) {
            return "output " + c.tensor() + " holds " + counts.format(c.plainNonFinite()) + " NaN/Inf ("
                    + counts.format(c.plainNan()) + " NaN) in the optimised run instead of "
                    + counts.format(c.tracedNonFinite()) + " (" + counts.format(c.tracedNan()) + " NaN) in the traced run";
        }
        return "output " + c.tensor() + " differs by up to " + c.maxDifference() + " between the optimised and the traced run";
    }

    private static String explanation(List<String> differing, List<RuntimeRewrite> rewrites, boolean nonFiniteDiffers) {
        StringBuilder text = new StringBuilder();
        if (rewrites.isEmpty()) {
            text.append("The plain (optimised) run and the traced run disagree: ");
        } else {
            RuntimeRewrite first = rewrites.get(0);
            text.append("The optimised runtime ").append(first.replaced().size() > 1 ? "fuses " : "replaces ")
                    .append(first.replacedText()).append(" at ").append(first.op()).append(" (").append(first.kernel())
                    .append(")");
            if (rewrites.size() > 1) {
                text.append(" and ").append(rewrites.size() - 1).append(" other place(s)");
            }
            if (!nonFiniteDiffers) {
                text.append("; a fused kernel adds and rounds in another order than the ops it replaces");
            } else if (first.replaced().stream().anyMatch(t -> t.startsWith("Relu") || t.equals("Elu") || t.equals("LeakyRelu"))) {
                text.append("; a fused kernel's activation maps NaN to a number (Relu gives 0)");
            }
            text.append(", so ");
        }
        text.append(String.join("; ", differing)).append(
                ". The trace explains the traced (unfused) values; the application sees the optimised ones.");
        return text.toString();
    }
}
