package org.tensorscope.ui.api;

import java.util.Optional;

import org.tensorscope.core.trace.TraceCursor;

/**
 * The op the views show: the op the user selected, else the one under the stepping cursor of the
 * current run. An OSGi service; call it on the UI thread. A move is posted as
 * {@code org.tensorscope.core.DebugTopics#CURSOR}.
 */
public interface TraceFocus {

    /** The stepping cursor over the current run's trace; empty before a run. */
    Optional<TraceCursor> cursor();

    /** The op in focus: the selected one, else the cursor's. */
    Optional<String> focusOp();

    /**
     * The output in focus when it is not the focused op's first (the cursor stops at each output of
     * an op); empty means the focused op's first output.
     */
    Optional<String> focusTensor();

    /** Puts the focus on an op, as selecting it in a view does. */
    void select(String op);

    /** Puts the focus on an op, or on one of its outputs when the selection names one. */
    default void select(SelectedOp selected) {
        select(selected.op());
    }
}
