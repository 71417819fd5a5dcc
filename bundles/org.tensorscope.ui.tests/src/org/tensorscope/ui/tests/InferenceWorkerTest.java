package org.tensorscope.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.swt.custom.CLabel;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Link;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.IWorkbenchWindow;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.handlers.IHandlerService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorscope.core.run.TraceOutcome;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.ui.TensorscopeViews;
import org.tensorscope.ui.internal.session.DebugSession;
import org.tensorscope.ui.internal.session.RunConfiguration;
import org.tensorscope.ui.internal.views.ModelExplorerView;

/**
 * The workbench runs models in the inference worker, as the product does (the test runtime sets
 * {@code -Dtensorscope.worker=process}): a worker killed in the middle of a run leaves the
 * workbench and the model open with one sentence saying what happened, and the next run starts a
 * new worker; Cancel stops a run that TensorFlow cannot interrupt within two seconds and says so.
 */
class InferenceWorkerTest {

    private static final int SIDE = 2048;
    private static final int STEPS = 50;
    /** The slow run: {@value #STEPS} products of {@value #SIDE}² matrices, far longer than any bound below. */
    private static final String SLOW_INPUT = "x=const:0.001@" + SIDE + "x" + SIDE;
    private static final String CHEAP_INPUT = "x=const:0.001@2x2";

    @TempDir
    static Path folder;

    private final Display display = Display.getCurrent();
    private final IHandlerService handlers = PlatformUI.getWorkbench().getService(IHandlerService.class);
    private final DebugSession session = TestServices.get(DebugSession.class);
    private final List<String> dialogs = new CopyOnWriteArrayList<>();
    private volatile boolean watching;

    /**
     * x: a float matrix of unknown size, then step_i = tanh(step_{i-1}·x): one TensorFlow run that
     * nothing inside can interrupt, as long as the input is large.
     */
    private static Path slowModel() throws IOException {
        Path file = folder.resolve("slow.pbtxt");
        if (Files.exists(file)) {
            return file;
        }
        StringBuilder graph = new StringBuilder("""
                node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } }
                  attr { key: "shape" value { shape { dim { size: -1 } dim { size: -1 } } } } }
                """);
        String previous = "x";
        for (int i = 0; i < STEPS; i++) {
            graph.append("node { name: \"m").append(i).append("\" op: \"MatMul\" input: \"").append(previous)
                    .append("\" input: \"x\" attr { key: \"T\" value { type: DT_FLOAT } } }\n");
            graph.append("node { name: \"step").append(i).append("\" op: \"Tanh\" input: \"m").append(i)
                    .append("\" attr { key: \"T\" value { type: DT_FLOAT } } }\n");
            previous = "step" + i;
        }
        return Files.writeString(file, graph);
    }

    private static RunConfiguration configuration(String input) {
        return new RunConfiguration(null, List.of(input), "", Device.CPU, HealthMode.FULL);
    }

    /** Records the text of every dialog that opens (an error, a question) and closes it. */
    @BeforeEach
    void watchDialogs() {
        watching = true;
        Runnable poll = new Runnable() {
            @Override
            public void run() {
                if (!watching) {
                    return;
                }
                for (Shell shell : display.getShells()) {
                    if (!shell.isDisposed() && shell.isVisible() && !isWorkbenchWindow(shell)) {
                        StringBuilder text = new StringBuilder(shell.getText()).append('\n');
                        walk(shell, control -> {
                            if (control instanceof Label label) {
                                text.append(label.getText()).append('\n');
                            } else if (control instanceof Text field) {
                                text.append(field.getText()).append('\n');
                            } else if (control instanceof Link link) {
                                text.append(link.getText()).append('\n');
                            }
                        });
                        dialogs.add(text.toString());
                        shell.close();
                    }
                }
                display.timerExec(100, this);
            }
        };
        display.timerExec(100, poll);
    }

    @AfterEach
    void stopWatching() {
        watching = false;
    }

    private static boolean isWorkbenchWindow(Shell shell) {
        return Arrays.stream(PlatformUI.getWorkbench().getWorkbenchWindows()).anyMatch(w -> w.getShell() == shell);
    }

    private static void walk(Control control, Consumer<Control> visit) {
        visit.accept(control);
        if (control instanceof Composite composite) {
            for (Control child : composite.getChildren()) {
                walk(child, visit);
            }
        }
    }

    /** What the status line of the window says. */
    private static List<String> statusLine(IWorkbenchWindow window) {
        List<String> texts = new ArrayList<>();
        walk(window.getShell(), control -> {
            if (control instanceof CLabel label && label.getText() != null && !label.getText().isBlank()) {
                texts.add(label.getText());
            }
        });
        return texts;
    }

    private void openSlowModel() throws IOException {
        Path model = slowModel();
        session.closeModel();
        session.open(model, configuration(SLOW_INPUT), false);
        assertTrue(UiWait.until(display, () -> session.graph().isPresent()
                && session.graph().get().source().equals(model), 60_000), "the model did not open");
    }

    /** Starts Run > Run and returns its job once TensorFlow in the worker is computing the run. */
    private Job startSlowRun() throws Exception {
        handlers.executeCommand("org.tensorscope.ui.commands.run", null);
        Job[] running = new Job[1];
        assertTrue(UiWait.until(display, () -> {
            running[0] = Arrays.stream(Job.getJobManager().find(DebugSession.JOB_FAMILY))
                    .filter(job -> job.getName().equals("Running slow.pbtxt") && job.getState() == Job.RUNNING)
                    .findFirst().orElse(null);
            return running[0] != null;
        }, 30_000), "Run started no job");
        ProcessHandle worker = awaitWorker();
        assertTrue(UiWait.until(display, () -> cpuMillis(worker) >= 0 && loadedTensorFlow(worker), 120_000),
                "the worker did not load TensorFlow");
        // the model is small to load and the session cheap to open: a few seconds in, the run itself computes
        long cpuBefore = cpuMillis(worker);
        assertTrue(UiWait.until(display, () -> cpuMillis(worker) - cpuBefore > 3_000, 60_000),
                "the worker does not compute");
        assertEquals(Job.RUNNING, running[0].getState(), "the run ended before the worker was stopped");
        return running[0];
    }

    private static ProcessHandle awaitWorker() throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            var worker = workerProcess();
            if (worker != null) {
                return worker;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no inference worker process");
    }

    private static ProcessHandle workerProcess() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains("tensorscope-worker")).findFirst().orElse(null);
    }

    private static boolean loadedTensorFlow(ProcessHandle worker) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(worker.pid()), "maps")).contains("tensorflow");
        } catch (IOException e) {
            return false;
        }
    }

    private static long cpuMillis(ProcessHandle worker) {
        return worker.info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(-1L);
    }

    @Test
    void killingTheWorkerDuringARunLeavesTheWorkbenchAndTheModelOpenWithAMessage() throws Exception {
        IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
        IWorkbenchPage page = window.getActivePage();
        openSlowModel();
        TraceOutcome before = session.outcome().orElse(null);
        Job run = startSlowRun();
        ProcessHandle worker = awaitWorker();

        worker.destroyForcibly(); // SIGKILL, as the kernel's out-of-memory killer or a user would
        assertTrue(UiWait.until(display, () -> run.getResult() != null, 30_000), "the run did not end");
        String expected = "the inference worker stopped while tracing slow.pbtxt: it was killed (SIGKILL);"
                + " the next run starts a new worker";
        assertEquals(IStatus.ERROR, run.getResult().getSeverity(), run.getResult().toString());
        assertEquals(expected, run.getResult().getMessage());
        // one sentence in a dialog titled with what failed; the stack trace stays in the log
        String said = "Run slow.pbtxt\nThe inference worker stopped while tracing slow.pbtxt: it was killed (SIGKILL);"
                + " the next run starts a new worker.\n";
        assertTrue(UiWait.until(display, () -> !dialogs.isEmpty(), 10_000), "no dialog says what happened");
        assertEquals(said, dialogs.get(0).replaceAll("\n+", "\n"));

        assertFalse(window.getShell().isDisposed(), "the workbench window closed");
        assertTrue(window.getShell().isVisible());
        assertTrue(session.graph().isPresent() && session.graph().get().source().equals(slowModel()),
                "the model was closed");
        assertEquals(before, session.outcome().orElse(null), "a failed run replaces nothing");
        ModelExplorerView explorer = (ModelExplorerView) page.showView(TensorscopeViews.MODEL_EXPLORER);
        assertFalse(explorer.isShowingEmptyState());
        List<Tree> trees = new ArrayList<>();
        walk(explorer.getControl(), control -> {
            if (control instanceof Tree tree) {
                trees.add(tree);
            }
        });
        assertEquals(1 + 2 * STEPS, trees.get(0).getItemCount(), "the explorer lists every op of the model");

        // Re-run on a small input: a new worker loads the model again and traces every op
        session.configure(configuration(CHEAP_INPUT));
        handlers.executeCommand("org.tensorscope.ui.commands.rerun", null);
        assertTrue(UiWait.until(display, () -> session.outcome().isPresent(), 120_000), "the re-run gave no trace");
        TraceOutcome after = session.outcome().get();
        assertTrue(after.allFinite(), "tanh keeps every value finite");
        assertEquals(1 + 2 * STEPS, after.trace().rows().size(), "every op is traced");
        ProcessHandle newWorker = workerProcess();
        assertNotNull(newWorker, "no worker after the re-run");
        assertNotEquals(worker.pid(), newWorker.pid());
        assertFalse(worker.isAlive());
        assertEquals(1, dialogs.stream().distinct().count(), "only the killed run shows a message: " + dialogs);
    }

    @Test
    void cancelStopsARunningInferenceWithinTwoSecondsAndSaysSo() throws Exception {
        IWorkbenchWindow window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
        openSlowModel();
        TraceOutcome before = session.outcome().orElse(null);
        Job run = startSlowRun();
        ProcessHandle worker = awaitWorker();

        long cancelAt = System.nanoTime();
        handlers.executeCommand("org.tensorscope.ui.commands.cancel", null);
        assertTrue(UiWait.until(display, () -> run.getResult() != null, 30_000), "the run did not end");
        long tookMillis = (System.nanoTime() - cancelAt) / 1_000_000;
        // the promise is 2 s (1.5 s of grace, then the worker is killed); the bound leaves room for a loaded machine
        assertTrue(tookMillis < 5_000, "Cancel took " + tookMillis + " ms");
        assertEquals(IStatus.CANCEL, run.getResult().getSeverity(), run.getResult().toString());
        assertTrue(UiWait.until(display, () -> statusLine(window).contains("Run of slow.pbtxt cancelled"), 5_000),
                "the status line does not say the run was cancelled: " + statusLine(window));
        assertTrue(worker.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS) != null);
        assertEquals(before, session.outcome().orElse(null), "a cancelled run replaces nothing");
        assertTrue(session.graph().isPresent(), "the model stays open");
        UiWait.until(display, () -> false, 1_000); // a dialog would have opened by now
        assertEquals(List.of(), dialogs, "a cancelled run is no error");
    }
}
