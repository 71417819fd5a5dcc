package org.tensorscope.core.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

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
            return report.checked() + " checked, " + nonFinite(report) + " non-finite"
                    + (report.complete() ? "" : "; " + uncheckedText(report.unchecked()));
        }
        if (report.complete()) {
            return "Every tensor is finite (" + report.checked() + " checked).";
        }
        return report.checked() + " checked, all finite; " + uncheckedText(report.unchecked());
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
        return report.ops().stream().filter(o -> o.nan() + o.negInf() + o.posInf() > 0).count();
    }
}
