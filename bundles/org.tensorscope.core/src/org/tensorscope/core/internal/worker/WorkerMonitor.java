package org.tensorscope.core.internal.worker;

import java.io.IOException;
import java.util.function.Consumer;

import org.eclipse.core.runtime.NullProgressMonitor;

/**
 * The progress monitor a request runs with in the worker: cancelled by Tensorscope's cancel
 * message, and reporting the task and the fraction done back at most every 100 ms. A request that
 * ends within its first 100 ms reports nothing: its reply follows at once, and a progress message
 * would only wake Tensorscope once more.
 */
final class WorkerMonitor extends NullProgressMonitor {

    static final long REPORT_MILLIS = 100;
    private static final long REPORT_NANOS = REPORT_MILLIS * 1_000_000L;

    private final Consumer<Frame> sender;
    private volatile double total;
    private volatile double worked;
    private volatile String task = "";
    private long lastReport = System.nanoTime();
    private boolean pending;

    WorkerMonitor(Consumer<Frame> sender) {
        this.sender = sender;
    }

    /** Sends what changed since the last report, if it is due; called every 100 ms while the request runs. */
    void reportPending() {
        report(false);
    }

    @Override
    public void beginTask(String name, int totalWork) {
        if (total == 0) {
            total = totalWork;
        }
        if (name != null && !name.isEmpty()) {
            task = name;
            report(true);
        }
    }

    @Override
    public void setTaskName(String name) {
        task = name == null ? "" : name;
        report(true);
    }

    @Override
    public void subTask(String name) {
        task = name == null ? "" : name;
        report(true);
    }

    @Override
    public void internalWorked(double work) {
        worked += work;
        report(true);
    }

    @Override
    public void worked(int work) {
        internalWorked(work);
    }

    private synchronized void report(boolean changed) {
        pending |= changed;
        long now = System.nanoTime();
        if (!pending || now - lastReport < REPORT_NANOS) {
            return;
        }
        lastReport = now;
        pending = false;
        double fraction = total > 0 ? Math.min(1, worked / total) : 0;
        String text = task;
        try {
            sender.accept(Frame.of(Frame.PROGRESS, out -> {
                Wire.writeString(out, text);
                out.writeDouble(fraction);
            }));
        } catch (IOException e) {
            // progress is best effort
        }
    }
}
