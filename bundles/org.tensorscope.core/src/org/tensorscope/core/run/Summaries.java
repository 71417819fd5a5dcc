package org.tensorscope.core.run;

import java.util.Arrays;
import java.util.List;

import org.tensorscope.core.analysis.Histogram;
import org.tensorscope.core.analysis.TensorStats;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.service.CauseFinding;
import org.tensorscope.core.tensor.TensorData;

/** Converts analysis results into the report's plain values. */
public final class Summaries {

    private Summaries() {
    }

    public static NanReport.TensorSummary of(String name, TensorData data, TensorStats s) {
        return new NanReport.TensorSummary(name, data.dtype().displayName(), data.shape().toString(), s.count(), s.nan(),
                s.negInf(), s.posInf(), s.zeros(), s.min(), s.max(), s.mean(), s.std());
    }

    public static NanReport.Histogram of(String name, Histogram h) {
        return new NanReport.Histogram(name, Arrays.stream(h.edges()).boxed().toList(),
                Arrays.stream(h.counts()).boxed().toList(), h.nan(), h.negInf(), h.posInf());
    }

    public static NanReport.Cause of(CauseFinding finding) {
        if (finding == null) {
            return null;
        }
        List<NanReport.Value> values = finding.offending().stream()
                .map(v -> new NanReport.Value(v.input(), Arrays.stream(v.position()).boxed().toList(), v.value()))
                .toList();
        return new NanReport.Cause(finding.ruleId(), finding.cause(), values, finding.suggestion());
    }
}
