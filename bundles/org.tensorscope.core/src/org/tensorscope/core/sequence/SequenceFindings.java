package org.tensorscope.core.sequence;

import java.util.List;

/**
 * What a sequence run found: the first NaN/Inf step (null when none), drift of outputs and states (in the
 * order they drifted), per-output jitter statistics (information, not a finding), and the outputs and states
 * drift and jitter leave out, with the reason.
 */
public record SequenceFindings(NanFinding nan, List<DriftFinding> drift, List<JitterStats> jitter,
        List<NotWatched> notWatched) {

    /**
     * An output or fed-back state drift and jitter leave out.
     *
     * @param name   its signature key
     * @param kind   "output" or "state"
     * @param reason why, in words (an integer output: class indices have no meaningful norm)
     */
    public record NotWatched(String name, String kind, String reason) {
    }

    public SequenceFindings {
        drift = List.copyOf(drift);
        jitter = List.copyOf(jitter);
        notWatched = List.copyOf(notWatched);
    }

    /** Findings where every output and state was watched. */
    public SequenceFindings(NanFinding nan, List<DriftFinding> drift, List<JitterStats> jitter) {
        this(nan, drift, jitter, List.of());
    }

    /** Whether anything was found that the CLI exits 3 for: NaN/Inf or drift. */
    public boolean any() {
        return nan != null || !drift.isEmpty();
    }
}
