package org.tensorscope.core.sequence;

import java.util.List;

/**
 * What a sequence run found: the first NaN/Inf step (null when none), drift of outputs and states (in the
 * order they drifted), and per-output jitter statistics (information, not a finding).
 */
public record SequenceFindings(NanFinding nan, List<DriftFinding> drift, List<JitterStats> jitter) {

    public SequenceFindings {
        drift = List.copyOf(drift);
        jitter = List.copyOf(jitter);
    }

    /** Whether anything was found that the CLI exits 3 for: NaN/Inf or drift. */
    public boolean any() {
        return nan != null || !drift.isEmpty();
    }
}
