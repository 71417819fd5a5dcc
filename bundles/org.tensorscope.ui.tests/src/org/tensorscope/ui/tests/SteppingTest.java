package org.tensorscope.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.handlers.IHandlerService;
import org.junit.jupiter.api.Test;
import org.tensorscope.core.run.TraceOutcome;
import org.tensorscope.core.trace.Breakpoint;
import org.tensorscope.core.trace.TensorHealth;
import org.tensorscope.ui.TensorscopeViews;
import org.tensorscope.ui.internal.session.Breakpoints;
import org.tensorscope.ui.internal.session.DebugSession;
import org.tensorscope.ui.internal.session.Demo;
import org.tensorscope.ui.internal.session.RunConfiguration;
import org.tensorscope.ui.internal.views.BreakpointsView;
import org.tensorscope.ui.internal.views.GraphView;
import org.tensorscope.ui.internal.views.ModelExplorerView;
import org.tensorscope.ui.internal.views.TensorInspectorView;

/**
 * A real MobileNet V2 opened as a user would: F6 through 20 ops keeps the explorer, the graph and
 * the inspector on the op under the cursor; a conditional breakpoint stops F8 and is remembered
 * with the model, as is the run configuration.
 */
class SteppingTest {

    private static Path mobilenet() {
        return Path.of(System.getProperty("tensorscope.testdata"), "tfjs", "mobilenet_v2_mid", "model.json");
    }

    @Test
    void twentyStepsKeepEveryViewOnTheCursor() throws Exception {
        Display display = Display.getCurrent();
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        IHandlerService handlers = PlatformUI.getWorkbench().getService(IHandlerService.class);
        DebugSession session = DebugSession.get();
        TraceOutcome before = session.outcome().orElse(null);
        session.open(mobilenet(), null, true);
        assertTrue(UiWait.until(display, () -> session.outcome().isPresent() && session.outcome().get() != before,
                120_000), "mobilenet did not run");
        assertTrue(session.outcome().get().allFinite(), "mobilenet on a ramp is finite");

        ModelExplorerView explorer = (ModelExplorerView) page.showView(TensorscopeViews.MODEL_EXPLORER);
        GraphView graph = (GraphView) page.showView(TensorscopeViews.GRAPH);
        TensorInspectorView inspector = (TensorInspectorView) page.showView(TensorscopeViews.TENSOR_INSPECTOR);
        assertTrue(UiWait.until(display, () -> graph.isShowing(session.graph().get()), 30_000), "graph laid out");
        for (int step = 0; step < 20; step++) {
            handlers.executeCommand("org.tensorscope.ui.commands.stepNext", null);
            String op = session.cursor().orElseThrow().current().orElseThrow().opName();
            String box = graph.getDrawing().graph().nodeOf(op).orElseThrow();
            assertTrue(UiWait.until(display, () -> op.equals(explorer.getSelectedOpName())
                    && box.equals(graph.getCurrentBoxId())
                    && inspector.getHeaderText().startsWith(op + ":"), 10_000),
                    "step " + step + " to " + op + ": explorer " + explorer.getSelectedOpName() + ", graph "
                            + graph.getCurrentBoxId() + ", inspector " + inspector.getHeaderText());
        }
    }

    @Test
    void breakpointsAndTheRunConfigurationAreRememberedWithTheModel() throws Exception {
        Display display = Display.getCurrent();
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        DebugSession session = DebugSession.get();
        TraceOutcome before = session.outcome().orElse(null);
        session.open(mobilenet(), null, false);
        assertTrue(UiWait.until(display, () -> session.graph().isPresent()
                && session.graph().get().source().equals(mobilenet()) && session.outcome().isEmpty(), 60_000));
        Breakpoints.get().removeAll();
        Breakpoint big = new Breakpoint.MaxAbsAbove(5.0, true);
        Breakpoints.get().add(big);
        BreakpointsView view = (BreakpointsView) page.showView(TensorscopeViews.BREAKPOINTS);
        assertTrue(UiWait.until(display, () -> view.getShownBreakpoints().equals(List.of(big)), 5_000));
        RunConfiguration configuration = new RunConfiguration(null, List.of("uniform:0:1:7"), "", session
                .configuration().device(), session.configuration().mode());
        session.configure(configuration);
        session.run();
        assertTrue(UiWait.until(display, () -> session.outcome().isPresent() && session.outcome().get() != before,
                120_000));

        // F8 from the start stops at the first op whose output exceeds 5 in magnitude
        session.stepTo(session.outcome().get().trace().rows().get(0).opName());
        session.resume();
        TensorHealth stop = session.cursor().orElseThrow().current().orElseThrow();
        List<TensorHealth> rows = session.outcome().get().trace().rows();
        TensorHealth expected = rows.stream().skip(1).filter(r -> r.maxAbs() > 5.0).findFirst().orElseThrow();
        assertEquals(expected.opName(), stop.opName());

        // another model has its own; opening this one again brings both back
        session.open(Demo.modelFile(), null, false);
        assertTrue(UiWait.until(display, () -> session.graph().isPresent()
                && !session.graph().get().source().equals(mobilenet()), 60_000));
        assertTrue(UiWait.until(display, () -> !view.getShownBreakpoints().contains(big), 5_000),
                "the demo model does not show mobilenet's breakpoint");
        session.open(mobilenet(), null, false);
        assertTrue(UiWait.until(display, () -> session.graph().isPresent()
                && session.graph().get().source().equals(mobilenet()), 60_000));
        assertEquals(List.of("uniform:0:1:7"), session.configuration().inputSources());
        assertEquals(List.of(big), Breakpoints.get().all());
        assertTrue(UiWait.until(display, () -> view.getShownBreakpoints().equals(List.of(big)), 5_000));
        Breakpoints.get().removeAll();
    }
}
