package org.tensorscope.core.run;

import java.util.Optional;

import org.tensorscope.core.analysis.NanOrigin;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.service.CauseFinding;
import org.tensorscope.core.trace.Trace;

/**
 * What a NaN trace found: the per-op health, the origin (if any), its cause, and the report.
 */
public record TraceOutcome(Trace trace, Optional<NanOrigin> origin, Optional<CauseFinding> cause, NanReport report) {

    public boolean allFinite() {
        return origin.isEmpty() && trace.isAllFinite();
    }
}
