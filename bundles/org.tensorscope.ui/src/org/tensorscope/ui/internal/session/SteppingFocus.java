package org.tensorscope.ui.internal.session;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.e4.core.services.events.IEventBroker;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.tensorscope.core.DebugTopics;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.run.TraceOutcome;
import org.tensorscope.core.trace.TensorHealth;
import org.tensorscope.core.trace.TraceCursor;
import org.tensorscope.ui.api.SelectedOp;
import org.tensorscope.ui.api.TraceFocus;

/**
 * The op the views show: the stepping cursor over the current run's trace (F6, Shift+F6, F8,
 * Ctrl+R) and the op the user selected, which wins until the cursor moves. Each move is posted as
 * {@link DebugTopics#CURSOR}. Changed on the UI thread.
 */
@Component(service = {TraceFocus.class, SteppingFocus.class})
public final class SteppingFocus implements TraceFocus {

    @Reference
    private EventAdmin events;

    @Reference
    private Breakpoints breakpoints;

    private TraceCursor cursor;
    private String selectedOp;
    /** The output of the selected op in focus when the selection named one. */
    private String selectedTensor;
    /** Told after the cursor moved, e.g. to fetch the tensors ahead of it. */
    private final List<Runnable> onMoved = new CopyOnWriteArrayList<>();

    public SteppingFocus() {
        // created by the OSGi component runtime
    }

    void whenMoved(Runnable listener) {
        onMoved.add(listener);
    }

    @Override
    public Optional<TraceCursor> cursor() {
        return Optional.ofNullable(cursor);
    }

    /** The op the views show: the selected one, else the cursor's. */
    @Override
    public Optional<String> focusOp() {
        if (selectedOp != null) {
            return Optional.of(selectedOp);
        }
        return cursor().flatMap(TraceCursor::current).map(TensorHealth::opName);
    }

    /**
     * The output the views show: the cursor's when it is on the op in focus (an op's second or
     * third output is a step of its own), else the focused op's first.
     */
    @Override
    public Optional<String> focusTensor() {
        if (selectedOp != null && selectedTensor != null) {
            return Optional.of(selectedTensor);
        }
        Optional<String> cursorTensor = cursor().flatMap(TraceCursor::current).map(TensorHealth::tensor);
        if (selectedOp == null || cursorTensor.map(TensorSpec::opNameOf).filter(selectedOp::equals).isPresent()) {
            return cursorTensor;
        }
        return Optional.empty();
    }

    /** Where a new run of the same model lands: the selected op, else the cursor's output; null for none. */
    String landing() {
        return selectedTensor != null ? selectedTensor : selectedOp != null ? selectedOp : cursor().flatMap(TraceCursor::current).map(TensorHealth::tensor).orElse(null);
    }

    /**
     * A new run: the cursor goes over its trace and, like a debugger stopping at an exception,
     * lands on the NaN origin, or on {@code landOn} when the run has it. Posts nothing: the run's
     * {@link DebugTopics#TRACE} event tells the views.
     */
    void land(TraceOutcome run, String landOn) {
        cursor = new TraceCursor(run.trace());
        selectedOp = null;
        selectedTensor = null;
        run.origin().ifPresent(origin -> cursor.seek(origin.row().tensor()));
        if (landOn != null) {
            cursor.seek(landOn);
        }
    }

    /** The model closed: no cursor, nothing selected. */
    void clear() {
        cursor = null;
        selectedOp = null;
        selectedTensor = null;
    }

    /** Step to the next op output (F6). */
    public void next() {
        cursor().ifPresent(c -> {
            c.next();
            moved();
        });
    }

    /** Step back one op output (Shift+F6). */
    public void previous() {
        cursor().ifPresent(c -> {
            c.previous();
            moved();
        });
    }

    /** Run to the next anomaly or breakpoint (F8). */
    public void resume() {
        cursor().ifPresent(c -> {
            c.runToBreakpoint(breakpoints.enabled());
            moved();
        });
    }

    /** Run to the selected op (Ctrl+R). */
    public void runToSelected() {
        if (selectedOp != null) {
            String target = selectedOp;
            cursor().ifPresent(c -> {
                if (c.runTo(target).isEmpty()) {
                    c.seek(target);
                }
                moved();
            });
        }
    }

    /** Puts the cursor on an op (e.g. the NaN origin). */
    public void stepTo(String op) {
        cursor().ifPresent(c -> {
            c.seek(op);
            moved();
        });
    }

    private void moved() {
        selectedOp = null;
        selectedTensor = null;
        post();
        onMoved.forEach(Runnable::run);
    }

    /** The user selected an op in a view. */
    @Override
    public void select(String op) {
        if (op != null && (!op.equals(selectedOp) || selectedTensor != null)) {
            selectedOp = op;
            selectedTensor = null;
            post();
        }
    }

    /** The user selected an op, or one of its outputs, in a view. */
    @Override
    public void select(SelectedOp selected) {
        String tensor = selected.output().filter(t -> TensorSpec.opNameOf(t).equals(selected.op())).orElse(null);
        if (!selected.op().equals(selectedOp) || !java.util.Objects.equals(tensor, selectedTensor)) {
            selectedOp = selected.op();
            selectedTensor = tensor;
            post();
        }
    }

    private void post() {
        // as IEventBroker.send does: synchronously, the data under IEventBroker.DATA
        events.sendEvent(new Event(DebugTopics.CURSOR, Map.of(IEventBroker.DATA, this)));
    }
}
