package org.tensorscope.cli.internal;

import java.io.PrintWriter;

import org.eclipse.core.runtime.NullProgressMonitor;

/**
 * Shows progress on stderr for work that takes longer than a second: a line per task or
 * subtask, with a percentage, and nothing at all for quick commands or when stderr is not a
 * terminal. The first line comes when the first second is over, even if nothing reports progress
 * then (a model run in the worker is silent until it ends).
 */
final class ConsoleProgressMonitor extends NullProgressMonitor {

    private static final long QUIET_MILLIS = 1_000;

    /**
     * Whether progress is printed: the launchers set it when standard error is a terminal, so that
     * scripts and logs get only results and errors.
     */
    static final String PROP_SHOW = "tensorscope.progress";

    private final boolean shown;

    private final PrintWriter err;
    private final long start = System.currentTimeMillis();
    private String task = "";
    private int totalWork;
    private double worked;
    private String lastTask = "";
    private long lastPrint;
    private boolean ended;

    /** When {@link #isCanceled()} starts to say yes, in {@link System#currentTimeMillis()}; 0 for never. */
    private final long deadline;

    ConsoleProgressMonitor(PrintWriter err) {
        this(err, 0);
    }

    ConsoleProgressMonitor(PrintWriter err, long deadline) {
        this(err, deadline, Boolean.getBoolean(PROP_SHOW));
    }

    ConsoleProgressMonitor(PrintWriter err, long deadline, boolean shown) {
        this.err = err;
        this.deadline = deadline;
        this.shown = shown;
        if (shown) {
            Thread.ofPlatform().daemon().name("Tensorscope progress").start(this::showAfterQuietTime);
        }
    }

    private void showAfterQuietTime() {
        try {
            Thread.sleep(QUIET_MILLIS);
        } catch (InterruptedException e) {
            return;
        }
        show();
    }

    @Override
    public boolean isCanceled() {
        return super.isCanceled() || timedOut();
    }

    /** Whether the deadline has passed. */
    boolean timedOut() {
        return deadline != 0 && System.currentTimeMillis() >= deadline;
    }

    /** The task in progress, "" before the first. */
    String task() {
        return task;
    }

    @Override
    public synchronized void beginTask(String name, int total) {
        if (name != null && !name.isEmpty()) {
            task = name;
        }
        totalWork = total;
        worked = 0;
        show();
    }

    @Override
    public synchronized void setTaskName(String name) {
        task = name;
        show();
    }

    @Override
    public synchronized void subTask(String name) {
        if (name != null && !name.isEmpty()) {
            task = name;
        }
        show();
    }

    @Override
    public synchronized void internalWorked(double work) {
        worked += work;
        show();
    }

    @Override
    public void worked(int work) {
        internalWorked(work);
    }

    /** After this, nothing more is printed. */
    @Override
    public synchronized void done() {
        ended = true;
    }

    /** Prints when the task changes, and otherwise at most once a second. */
    private synchronized void show() {
        long now = System.currentTimeMillis();
        if (!shown || ended || now - start < QUIET_MILLIS || task.isEmpty()
                || (task.equals(lastTask) && now - lastPrint < QUIET_MILLIS)) {
            return;
        }
        err.println(totalWork > 0
                ? String.format(java.util.Locale.ROOT, "%s... %d%%", task, Math.min(100, Math.round(100 * worked / totalWork)))
                : task + "...");
        lastTask = task;
        lastPrint = now;
    }
}
