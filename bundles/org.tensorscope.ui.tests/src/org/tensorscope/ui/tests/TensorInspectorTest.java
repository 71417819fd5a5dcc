package org.tensorscope.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.LongStream;

import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.Test;
import org.tensorscope.core.run.TraceOutcome;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.tensor.TensorEdits;
import org.tensorscope.ui.TensorscopeViews;
import org.tensorscope.ui.internal.session.DebugSession;
import org.tensorscope.ui.internal.session.Demo;
import org.tensorscope.ui.internal.views.TensorInspectorView;

/**
 * The Tensor Inspector on the demo: the slice chosen shows the origin's infinite values in red
 * and in the image, and clipping the unclipped frame to 0..255 and running on makes the model finite.
 */
class TensorInspectorTest {

    @Test
    void slicesShowTheOffendingValuesAndClippingTheFrameFixesTheRun() throws Exception {
        Display display = Display.getCurrent();
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        DebugSession session = DebugSession.get();
        TraceOutcome before = session.outcome().orElse(null);
        Demo.open();
        assertTrue(UiWait.until(display, () -> session.outcome().isPresent() && session.outcome().get() != before,
                120_000), "the demo's trace did not finish");
        TraceOutcome first = session.outcome().get();
        String originTensor = first.origin().orElseThrow().row().tensor();

        TensorInspectorView inspector = (TensorInspectorView) page.showView(TensorscopeViews.TENSOR_INSPECTOR);
        assertTrue(UiWait.until(display, () -> inspector.getShownValues() != null
                && inspector.getShownValues().name().equals(originTensor), 30_000), "origin values not shown");
        TensorData values = inspector.getShownValues();
        long bad = LongStream.range(0, values.size()).filter(i -> !Double.isFinite(values.getDouble(i))).findFirst()
                .orElseThrow();
        long[] at = values.position(bad);
        int rank = at.length;
        int[] held = new int[rank];
        for (int axis = 0; axis < rank; axis++) {
            held[axis] = (int) at[axis];
        }
        inspector.getSliceControls().select(rank - 3, rank - 2, held);
        int row = (int) at[rank - 3];
        int column = (int) at[rank - 2];
        assertTrue(inspector.getValuesGrid().isHighlighted(row, column), "the infinite cell is highlighted");
        double value = values.getDouble(bad);
        assertEquals(Double.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity",
                inspector.getValuesGrid().cellText(row, column));
        RGB expected = Double.isNaN(value) ? new RGB(255, 0, 255) : value > 0 ? new RGB(255, 255, 255) : new RGB(0, 0, 0);
        assertEquals(expected, inspector.getHeatmap().colorAt(row, column));

        // the fix in one step: clip the frame to 0..255 and run on from it
        session.stepTo("input_1");
        assertTrue(UiWait.until(display, () -> inspector.getShownValues() != null
                && inspector.getShownValues().name().equals("input_1:0"), 30_000), "frame not shown");
        session.continueWith(TensorEdits.clipped(inspector.getShownValues(), 0, 255));
        assertTrue(UiWait.until(display, () -> session.outcome().orElse(first) != first, 120_000), "no new run");
        assertTrue(session.outcome().get().allFinite(), "clipped to 0..255 the frame gives finite outputs");
        assertEquals("input_1", session.focusOp().orElse(null), "the run lands on the edited tensor");
        assertTrue(UiWait.until(display, () -> inspector.getHeaderText().contains("(edited"), 10_000),
                inspector.getHeaderText());
        assertFalse(session.overrides().isEmpty());
        session.clearOverrides();
    }
}
