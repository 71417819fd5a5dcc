package org.tensorscope.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.widgets.Display;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.ui.IViewPart;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.handlers.IHandlerService;
import org.junit.jupiter.api.Test;
import org.tensorscope.core.model.CollapsedGraph;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.run.TraceOutcome;
import org.tensorscope.core.trace.TensorHealth;
import org.tensorscope.ui.TensorscopeViews;
import org.tensorscope.ui.internal.graph.GraphDrawing;
import org.tensorscope.ui.internal.graph.GraphLayout;
import org.tensorscope.ui.internal.session.DebugSession;
import org.tensorscope.ui.internal.session.Demo;
import org.tensorscope.ui.internal.session.SteppingFocus;
import org.tensorscope.ui.internal.views.GraphView;
import org.tensorscope.ui.internal.views.MeasuredViews;
import org.tensorscope.ui.internal.views.TensorInspectorView;

/**
 * How long the Graph view takes to show a model, and the longest the UI thread goes without
 * processing events while a model runs. Reports numbers; asserts nothing about them.
 */
class WorkbenchBenchmark {

    @Test
    void graphOpensAndTheUiStaysResponsiveDuringARun() throws Exception {
        Display display = Display.getCurrent();
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        DebugSession session = PlatformUI.getWorkbench().getService(DebugSession.class);
        GraphView graph = (GraphView) page.showView(TensorscopeViews.GRAPH);
        List<String> report = new ArrayList<>();
        report.add(BenchmarkMode.header("the workbench"));

        // -Dtensorscope.benchmark.steppingOnly=true: only the demo run and the stepping
        if (!Boolean.getBoolean("tensorscope.benchmark.steppingOnly")) {
            for (String model : List.of("tfjs/mobilenet_v2_mid/model.json", "tfjs/handlandmark-lite/handlandmark-lite.json")) {
                Path path = Path.of(System.getProperty("tensorscope.testdata"), model);
                session.open(path, null, false);
                pump(display, () -> session.graph().isPresent() && session.graph().get().source().equals(path));
                long start = System.nanoTime();
                pump(display, () -> MeasuredViews.isShowing(graph, session.graph().get()));
                report.add(String.format("graph view, %s (%d ops, %d boxes): %.0f ms from loaded to drawn", model,
                        session.graph().get().ops().size(), MeasuredViews.drawing(graph).boxes().size(), millis(start)));
            }

            for (int blocks : new int[] {50, 200}) {
                ModelGraph synthetic = inceptionLike(blocks);
                long start = System.nanoTime();
                GraphDrawing folded = GraphLayout.layout(CollapsedGraph.readable(synthetic, 120), new NullProgressMonitor());
                double foldedMillis = millis(start);
                start = System.nanoTime();
                GraphDrawing open = GraphLayout.layout(CollapsedGraph.of(synthetic, CollapsedGraph.everyScope(synthetic)),
                        new NullProgressMonitor());
                report.add(String.format("layout of a %d-op generated model: %.0f ms folded (%d boxes), %.0f ms with every"
                        + " scope open (%d boxes)", synthetic.ops().size(), foldedMillis, folded.boxes().size(), millis(start),
                        open.boxes().size()));
            }
        }

        TraceOutcome before = session.outcome().orElse(null);
        settle(display);
        long start = System.nanoTime();
        UiHeartbeat heartbeat = UiHeartbeat.start(display, 10);
        Demo.open(session);
        pump(display, () -> session.outcome().isPresent() && session.outcome().get() != before);
        double stall = heartbeat.stop();
        report.add(String.format("demo open + run + trace: %.0f ms; longest UI thread stall: %.0f ms (the most CPU time"
                + " the UI thread spent between two ticks: %.0f ms)", millis(start), stall, heartbeat.longestBusy()));
        report.addAll(heartbeat.stalls(6));
        report.add(landing(display, page));
        report.addAll(stepping(display, page, session, BenchmarkMode.full() ? 50 : 10));

        report.forEach(System.out::println);
        String file = System.getProperty("tensorscope.benchmarkReport");
        if (file != null) {
            write(Path.of(file), report);
        }
    }

    /** How long after the trace landed the Inspector, in the perspective as the demo left it, showed the landing's values. */
    private static String landing(Display display, IWorkbenchPage page) {
        long landed = System.nanoTime();
        String landedOn = PlatformUI.getWorkbench().getService(SteppingFocus.class).focusTensor().orElse(null);
        if (!(page.findView(TensorscopeViews.TENSOR_INSPECTOR) instanceof TensorInspectorView inspector) || landedOn == null) {
            return "the trace landed: no Inspector open, or no tensor in focus";
        }
        pump(display, () -> MeasuredViews.values(inspector) != null && MeasuredViews.values(inspector).name().equals(landedOn));
        return String.format("the trace landed on %s: the Inspector showed its values %.0f ms later", landedOn, millis(landed));
    }

    /**
     * F6 through the demo's ops with the Inspector, the Histogram and the Graph open, then Shift+F6
     * back: how long each step takes until all three show the new op (the Inspector its values, the
     * Histogram its chart, the Graph its box outlined), and the longest the UI thread went without
     * handling events meanwhile.
     */
    private static List<String> stepping(Display display, IWorkbenchPage page, DebugSession session, int steps)
            throws Exception {
        TensorInspectorView inspector = (TensorInspectorView) page.showView(TensorscopeViews.TENSOR_INSPECTOR);
        IViewPart histogram = page.showView(TensorscopeViews.HISTOGRAM);
        // the Histogram shares the Inspector's folder: in a window of its own both are on the screen
        EModelService models = PlatformUI.getWorkbench().getService(EModelService.class);
        models.detach(histogram.getSite().getService(MPart.class), 700, 560, 560, 420);
        page.showView(TensorscopeViews.TENSOR_INSPECTOR);
        GraphView graph = (GraphView) page.showView(TensorscopeViews.GRAPH);
        SteppingFocus focus = PlatformUI.getWorkbench().getService(SteppingFocus.class);
        IHandlerService handlers = PlatformUI.getWorkbench().getService(IHandlerService.class);
        TensorHealth first = session.outcome().orElseThrow().trace().rows().get(0);
        // the tensors around the trace's origin, fetched as the demo's run landed, are not the step's to wait for
        long landed = System.nanoTime();
        pump(display, () -> Job.getJobManager().find(DebugSession.JOB_FAMILY).length == 0);
        double landingFetches = millis(landed);
        long opened = System.nanoTime();
        focus.stepTo(first.opName());
        pump(display, () -> MeasuredViews.values(inspector) != null && MeasuredViews.values(inspector).name().equals(first.tensor()));
        double valuesShown = millis(opened);
        // the first chart after the view opened: what a sample chart drawn ahead must not slow down
        pump(display, () -> MeasuredViews.histogramShows(histogram, first.tensor()));
        double chartShown = millis(opened);
        pump(display, () -> Job.getJobManager().find(DebugSession.JOB_FAMILY).length == 0);
        List<String> lines = new ArrayList<>();
        lines.add(String.format("the Histogram opened, its first chart (%s): %.0f ms after the step onto it (the Inspector's"
                + " values after %.0f ms, the fetches ahead of the cursor done after %.0f ms; the fetches begun as the"
                + " demo's run landed were done %.0f ms after the views opened)", first.tensor(), chartShown, valuesShown,
                millis(opened), landingFetches));
        settle(display);
        for (String command : List.of("org.tensorscope.ui.commands.stepNext", "org.tensorscope.ui.commands.stepBack")) {
            UiHeartbeat heartbeat = UiHeartbeat.start(display, 5);
            PaintLog paints = PaintLog.start(display, Map.of("Inspector", inspector.getControl(), "Histogram",
                    ((org.tensorscope.ui.api.EmptyStateView) histogram).getControl(), "Graph", graph.getControl()));
            long from = System.nanoTime();
            // CPU time is what the step cost, whatever else the machine's cores did meanwhile
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long uiCpu = threads.getCurrentThreadCpuTime();
            long vmCpu = processCpuNanos();
            ThreadKindCpu byKind = ThreadKindCpu.now();
            double[] latencies = new double[steps];
            String slowest = "";
            for (int step = 0; step < steps; step++) {
                long start = System.nanoTime();
                handlers.executeCommand(command, null);
                TensorHealth row = focus.cursor().orElseThrow().current().orElseThrow();
                // when each view first showed the op, to tell which one the slowest step waited for
                long[] shown = new long[3];
                pump(display, () -> {
                    boolean[] done = {MeasuredViews.values(inspector) != null
                            && MeasuredViews.values(inspector).name().equals(row.tensor()),
                            MeasuredViews.histogramShows(histogram, row.tensor()), MeasuredViews.outlines(graph, row.opName())};
                    for (int view = 0; view < 3; view++) {
                        if (done[view] && shown[view] == 0) {
                            shown[view] = System.nanoTime();
                        }
                    }
                    return done[0] && done[1] && done[2];
                });
                latencies[step] = millis(start);
                paints.step();
                if (Arrays.stream(latencies).max().getAsDouble() == latencies[step]) {
                    slowest = String.format(" (step %d onto %s: the Inspector after %.0f ms, the Histogram %.0f ms, the Graph %.0f ms)",
                            step + 1, row.tensor(), (shown[0] - start) / 1e6, (shown[1] - start) / 1e6, (shown[2] - start) / 1e6);
                }
            }
            double stall = heartbeat.stop();
            double uiCpuPerStep = (threads.getCurrentThreadCpuTime() - uiCpu) / 1e6 / steps;
            long vmCpuAfter = processCpuNanos();
            double vmCpuPerStep = vmCpu < 0 || vmCpuAfter < 0 ? Double.NaN : (vmCpuAfter - vmCpu) / 1e6 / steps;
            String cpuByKind = ThreadKindCpu.now().perStepSince(byKind, steps);
            double[] sorted = latencies.clone();
            Arrays.sort(sorted);
            List<String> stalls = heartbeat.stalls(4);
            lines.add(String.format("%s through %d ops of the demo (Inspector, Histogram, Graph open): median %.1f ms,"
                    + " slowest %.1f ms%s until the three show the new op; longest UI thread stall while stepping: %.0f ms"
                    + " (the most CPU time the UI thread spent between two ticks: %.0f ms); CPU time per step: the UI"
                    + " thread %.1f ms, the whole VM %.1f ms (by thread: %s)",
                    command.endsWith("stepNext") ? "F6" : "Shift+F6", steps, sorted[steps / 2], sorted[steps - 1], slowest, stall,
                    heartbeat.longestBusy(), uiCpuPerStep, vmCpuPerStep, cpuByKind));
            lines.addAll(stalls);
            lines.addAll(paints.stop());
            lines.add(String.format("  (stepping from System.nanoTime %d to %d)", from, System.nanoTime()));
        }
        return lines;
    }

    /** Blocks of four parallel branches (1x1, 3x3, 5x5, pool) joined by a concat: 6 ops a block. */
    private static ModelGraph inceptionLike(int blocks) {
        List<OpNode> ops = new ArrayList<>();
        ops.add(new OpNode("input", "Placeholder", "", Map.of(), List.of(), List.of()));
        String in = "input:0";
        for (int b = 0; b < blocks; b++) {
            String scope = "mixed_" + b + "/";
            List<String> branches = new ArrayList<>();
            for (String branch : List.of("conv1x1", "conv3x3", "conv5x5", "pool")) {
                ops.add(new OpNode(scope + branch, branch.startsWith("conv") ? "Conv2D" : "MaxPool", "", Map.of(),
                        List.of(in), List.of()));
                branches.add(scope + branch + ":0");
            }
            ops.add(new OpNode(scope + "concat", "ConcatV2", "", Map.of(), branches, List.of()));
            ops.add(new OpNode(scope + "relu", "Relu", "", Map.of(), List.of(scope + "concat:0"), List.of()));
            in = scope + "relu:0";
        }
        return new ModelGraph(Path.of("generated"), "generated", ops, List.of(), List.of());
    }

    /** The CPU time of the whole VM (JIT compilers and GC included); -1 where the system does not tell. */
    private static long processCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(-1L);
    }

    private static double millis(long start) {
        return (System.nanoTime() - start) / 1e6;
    }

    private static void pump(Display display, BooleanSupplier done) {
        long end = System.currentTimeMillis() + 180_000;
        while (!done.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new IllegalStateException("gave up waiting after 180 s");
            }
            if (!display.readAndDispatch()) {
                display.timerExec(5, () -> { });
                display.sleep();
            }
        }
    }

    /**
     * Runs the event loop for half a second, so that the window has painted the views opened just
     * before (the Graph, a detached Histogram) when what is measured starts.
     */
    private static void settle(Display display) {
        long end = System.currentTimeMillis() + 500;
        pump(display, () -> System.currentTimeMillis() > end);
    }

    private static void write(Path file, List<String> lines) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, lines, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
