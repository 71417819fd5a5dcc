package org.tensorscope.core.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.tensorscope.core.trace.TensorHealth;

/**
 * The sentences every rendering of a {@link NanReport} (command line, NaN Trace view, HTML) uses to
 * say what was checked, so that none of them can claim "every tensor is finite" over tensors it
 * did not check.
 */
public final class CoverageText {

    /** Unchecked tensors named in full before the rest are only counted. */
    private static final int NAMED = 5;

    private CoverageText() {
    }

    /** "Every tensor is finite (42 checked)." or "40 checked, all finite; 2 not checked: ...". */
    public static String verdict(NanReport report) {
        if (!report.finite()) {
            return report.checked() + " checked, " + nonFinite(report) + " non-finite" + notCountedText(report)
                    + (report.complete() ? "" : "; " + uncheckedText(report.unchecked()));
        }
        if (report.complete()) {
            return "Every tensor is finite (" + report.checked() + " checked).";
        }
        return report.checked() + " checked, all finite; " + uncheckedText(report.unchecked());
    }

    /**
     * " (40 of them not counted: ...)" when the health pass flagged tensors as holding NaN or infinity without
     * counting them (CURT counts only where they start); empty otherwise.
     */
    public static String notCountedText(NanReport report) {
        long notCounted = report.ops().stream().filter(CoverageText::notCounted).count();
        return notCounted == 0 ? ""
                : " (" + notCounted + " of them not counted: the " + report.healthMode().toLowerCase(java.util.Locale.ROOT)
                        + " pass counts NaN and ±Inf only where they start and in the first non-finite tensors)";
    }

    /** Whether an op's row holds NaN or infinity that were not counted ({@link TensorHealth#NOT_COUNTED}). */
    public static boolean notCounted(NanReport.OpHealth op) {
        return op.nan() == TensorHealth.NOT_COUNTED || op.negInf() == TensorHealth.NOT_COUNTED
                || op.posInf() == TensorHealth.NOT_COUNTED;
    }

    /** Whether an op's row holds NaN or infinity, counted or not. */
    public static boolean nonFinite(NanReport.OpHealth op) {
        return op.nan() != 0 || op.negInf() != 0 || op.posInf() != 0;
    }

    /** "3 not checked: a, b (inside the body of Loop 'x'); c (why)", grouping tensors that share a reason. */
    public static String uncheckedText(List<NanReport.Unchecked> unchecked) {
        Map<String, List<String>> byReason = new LinkedHashMap<>();
        for (NanReport.Unchecked u : unchecked) {
            byReason.computeIfAbsent(u.reason(), r -> new java.util.ArrayList<>()).add(u.tensor());
        }
        String groups = byReason.entrySet().stream().map(e -> {
            List<String> tensors = e.getValue();
            String named = String.join(", ", tensors.subList(0, Math.min(NAMED, tensors.size())));
            return named + (tensors.size() > NAMED ? " and " + (tensors.size() - NAMED) + " more" : "") + " ("
                    + e.getKey() + ")";
        }).collect(Collectors.joining("; "));
        return unchecked.size() + " not checked: " + groups;
    }

    /** Where in a loop the origin is, e.g. " at iteration 3 of loop while"; empty when not in a loop. */
    public static String loopText(NanReport.Origin origin) {
        if (origin == null || origin.loop() == null) {
            return "";
        }
        return origin.iteration() >= 0 ? " at iteration " + origin.iteration() + " of loop " + origin.loop()
                : " inside loop " + origin.loop();
    }

    private static long nonFinite(NanReport report) {
        return report.ops().stream().filter(CoverageText::nonFinite).count();
    }
}
