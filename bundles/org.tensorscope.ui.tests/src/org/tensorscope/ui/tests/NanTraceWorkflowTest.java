package org.tensorscope.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.handlers.IHandlerService;
import org.junit.jupiter.api.Test;
import org.tensorscope.core.model.CollapsedGraph;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.trace.TensorHealth;
import org.tensorscope.ui.TensorscopeViews;
import org.tensorscope.ui.charts.tests.ChartViews;
import org.tensorscope.ui.internal.handlers.RunConfigurationDialog;
import org.tensorscope.ui.internal.handlers.ShownInDialogs;
import org.tensorscope.ui.internal.session.DebugSession;
import org.tensorscope.ui.internal.session.SteppingFocus;
import org.tensorscope.ui.internal.session.Demo;
import org.tensorscope.ui.internal.graph.NodeHealth;
import org.tensorscope.ui.internal.views.GraphView;
import org.tensorscope.ui.internal.views.ModelExplorerView;
import org.tensorscope.ui.internal.views.NanTraceView;
import org.tensorscope.ui.internal.views.ShownInViews;
import org.tensorscope.ui.internal.views.TensorInspectorView;

/**
 * The story in one click, in the real workbench: open the demo, which runs the hand-pose model on
 * an unclipped HDR frame, then step to the anomaly and check what every view shows.
 */
class NanTraceWorkflowTest {

    @Test
    void demoLandsOnTheNanTraceAndSteppingKeepsTheViewsInStep() throws Exception {
        Display display = Display.getCurrent();
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        DebugSession session = TestServices.get(DebugSession.class);

        Object before = session.outcome().orElse(null);
        Demo.open(TestServices.get(DebugSession.class));
        assertTrue(UiWait.until(display, () -> session.outcome().orElse(null) != before
                && session.outcome().isPresent(), 120_000), "the demo's trace did not finish");

        NanReport report = session.outcome().get().report();
        assertFalse(report.finite());
        assertEquals("accumulation-overflow", report.origin().cause().rule());

        NanTraceView trace = (NanTraceView) page.showView(TensorscopeViews.NAN_TRACE);
        assertFalse(trace.isShowingEmptyState());
        assertTrue(ShownInViews.summaryText(trace).contains("Accumulation overflow"), ShownInViews.summaryText(trace));
        assertTrue(ShownInViews.summaryText(trace).contains("NaN/Inf starts at " + report.origin().op()), ShownInViews.summaryText(trace));

        // like a debugger stopping at an exception, the run lands on the origin
        IHandlerService handlers = PlatformUI.getWorkbench().getService(IHandlerService.class);
        String origin = report.origin().op();
        assertEquals(origin, TestServices.get(SteppingFocus.class).focusOp().orElse(null));
        ModelExplorerView explorer = (ModelExplorerView) page.showView(TensorscopeViews.MODEL_EXPLORER);
        assertTrue(UiWait.until(display, () -> origin.equals(explorer.getSelectedOpName()), 5_000),
                "explorer selects the origin: " + explorer.getSelectedOpName());

        TensorInspectorView inspector = (TensorInspectorView) page.showView(TensorscopeViews.TENSOR_INSPECTOR);
        assertTrue(ShownInViews.headerText(inspector).startsWith(origin + ":0"), ShownInViews.headerText(inspector));

        IViewPart histogram = page.showView(TensorscopeViews.HISTOGRAM);
        TensorHealth originRow = TestServices.get(SteppingFocus.class).cursor().orElseThrow().current().orElseThrow();
        // an open Histogram shows the tensor it showed before until the origin's values are fetched
        long infs = originRow.posInfCount() + originRow.negInfCount();
        UiWait.until(display, () -> ChartViews.histogramInfCount(histogram) == infs, 30_000);
        assertEquals(infs, ChartViews.histogramInfCount(histogram), "the chart's Inf count is the trace's");

        // the graph colours the origin red and, asked to show it, gives it its own outlined box
        GraphView graph = (GraphView) page.showView(TensorscopeViews.GRAPH);
        assertTrue(UiWait.until(display, () -> ShownInViews.isShowing(graph, session.graph().get()), 30_000), "graph not laid out");
        assertEquals(NodeHealth.ORIGIN, graph.getHealthOf(origin));
        CollapsedGraph drawn = ShownInViews.drawing(graph).graph();
        String originBox = drawn.nodeOf(origin).orElseThrow();
        String downstream = session.outcome().get().trace().rows().stream().filter(row -> !row.isFinite())
                .map(TensorHealth::opName).filter(op -> !drawn.nodeOf(op).orElseThrow().equals(originBox))
                .findFirst().orElseThrow();
        assertEquals(NodeHealth.PROPAGATED, graph.getHealthOf(downstream), downstream);
        graph.reveal(origin);
        assertTrue(UiWait.until(display, () -> origin.equals(graph.getCurrentBoxId()), 30_000),
                "origin box outlined: " + graph.getCurrentBoxId());

        // F6 twice then Shift+F6: one op further than the origin
        handlers.executeCommand("org.tensorscope.ui.commands.stepNext", null);
        handlers.executeCommand("org.tensorscope.ui.commands.stepNext", null);
        handlers.executeCommand("org.tensorscope.ui.commands.stepBack", null);
        String next = TestServices.get(SteppingFocus.class).cursor().orElseThrow().current().orElseThrow().opName();
        int originIndex = session.outcome().get().trace().rows().indexOf(originRow);
        assertEquals(session.outcome().get().trace().rows().get(originIndex + 1).opName(), next);
        assertTrue(UiWait.until(display, () -> next.equals(explorer.getSelectedOpName()), 5_000));

        // F8: on to the next op holding NaN or Inf
        handlers.executeCommand("org.tensorscope.ui.commands.resume", null);
        TensorHealth anomaly = TestServices.get(SteppingFocus.class).cursor().orElseThrow().current().orElseThrow();
        assertFalse(anomaly.isFinite());
        assertTrue(session.outcome().get().trace().rows().indexOf(anomaly) > originIndex + 1);

        // the first NaN: its histogram counts NaN apart
        TestServices.get(SteppingFocus.class).stepTo(report.origin().firstNanOp());
        TensorHealth nanRow = TestServices.get(SteppingFocus.class).cursor().orElseThrow().current().orElseThrow();
        assertTrue(nanRow.nanCount() > 0);
        assertTrue(UiWait.until(display, () -> ChartViews.histogramNanCount(histogram) == nanRow.nanCount(), 30_000),
                "histogram NaN count " + ChartViews.histogramNanCount(histogram) + ", trace " + nanRow.nanCount());

        IViewPart profile = page.showView(TensorscopeViews.LAYER_PROFILE);
        assertEquals(session.outcome().get().trace().rows().size(), ChartViews.profilePlottedOpCount(profile));
        assertTrue(UiWait.until(display, () -> ChartViews.profileDrawn(profile), 10_000), "layer profile not drawn");
        var rows = session.outcome().get().trace().rows();
        ChartViews.profileClickAt(profile, 1.0);
        assertEquals(rows.get(rows.size() - 1).opName(), TestServices.get(SteppingFocus.class).focusOp().orElse(null), "a click on the last point");
        ChartViews.profileClickAt(profile, 0.0);
        assertEquals(rows.get(0).opName(), TestServices.get(SteppingFocus.class).focusOp().orElse(null), "a click on the first point");

        // Run > Run Configuration… shows the demo's frame and refuses a source it cannot read
        RunConfigurationDialog dialog = new RunConfigurationDialog(page.getWorkbenchWindow().getShell(),
                session.graph().orElseThrow(), session.configuration());
        dialog.setBlockOnOpen(false);
        dialog.open();
        try {
            assertEquals("ramp*1e38", ShownInDialogs.sourceField(dialog, "input_1").getText());
            assertTrue(UiWait.until(display, () -> ShownInDialogs.previewText(dialog, "input_1").contains("range [0, 9.9608e+37]"), 10_000),
                    "the frame's range is previewed: " + ShownInDialogs.previewText(dialog, "input_1"));
            ShownInDialogs.sourceField(dialog, "input_1").setText("const:255");
            assertTrue(UiWait.until(display, () -> ShownInDialogs.previewText(dialog, "input_1").contains("range [255, 255]"), 10_000),
                    ShownInDialogs.previewText(dialog, "input_1"));
            ShownInDialogs.sourceField(dialog, "input_1").setText("uniform:0");
            assertEquals("Input source 'uniform:0' should be uniform:LO:HI[:SEED]", dialog.getErrorMessage());
        } finally {
            dialog.close();
        }
    }
}
