package org.tensorscope.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.handlers.IHandlerService;
import org.junit.jupiter.api.Test;
import org.tensorscope.core.report.Numbers;
import org.tensorscope.core.run.TraceOutcome;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.tensor.TensorSlice;
import org.tensorscope.core.trace.TensorHealth;
import org.tensorscope.ui.TensorscopeViews;
import org.tensorscope.ui.api.ShownInTextLines;
import org.tensorscope.ui.api.TextLine;
import org.tensorscope.ui.charts.tests.ChartViews;
import org.tensorscope.ui.internal.session.DebugSession;
import org.tensorscope.ui.internal.session.Demo;
import org.tensorscope.ui.internal.session.SteppingFocus;
import org.tensorscope.ui.internal.tensor.ShownInTensorWidgets;
import org.tensorscope.ui.internal.tensor.ValuesGrid;
import org.tensorscope.ui.internal.views.ShownInViews;
import org.tensorscope.ui.internal.views.TensorInspectorView;

/**
 * F6 and Shift+F6 through the demo's ops, whose outputs have different shapes: each step shows the
 * new tensor's values in the grid, from its top left, and its histogram, without running the model,
 * with the chart and its SWT image made off the UI thread, and the counts line changing with the chart;
 * the text lines above the grid and the chart are painted with each new text without being laid out.
 */
class SteppingGridTest {

    @Test
    void stepsShowEachTensorsValuesWithoutRunningTheModel() throws Exception {
        Display display = Display.getCurrent();
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        IHandlerService handlers = PlatformUI.getWorkbench().getService(IHandlerService.class);
        DebugSession session = TestServices.get(DebugSession.class);
        SteppingFocus focus = TestServices.get(SteppingFocus.class);
        TraceOutcome before = session.outcome().orElse(null);
        Demo.open(session);
        assertTrue(UiWait.until(display, () -> session.outcome().isPresent() && session.outcome().get() != before,
                120_000), "the demo's trace did not finish");
        TensorInspectorView inspector = (TensorInspectorView) page.showView(TensorscopeViews.TENSOR_INSPECTOR);
        IViewPart histogram = page.showView(TensorscopeViews.HISTOGRAM);
        // the Histogram shares the Inspector's folder: in a window of its own both are on the screen
        EModelService models = PlatformUI.getWorkbench().getService(EModelService.class);
        models.detach(histogram.getSite().getService(MPart.class), 700, 560, 560, 420);
        page.showView(TensorscopeViews.TENSOR_INSPECTOR);
        // the first chart of the VM need not wait for the charts' classes and fonts: a sample is drawn ahead
        assertTrue(UiWait.until(display, () -> ChartViews.chartsWarmedUpOffUiThread(histogram), 30_000),
                "no sample chart drawn off the UI thread once the Histogram opened");
        focus.stepTo(session.outcome().get().trace().rows().get(0).opName());
        assertTrue(UiWait.until(display, () -> ShownInViews.values(inspector) != null
                && Job.getJobManager().find(DebugSession.JOB_FAMILY).length == 0, 60_000), "first op not shown");

        AtomicInteger runs = new AtomicInteger();
        JobChangeAdapter counter = new JobChangeAdapter() {
            @Override
            public void scheduled(IJobChangeEvent event) {
                String name = event.getJob().getName();
                if (name.startsWith("Fetching ") && !name.contains("ahead")) {
                    runs.incrementAndGet(); // a step that had to run the model for its tensor
                }
            }
        };
        Set<Long> widths = new HashSet<>();
        int scrolled = 0;
        List<String> commands = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            commands.add("org.tensorscope.ui.commands.stepNext");
        }
        for (int i = 0; i < 6; i++) {
            commands.add("org.tensorscope.ui.commands.stepBack");
        }
        // the lines above the grid and the chart change on every step: GTK should draw them again,
        // not lay them out (a label's new text had it measure the label and allocate its way from
        // the window, a fifth of the UI thread's work while stepping)
        Map<String, TextLine> lines = new LinkedHashMap<>();
        lines.put("the Inspector's header", ShownInViews.headerLine(inspector));
        lines.put("the Inspector's statistics", ShownInViews.statsLine(inspector));
        lines.put("the Histogram's counts", ChartViews.histogramCountsLine(histogram));
        UiWait.until(display, () -> false, 500);
        GtkAllocations allocations = new GtkAllocations();
        lines.values().forEach(allocations::watch);
        Job.getJobManager().addJobChangeListener(counter);
        try {
            for (String command : commands) {
                // scrolled down in the tensor before: the next one is shown from its top left
                ValuesGrid grid = ShownInViews.valuesGrid(inspector);
                grid.control().setFocus();
                Event end = new Event();
                end.keyCode = SWT.END;
                grid.control().notifyListeners(SWT.KeyDown, end);
                if (ShownInTensorWidgets.topRow(grid) > 0) {
                    scrolled++;
                }
                handlers.executeCommand(command, null);
                TensorHealth row = focus.cursor().orElseThrow().current().orElseThrow();
                // the counts line changes with the chart it describes, in one repaint of the view:
                // the chart is still being drawn in its job when the step's command returns
                assertFalse(ChartViews.histogramCountsText(histogram).startsWith(row.tensor() + "   NaN"),
                        row.tensor() + ": the counts line ran ahead of its chart");
                assertTrue(UiWait.until(display, () -> ShownInViews.values(inspector) != null
                        && ShownInViews.values(inspector).name().equals(row.tensor())
                        && row.tensor().equals(ChartViews.histogramDrawn(histogram)), 30_000),
                        row.tensor() + " not shown; the histogram shows " + ChartViews.histogramDrawn(histogram));
                TensorData values = ShownInViews.values(inspector);
                assertEquals(values.size(), ChartViews.histogramChartTotal(histogram),
                        row.tensor() + ": the chart counts every value of the tensor shown");
                assertTrue(ChartViews.histogramDrawnOffUiThread(histogram), row.tensor() + ": chart drawn in the paint");
                assertTrue(ChartViews.histogramImageMadeOffUiThreadAndNotCopied(histogram),
                        row.tensor() + ": the chart's image made on the UI thread, or copied by the paint");
                assertTrue(ChartViews.histogramCountsText(histogram).startsWith(row.tensor() + "   NaN "),
                        row.tensor() + ": the counts line is of another tensor: " + ChartViews.histogramCountsText(histogram));
                TensorSlice slice = ShownInViews.sliceControls(inspector).slice();
                assertEquals(0, ShownInTensorWidgets.topRow(grid), row.tensor() + ": shown from its first row");
                assertTrue(ShownInTensorWidgets.accessibleName(grid).startsWith("Values of " + row.tensor() + " "
                        + slice.describe() + ": " + slice.rows() + " rows, " + slice.columns() + " columns"),
                        ShownInTensorWidgets.accessibleName(grid));
                long last = slice.columns() - 1;
                assertEquals(Numbers.format(values.getDouble(slice.flatIndex(0, 0))),
                        ShownInTensorWidgets.cellText(grid, 0, 0), row.tensor() + " cell (0, 0)");
                assertEquals(Numbers.format(values.getDouble(slice.flatIndex(0, last))),
                        ShownInTensorWidgets.cellText(grid, 0, (int) last), row.tensor() + " cell (0, " + last + ")");
                widths.add(slice.columns());
                // what the user sees: each line painted with the new tensor's text
                assertTrue(UiWait.until(display, () -> lines.values().stream()
                        .allMatch(line -> line.getText().equals(ShownInTextLines.painted(line))), 10_000),
                        row.tensor() + ": a text line was not painted with its new text");
                assertTrue(ShownInTextLines.painted(lines.get("the Inspector's header")).startsWith(row.tensor() + "  "),
                        ShownInTextLines.painted(lines.get("the Inspector's header")));
                assertTrue(ShownInTextLines.painted(lines.get("the Inspector's statistics"))
                        .startsWith("count " + values.size() + "   NaN "), ShownInTextLines.painted(lines.get("the Inspector's statistics")));
                assertTrue(ShownInTextLines.painted(lines.get("the Histogram's counts")).startsWith(row.tensor() + "   NaN "),
                        ShownInTextLines.painted(lines.get("the Histogram's counts")));
            }
            Map<String, Integer> laidOut = new LinkedHashMap<>();
            lines.forEach((name, line) -> laidOut.put(name, allocations.count(line)));
            assertTrue(laidOut.values().stream().allMatch(times -> times == 0), "GTK laid out the text lines again in "
                    + commands.size() + " steps (times each): " + laidOut + "; a new text needs a repaint only");
        } finally {
            allocations.close();
            Job.getJobManager().removeJobChangeListener(counter);
        }
        assertTrue(widths.size() > 1, "the steps crossed tensors of different widths: " + widths);
        assertTrue(scrolled > 0, "no step left a tensor scrolled down");
        assertEquals(0, runs.get(), "no step ran the model for its tensor");
        // the views show nothing again, so that a later test waiting for them sees its own tensors
        page.hideView(histogram);
        session.closeModel();
    }
}
