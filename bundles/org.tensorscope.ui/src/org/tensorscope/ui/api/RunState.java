package org.tensorscope.ui.api;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

import org.eclipse.core.runtime.jobs.Job;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.run.TraceOutcome;

/**
 * The open model and its current run, as every Tensorscope view shows them; an OSGi service (a view
 * gets it with {@code getSite().getService(RunState.class)}, an e4 part or handler by injection).
 * Call it on the UI thread; its changes are posted as {@code org.tensorscope.core.DebugTopics} events.
 */
public interface RunState {

    /** The graph of the open model; empty when none is open. */
    Optional<ModelGraph> graph();

    /** The last run's trace and NaN report; empty before the open model ran. */
    Optional<TraceOutcome> outcome();

    /** The sequence step whose inputs the current run took; empty for a run of the configured inputs. */
    OptionalInt step();

    /** Opens a model in a job; it replaces the open one when it loads, else nothing changes. */
    Job open(Path model);

    /** Runs the open model with the NaN trace in a job; null when no model is open. */
    Job run();
}
