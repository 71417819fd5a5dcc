package org.tensorscope.ui.internal.views;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.eclipse.jface.viewers.TreePath;
import org.eclipse.jface.viewers.TreeSelection;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tensorscope.core.model.ScopeTree;
import org.tensorscope.core.run.AnalysedTensor;
import org.tensorscope.core.run.TraceOutcome;
import org.tensorscope.core.trace.TensorHealth;
import org.tensorscope.ui.TensorscopeViews;
import org.tensorscope.ui.api.RunState;
import org.tensorscope.ui.api.SelectedOp;
import org.tensorscope.ui.api.TensorValues;
import org.tensorscope.ui.api.TraceFocus;
import org.tensorscope.ui.internal.session.DebugSession;
import org.tensorscope.ui.internal.session.Demo;
import org.tensorscope.ui.internal.session.RunTensorCache;
import org.tensorscope.ui.internal.session.SteppingFocus;
import org.tensorscope.ui.tests.TestServices;
import org.tensorscope.ui.tests.UiWait;

/**
 * The session as services: each a distinct object with one owner, the tensor cache its own and
 * dropped with a new run, and the op in focus following the workbench's selection.
 */
class SessionServicesTest {

    private final Display display = Display.getCurrent();
    private final DebugSession session = TestServices.get(DebugSession.class);

    @BeforeEach
    void runTheDemo() {
        if (session.outcome().isEmpty() || session.outcome().get().report().finite()) {
            Object before = session.outcome().orElse(null);
            Demo.open(session);
            assertTrue(until(() -> session.outcome().isPresent() && session.outcome().get() != before, 180_000),
                    "the demo's trace did not finish");
        }
    }

    @Test
    void theSessionServicesAreDistinctObjects() {
        RunState runState = TestServices.get(RunState.class);
        TensorValues values = TestServices.get(TensorValues.class);
        TraceFocus focus = TestServices.get(TraceFocus.class);
        assertSame(session, runState, "the model and its run are the debugging session's");
        assertSame(TestServices.get(RunTensorCache.class), values, "the tensors are the cache's");
        assertSame(TestServices.get(SteppingFocus.class), focus, "the op in focus is the stepping focus's");
        assertNotSame(runState, values);
        assertNotSame(runState, focus);
        assertNotSame(values, focus);
    }

    @Test
    void theTensorCacheServesWithoutRunningAndIsDroppedWhenANewRunLands() {
        TensorValues values = TestServices.get(TensorValues.class);
        List<TensorHealth> rows = session.outcome().get().trace().rows();
        // the last output: far from the cursor on the origin, so that nothing fetches it ahead
        String tensor = rows.get(rows.size() - 1).tensor();
        AtomicReference<AnalysedTensor> fetched = new AtomicReference<>();
        assertTrue(values.fetch(List.of(tensor), got -> fetched.set(got.get(tensor)), problem -> { }));
        assertTrue(until(() -> fetched.get() != null, 60_000), tensor + " never arrived");
        assertEquals(tensor, fetched.get().data().name());

        AtomicReference<AnalysedTensor> atOnce = new AtomicReference<>();
        values.fetch(List.of(tensor), got -> atOnce.set(got.get(tensor)), problem -> { });
        assertSame(fetched.get(), atOnce.get(), "a tensor fetched once is handed over at once, from the cache");

        TraceOutcome first = session.outcome().get();
        session.run();
        assertTrue(until(() -> session.outcome().orElse(null) != first, 120_000), "the second run did not land");
        AtomicReference<AnalysedTensor> afterRun = new AtomicReference<>();
        values.fetch(List.of(tensor), got -> afterRun.set(got.get(tensor)), problem -> { });
        assertNull(afterRun.get(), "the new run's cache does not hand over the previous run's tensor");
        assertTrue(until(() -> afterRun.get() != null, 60_000), tensor + " of the new run never arrived");
        assertNotSame(fetched.get(), afterRun.get(), "the new run's values were fetched again");
    }

    @Test
    void theInspectorFollowsAnOpSelectedInAnotherPartAndSteppingStillMovesTheFocus() throws Exception {
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        TraceFocus focus = TestServices.get(TraceFocus.class);
        TensorInspectorView inspector = (TensorInspectorView) page.showView(TensorscopeViews.TENSOR_INSPECTOR);
        ModelExplorerView explorer = (ModelExplorerView) page.showView(TensorscopeViews.MODEL_EXPLORER);
        String focused = focus.focusOp().orElseThrow();
        TensorHealth other = session.outcome().get().trace().rows().stream()
                .filter(row -> !row.opName().equals(focused) && row.tensor().endsWith(":0")).findFirst().orElseThrow();

        page.activate(explorer);
        explorer.viewer.setSelection(new TreeSelection(pathTo((ScopeTree) explorer.viewer.getInput(), other.opName())), true);
        assertEquals(other.opName(), SelectedOp.in(page.getSelection()).map(SelectedOp::op).orElse(null),
                "the Explorer's op is the workbench's selection");
        assertEquals(other.opName(), focus.focusOp().orElse(null), "the focus follows the selection");
        assertTrue(until(() -> ShownInViews.headerText(inspector).startsWith(other.tensor() + " ")
                && ShownInViews.values(inspector) != null && ShownInViews.values(inspector).name().equals(other.tensor()),
                60_000), "the Inspector shows the selected op: " + ShownInViews.headerText(inspector));

        TestServices.get(SteppingFocus.class).next(); // F6
        String stepped = focus.focusOp().orElseThrow();
        assertNotEquals(other.opName(), stepped, "stepping moves the focus on from the selected op");
        assertTrue(until(() -> ShownInViews.headerText(inspector).startsWith(focus.focusTensor().orElse(stepped)),
                60_000), "the Inspector shows the op stepped to: " + ShownInViews.headerText(inspector));

        page.activate(inspector);
        page.activate(explorer);
        assertEquals(stepped, focus.focusOp().orElse(null),
                "activating the Explorer again does not take the focus back to the op selected before");
        assertFalse(page.getSelection().isEmpty());
    }

    /**
     * Stepping quickly, the Explorer selects the op in focus at most every FOLLOW_INTERVAL_MS: activated in between, it
     * holds an op the focus has left, which is no choice of the user's and must not take the focus back.
     */
    @Test
    void activatingTheExplorerBehindQuickStepsLeavesTheFocusWhereTheStepsPutIt() throws Exception {
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        ModelExplorerView explorer = (ModelExplorerView) page.showView(TensorscopeViews.MODEL_EXPLORER);
        page.activate(page.showView(TensorscopeViews.TENSOR_INSPECTOR));
        SteppingFocus stepping = TestServices.get(SteppingFocus.class);
        stepping.stepTo(session.outcome().get().trace().rows().get(0).opName());
        // steps count as quick for 5 s, not 250 ms: on a loaded machine two steps may take longer than that
        explorer.followIntervalMillis = 5_000;
        explorer.nextFollow = 0;
        try {
            stepping.next(); // after a pause: the Explorer selects this op at once
            String first = stepping.focusOp().orElseThrow();
            assertEquals(first, explorer.getSelectedOpName());
            stepping.next(); // quickly after: the Explorer waits
            stepping.next();
            String last = stepping.focusOp().orElseThrow();
            assertNotEquals(first, last);
            assertEquals(first, explorer.getSelectedOpName(), "the Explorer has not yet followed the quick steps");
            page.activate(explorer);
            assertEquals(last, stepping.focusOp().orElse(null), "activating the Explorer leaves the focus where it was");
            assertTrue(until(() -> last.equals(explorer.getSelectedOpName()), 10_000), "then the Explorer follows");
        } finally {
            explorer.followIntervalMillis = ModelExplorerView.FOLLOW_INTERVAL_MS;
        }
    }

    /** A step to an op the Explorer's filter hides leaves no op selected there, not the one the focus has left. */
    @Test
    void theExplorerSelectsNothingWhenItsFilterHidesTheOpInFocus() throws Exception {
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        ModelExplorerView explorer = (ModelExplorerView) page.showView(TensorscopeViews.MODEL_EXPLORER);
        SteppingFocus stepping = TestServices.get(SteppingFocus.class);
        String first = session.outcome().get().trace().rows().get(0).opName();
        explorer.nextFollow = 0;
        stepping.stepTo(first);
        try {
            explorer.filter.setText(first);
            assertTrue(until(() -> first.equals(explorer.getSelectedOpName()), 10_000), "the filter shows " + first);
            stepping.next();
            String hidden = stepping.focusOp().orElseThrow();
            assertFalse(hidden.toLowerCase(java.util.Locale.ROOT).contains(first.toLowerCase(java.util.Locale.ROOT)),
                    "the next op must be one the filter hides: " + hidden);
            assertTrue(until(() -> explorer.getSelectedOpName() == null, 10_000),
                    "still selected: " + explorer.getSelectedOpName());
            assertEquals(hidden, stepping.focusOp().orElse(null), "clearing the selection leaves the focus alone");
        } finally {
            explorer.filter.setText("");
        }
        assertTrue(until(() -> stepping.focusOp().orElseThrow().equals(explorer.getSelectedOpName()), 10_000),
                "without the filter the Explorer follows the focus again");
    }

    private static TreePath pathTo(ScopeTree root, String op) {
        List<Object> path = new ArrayList<>();
        ScopeTree node = root;
        while (true) {
            ScopeTree next = null;
            for (ScopeTree child : node.children()) {
                if (child.op() != null && child.op().name().equals(op)) {
                    path.add(child);
                    return new TreePath(path.toArray());
                }
                if (op.startsWith(child.path() + "/")) {
                    next = child;
                }
            }
            if (next == null) {
                throw new AssertionError(op + " is not in the Explorer");
            }
            path.add(next);
            node = next;
        }
    }

    private boolean until(BooleanSupplier condition, long timeoutMillis) {
        return UiWait.until(display, condition, timeoutMillis);
    }
}
