package org.tensorscope.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.LongStream;

import org.eclipse.swt.SWT;
import org.eclipse.swt.dnd.Clipboard;
import org.eclipse.swt.dnd.TextTransfer;
import org.eclipse.swt.graphics.RGB;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.Test;
import org.tensorscope.core.run.TraceOutcome;
import org.tensorscope.core.tensor.TensorCsv;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.tensor.TensorEdits;
import org.tensorscope.ui.TensorscopeViews;
import org.tensorscope.ui.charts.tests.ChartViews;
import org.tensorscope.ui.internal.session.DebugSession;
import org.tensorscope.ui.internal.session.SteppingFocus;
import org.tensorscope.ui.internal.session.Demo;
import org.tensorscope.ui.internal.tensor.ShownInTensorWidgets;
import org.tensorscope.ui.internal.views.ShownInViews;
import org.tensorscope.ui.internal.views.TensorInspectorView;

/**
 * The Tensor Inspector on the demo: the slice chosen shows the origin's infinite values in red
 * and in the image, clipping the unclipped frame to 0..255 and running on makes the model finite, and
 * the Histogram lays the frame of the run before over the clipped one.
 */
class TensorInspectorTest {

    @Test
    void slicesShowTheOffendingValuesAndClippingTheFrameFixesTheRun() throws Exception {
        Display display = Display.getCurrent();
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        DebugSession session = TestServices.get(DebugSession.class);
        TraceOutcome before = session.outcome().orElse(null);
        Demo.open(TestServices.get(DebugSession.class));
        assertTrue(UiWait.until(display, () -> session.outcome().isPresent() && session.outcome().get() != before,
                120_000), "the demo's trace did not finish");
        TraceOutcome first = session.outcome().get();
        String originTensor = first.origin().orElseThrow().row().tensor();

        TensorInspectorView inspector = (TensorInspectorView) page.showView(TensorscopeViews.TENSOR_INSPECTOR);
        assertTrue(UiWait.until(display, () -> ShownInViews.values(inspector) != null
                && ShownInViews.values(inspector).name().equals(originTensor), 30_000), "origin values not shown");
        TensorData values = ShownInViews.values(inspector);
        long bad = LongStream.range(0, values.size()).filter(i -> !Double.isFinite(values.getDouble(i))).findFirst()
                .orElseThrow();
        long[] at = values.position(bad);
        int rank = at.length;
        int[] held = new int[rank];
        for (int axis = 0; axis < rank; axis++) {
            held[axis] = (int) at[axis];
        }
        ShownInViews.sliceControls(inspector).select(rank - 3, rank - 2, held);
        int row = (int) at[rank - 3];
        int column = (int) at[rank - 2];
        assertTrue(ShownInTensorWidgets.isHighlighted(ShownInViews.valuesGrid(inspector), row, column), "the infinite cell is highlighted");
        double value = values.getDouble(bad);
        assertEquals(Double.isNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf",
                ShownInTensorWidgets.cellText(ShownInViews.valuesGrid(inspector), row, column));
        RGB expected = Double.isNaN(value) ? new RGB(255, 0, 255) : value > 0 ? new RGB(255, 255, 255) : new RGB(0, 0, 0);
        assertEquals(expected, ShownInTensorWidgets.colorAt(ShownInViews.heatmap(inspector), row, column));

        // Ctrl+C in the grid puts the slice on the clipboard, tab-separated
        Event copy = new Event();
        copy.keyCode = 'c';
        copy.stateMask = SWT.MOD1;
        ShownInViews.valuesGrid(inspector).control().notifyListeners(SWT.KeyDown, copy);
        StringWriter slice = new StringWriter();
        TensorCsv.write(values, ShownInViews.sliceControls(inspector).slice(), '\t', slice);
        Clipboard clipboard = new Clipboard(display);
        try {
            assertEquals(slice.toString(), clipboard.getContents(TextTransfer.getInstance()), "the slice copied");
        } finally {
            clipboard.dispose();
        }

        // the fix in one step: clip the frame to 0..255 and run on from it
        IViewPart histogram = page.showView(TensorscopeViews.HISTOGRAM);
        page.showView(TensorscopeViews.TENSOR_INSPECTOR);
        TestServices.get(SteppingFocus.class).stepTo("input_1");
        assertTrue(UiWait.until(display, () -> ChartViews.histogramNanCount(histogram) >= 0, 30_000), "frame histogram");
        assertEquals(-1, ChartViews.histogramPreviousNanCount(histogram), "no previous run of the frame to compare with yet");
        assertTrue(UiWait.until(display, () -> ShownInViews.values(inspector) != null
                && ShownInViews.values(inspector).name().equals("input_1:0"), 30_000), "frame not shown");
        session.continueWith(TensorEdits.clipped(ShownInViews.values(inspector), 0, 255));
        assertTrue(UiWait.until(display, () -> session.outcome().orElse(first) != first, 120_000), "no new run");
        assertTrue(session.outcome().get().allFinite(), "clipped to 0..255 the frame gives finite outputs");
        assertEquals("input_1", TestServices.get(SteppingFocus.class).focusOp().orElse(null), "the run lands on the edited tensor");
        assertTrue(UiWait.until(display, () -> ShownInViews.headerText(inspector).contains("(edited"), 10_000),
                ShownInViews.headerText(inspector));
        assertFalse(session.overrides().isEmpty());
        session.clearOverrides();

        // the histogram lays the unclipped frame of the previous run over the clipped one, and exports
        assertTrue(UiWait.until(display, () -> ChartViews.histogramPreviousNanCount(histogram) == 0, 30_000),
                "previous run overlay: " + ChartViews.histogramPreviousNanCount(histogram));
        Path svg = Files.createTempFile("histogram", ".svg");
        Path png = Files.createTempFile("histogram", ".png");
        try {
            ChartViews.exportHistogram(histogram, svg);
            ChartViews.exportHistogram(histogram, png);
            String drawing = Files.readString(svg);
            assertTrue(drawing.contains("<svg"), drawing.substring(0, Math.min(80, drawing.length())));
            assertTrue(drawing.contains("previous run"), "the legend names the overlay");
            byte[] image = Files.readAllBytes(png);
            assertEquals((byte) 0x89, image[0]);
            assertEquals('P', image[1]);
        } finally {
            Files.deleteIfExists(svg);
            Files.deleteIfExists(png);
        }
    }
}
