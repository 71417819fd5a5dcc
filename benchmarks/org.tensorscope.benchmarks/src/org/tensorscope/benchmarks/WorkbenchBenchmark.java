package org.tensorscope.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.Test;
import org.tensorscope.core.run.TraceOutcome;
import org.tensorscope.ui.TensorscopeViews;
import org.tensorscope.ui.internal.session.DebugSession;
import org.tensorscope.ui.internal.session.Demo;
import org.tensorscope.ui.internal.views.GraphView;

/**
 * How long the Graph view takes to show a model, and the longest the UI thread goes without
 * processing events while a model runs. Reports numbers; asserts nothing about them.
 */
class WorkbenchBenchmark {

    @Test
    void graphOpensAndTheUiStaysResponsiveDuringARun() throws Exception {
        Display display = Display.getCurrent();
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        DebugSession session = DebugSession.get();
        GraphView graph = (GraphView) page.showView(TensorscopeViews.GRAPH);
        List<String> report = new ArrayList<>();

        for (String model : List.of("tfjs/mobilenet_v2_mid/model.json", "tfjs/handlandmark-lite/model.json")) {
            Path path = Path.of(System.getProperty("tensorscope.testdata"), model);
            session.open(path, null, false).join();
            long start = System.nanoTime();
            pump(display, () -> graph.getDrawing() != null
                    && graph.getDrawing().graph().nodeOf(session.graph().get().ops().get(0).name()).isPresent());
            report.add(String.format("graph view, %s (%d ops, %d boxes): %.0f ms from loaded to drawn", model,
                    session.graph().get().ops().size(), graph.getDrawing().boxes().size(), millis(start)));
        }

        TraceOutcome before = session.outcome().orElse(null);
        long[] longestGap = {0};
        long[] last = {System.nanoTime()};
        boolean[] running = {true};
        Runnable heartbeat = new Runnable() {
            @Override
            public void run() {
                long now = System.nanoTime();
                longestGap[0] = Math.max(longestGap[0], now - last[0]);
                last[0] = now;
                if (running[0]) {
                    display.timerExec(10, this);
                }
            }
        };
        long start = System.nanoTime();
        display.timerExec(10, heartbeat);
        Demo.open();
        pump(display, () -> session.outcome().isPresent() && session.outcome().get() != before);
        running[0] = false;
        report.add(String.format("demo open + run + trace: %.0f ms; longest UI thread stall: %.0f ms", millis(start),
                longestGap[0] / 1e6));

        report.forEach(System.out::println);
        String file = System.getProperty("tensorscope.benchmarkReport");
        if (file != null) {
            write(Path.of(file), report);
        }
    }

    private static double millis(long start) {
        return (System.nanoTime() - start) / 1e6;
    }

    private static void pump(Display display, BooleanSupplier done) {
        long end = System.currentTimeMillis() + 180_000;
        while (!done.getAsBoolean() && System.currentTimeMillis() < end) {
            if (!display.readAndDispatch()) {
                display.timerExec(5, () -> { });
                display.sleep();
            }
        }
    }

    private static void write(Path file, List<String> lines) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, lines, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
