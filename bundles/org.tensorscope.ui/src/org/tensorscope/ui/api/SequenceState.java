package org.tensorscope.ui.api;

import java.util.Optional;
import java.util.OptionalInt;

import org.eclipse.core.runtime.jobs.Job;
import org.tensorscope.core.sequence.SequenceResult;

/**
 * The last sequence run of the open model (Run > Run Sequence) and the step the other views show.
 * An OSGi service; call it on the UI thread. A change is posted as
 * {@code org.tensorscope.core.DebugTopics#SEQUENCE}.
 */
public interface SequenceState {

    /** The last sequence run of the open model; empty when none ran since it opened. */
    Optional<SequenceResult> result();

    /** The step the current run shows; empty when the current run is not a step of the sequence. */
    OptionalInt shownStep();

    /** Makes a step the current run, so that every view shows it; null when there is no such step. */
    Job show(int step);
}
