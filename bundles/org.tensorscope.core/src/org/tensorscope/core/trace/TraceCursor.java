package org.tensorscope.core.trace;

import java.util.Collection;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Steps through a trace like a debugger: one row (op output) at a time, in execution order.
 * Before the first step the cursor is on no row.
 */
public final class TraceCursor {

    private final Trace trace;
    private int index = -1;

    public TraceCursor(Trace trace) {
        this.trace = trace;
    }

    public Trace trace() {
        return trace;
    }

    /** The current row, empty before the first step. */
    public Optional<TensorHealth> current() {
        return index < 0 ? Optional.empty() : Optional.of(trace.rows().get(index));
    }

    public int index() {
        return index;
    }

    /** Steps to the next row; stays on the last one. */
    public Optional<TensorHealth> next() {
        if (index < trace.rows().size() - 1) {
            index++;
        }
        return current();
    }

    /** Steps back one row; stays on the first one. */
    public Optional<TensorHealth> previous() {
        if (index > 0) {
            index--;
        }
        return current();
    }

    /** Moves to an op's first output (or a tensor "op:k"); stays put when the trace has no such row. */
    public Optional<TensorHealth> seek(String opOrTensor) {
        return trace.row(opOrTensor).map(row -> {
            index = trace.rows().indexOf(row);
            return row;
        });
    }

    /** Runs forward to the first row holding NaN or infinity after the current one. */
    public Optional<TensorHealth> runToNextAnomaly() {
        return runUntil(row -> !row.isFinite());
    }

    /** Runs forward to an op; stays put (and answers empty) when the op comes earlier or not at all. */
    public Optional<TensorHealth> runTo(String opName) {
        return runUntil(row -> row.opName().equals(opName) || row.tensor().equals(opName));
    }

    /** Runs forward to the next row where any enabled breakpoint matches, or an anomaly appears. */
    public Optional<TensorHealth> runToBreakpoint(Collection<? extends Breakpoint> breakpoints) {
        return runUntil(row -> !row.isFinite() || breakpoints.stream().anyMatch(b -> b.matches(row)));
    }

    /** Moves forward to the first later row meeting the condition; without one, stays put and answers empty. */
    private Optional<TensorHealth> runUntil(Predicate<TensorHealth> stop) {
        for (int i = index + 1; i < trace.rows().size(); i++) {
            if (stop.test(trace.rows().get(i))) {
                index = i;
                return current();
            }
        }
        return Optional.empty();
    }
}
