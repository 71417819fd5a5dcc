package org.tensorscope.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.IJobChangeListener;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.jface.viewers.ISelectionChangedListener;
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
import org.tensorscope.ui.internal.session.SteppingFocus;
import org.tensorscope.ui.internal.session.Demo;
import org.tensorscope.ui.internal.session.RunConfiguration;
import org.tensorscope.ui.internal.views.BreakpointsView;
import org.tensorscope.ui.internal.views.GraphView;
import org.tensorscope.ui.internal.views.ModelExplorerView;
import org.tensorscope.ui.internal.views.ShownInViews;
import org.tensorscope.ui.internal.views.TensorInspectorView;

/**
 * A real MobileNet V2 opened as a user would: F6 through 20 ops keeps the explorer, the graph and
 * the inspector on the op under the cursor; quick steps are shown from the tensors fetched ahead,
 * with the explorer following once they pause; a conditional breakpoint stops F8 and is remembered
 * with the model, as is the run configuration.
 */
class SteppingTest {

    private static Path mobilenet() {
        return Path.of(System.getProperty("tensorscope.testdata"), "tfjs", "mobilenet_v2_mid", "model.json");
    }

    /** Opens MobileNet V2 as File > Open does, with a run, and waits for its trace. */
    private static DebugSession openAndRunMobilenet(Display display) {
        DebugSession session = TestServices.get(DebugSession.class);
        TraceOutcome before = session.outcome().orElse(null);
        session.open(mobilenet(), null, true);
        assertTrue(UiWait.until(display, () -> session.outcome().isPresent() && session.outcome().get() != before,
                120_000), "mobilenet did not run");
        return session;
    }

    @Test
    void twentyStepsKeepEveryViewOnTheCursor() throws Exception {
        Display display = Display.getCurrent();
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        IHandlerService handlers = PlatformUI.getWorkbench().getService(IHandlerService.class);
        DebugSession session = openAndRunMobilenet(display);
        assertTrue(session.outcome().get().allFinite(), "mobilenet on a ramp is finite");

        ModelExplorerView explorer = (ModelExplorerView) page.showView(TensorscopeViews.MODEL_EXPLORER);
        GraphView graph = (GraphView) page.showView(TensorscopeViews.GRAPH);
        TensorInspectorView inspector = (TensorInspectorView) page.showView(TensorscopeViews.TENSOR_INSPECTOR);
        assertTrue(UiWait.until(display, () -> ShownInViews.isShowing(graph, session.graph().get()), 30_000), "graph laid out");
        for (int step = 0; step < 20; step++) {
            handlers.executeCommand("org.tensorscope.ui.commands.stepNext", null);
            String op = TestServices.get(SteppingFocus.class).cursor().orElseThrow().current().orElseThrow().opName();
            String box = ShownInViews.drawing(graph).graph().nodeOf(op).orElseThrow();
            assertTrue(UiWait.until(display, () -> op.equals(explorer.getSelectedOpName())
                    && box.equals(graph.getCurrentBoxId())
                    && ShownInViews.headerText(inspector).startsWith(op + ":"), 10_000),
                    "step " + step + " to " + op + ": explorer " + explorer.getSelectedOpName() + ", graph "
                            + graph.getCurrentBoxId() + ", inspector " + ShownInViews.headerText(inspector));
        }
    }

    @Test
    void stepsShowTensorsFetchedAheadWithoutRunningTheModel() throws Exception {
        Display display = Display.getCurrent();
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        IHandlerService handlers = PlatformUI.getWorkbench().getService(IHandlerService.class);
        DebugSession session = openAndRunMobilenet(display);
        ModelExplorerView explorer = (ModelExplorerView) page.showView(TensorscopeViews.MODEL_EXPLORER);
        TensorInspectorView inspector = (TensorInspectorView) page.showView(TensorscopeViews.TENSOR_INSPECTOR);
        SteppingFocus focus = TestServices.get(SteppingFocus.class);
        focus.stepTo(session.outcome().get().trace().rows().get(0).opName());
        String first = focus.focusOp().orElseThrow();
        assertTrue(UiWait.until(display, () -> ShownInViews.values(inspector) != null
                && Job.getJobManager().find(DebugSession.JOB_FAMILY).length == 0
                && first.equals(explorer.getSelectedOpName()), 60_000),
                "the first op's values and the tensors ahead were fetched, and the explorer selected it");
        UiWait.until(display, () -> false, ShownInViews.explorerFollowIntervalMillis());
        List<Object> selected = new CopyOnWriteArrayList<>();
        ISelectionChangedListener selections = e -> selected.add(e.getStructuredSelection().getFirstElement());
        ShownInViews.explorerViewer(explorer).addSelectionChangedListener(selections);

        List<String> fetches = new CopyOnWriteArrayList<>();
        IJobChangeListener listener = new JobChangeAdapter() {
            @Override
            public void scheduled(IJobChangeEvent event) {
                fetches.add(event.getJob().getName());
            }
        };
        Job.getJobManager().addJobChangeListener(listener);
        long start = System.currentTimeMillis();
        try {
            // as F6 held down: no event is handled between the steps
            for (int step = 0; step < 20; step++) {
                int statsShown = ShownInViews.statsShown(inspector);
                handlers.executeCommand("org.tensorscope.ui.commands.stepNext", null);
                TensorHealth row = focus.cursor().orElseThrow().current().orElseThrow();
                // the values' statistics only: the trace's counts are for values that do not come at once
                assertEquals(statsShown + 1, ShownInViews.statsShown(inspector), "step " + step + " set the statistics line "
                        + (ShownInViews.statsShown(inspector) - statsShown) + " times");
                // shown at once: no job ran between the step and this check
                assertTrue(ShownInViews.values(inspector) != null && ShownInViews.values(inspector).name().equals(row.tensor()),
                        "step " + step + " to " + row.tensor() + " shows " + (ShownInViews.values(inspector) == null ? "nothing"
                                : ShownInViews.values(inspector).name()));
                assertEquals(row.elements(), ShownInViews.values(inspector).size());
            }
        } finally {
            Job.getJobManager().removeJobChangeListener(listener);
        }
        long stepping = System.currentTimeMillis() - start;
        assertTrue(fetches.stream().noneMatch(name -> name.startsWith("Fetching ") && !name.contains("ahead")),
                "no step ran the model for its tensor: " + fetches);
        // the explorer's tree follows the first step at once, then the last once the steps pause
        // (and once per interval, should the steps have been slow), not each step
        String last = focus.focusOp().orElseThrow();
        assertTrue(UiWait.until(display, () -> last.equals(explorer.getSelectedOpName()), 10_000),
                "the explorer ends on the op stepped to, " + last + ", not " + explorer.getSelectedOpName());
        UiWait.until(display, () -> false, 2 * ShownInViews.explorerFollowIntervalMillis());
        ShownInViews.explorerViewer(explorer).removeSelectionChangedListener(selections);
        assertTrue(selected.size() <= 2 + stepping / ShownInViews.explorerFollowIntervalMillis(),
                "20 steps in " + stepping + " ms moved the explorer's selection " + selected.size() + " times");
    }

    @Test
    void breakpointsAndTheRunConfigurationAreRememberedWithTheModel() throws Exception {
        Display display = Display.getCurrent();
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        DebugSession session = TestServices.get(DebugSession.class);
        TraceOutcome before = session.outcome().orElse(null);
        session.open(mobilenet(), null, false);
        assertTrue(UiWait.until(display, () -> session.graph().isPresent()
                && session.graph().get().source().equals(mobilenet()) && session.outcome().isEmpty(), 60_000));
        TestServices.get(Breakpoints.class).removeAll();
        Breakpoint big = new Breakpoint.MaxAbsAbove(5.0, true);
        TestServices.get(Breakpoints.class).add(big);
        BreakpointsView view = (BreakpointsView) page.showView(TensorscopeViews.BREAKPOINTS);
        assertTrue(UiWait.until(display, () -> ShownInViews.breakpoints(view).equals(List.of(big)), 5_000));
        RunConfiguration configuration = new RunConfiguration(null, List.of("uniform:0:1:7"), "", session
                .configuration().device(), session.configuration().mode());
        session.configure(configuration);
        session.run();
        assertTrue(UiWait.until(display, () -> session.outcome().isPresent() && session.outcome().get() != before,
                120_000));

        // F8 from the start stops at the first op whose output exceeds 5 in magnitude
        TestServices.get(SteppingFocus.class).stepTo(session.outcome().get().trace().rows().get(0).opName());
        TestServices.get(SteppingFocus.class).resume();
        TensorHealth stop = TestServices.get(SteppingFocus.class).cursor().orElseThrow().current().orElseThrow();
        List<TensorHealth> rows = session.outcome().get().trace().rows();
        TensorHealth expected = rows.stream().skip(1).filter(r -> r.maxAbs() > 5.0).findFirst().orElseThrow();
        assertEquals(expected.opName(), stop.opName());

        // another model has its own; opening this one again brings both back
        session.open(Demo.modelFile(), null, false);
        assertTrue(UiWait.until(display, () -> session.graph().isPresent()
                && !session.graph().get().source().equals(mobilenet()), 60_000));
        assertTrue(UiWait.until(display, () -> !ShownInViews.breakpoints(view).contains(big), 5_000),
                "the demo model does not show mobilenet's breakpoint");
        session.open(mobilenet(), null, false);
        assertTrue(UiWait.until(display, () -> session.graph().isPresent()
                && session.graph().get().source().equals(mobilenet()), 60_000));
        assertEquals(List.of("uniform:0:1:7"), session.configuration().inputSources());
        assertEquals(List.of(big), TestServices.get(Breakpoints.class).all());
        assertTrue(UiWait.until(display, () -> ShownInViews.breakpoints(view).equals(List.of(big)), 5_000));
        TestServices.get(Breakpoints.class).removeAll();
    }
}
