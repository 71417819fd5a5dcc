package org.tensorscope.core.internal.worker;

import java.io.IOException;
import java.util.function.Consumer;

import org.eclipse.core.runtime.NullProgressMonitor;

/**
 * The progress monitor a request runs with in the worker: cancelled by Tensorscope's cancel
 * message, and reporting the task and the fraction done back at most every 100 ms.
 */
final class WorkerMonitor extends NullProgressMonitor {

    private static final long REPORT_NANOS = 100_000_000L;

    private final Consumer<Frame> sender;
    private double total;
    private double worked;
    private String task = "";
    private long lastReport;

    WorkerMonitor(Consumer<Frame> sender) {
        this.sender = sender;
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
        report(false);
    }

    @Override
    public void worked(int work) {
        internalWorked(work);
    }

    private void report(boolean textChanged) {
        long now = System.nanoTime();
        if (!textChanged && now - lastReport < REPORT_NANOS) {
            return;
        }
        lastReport = now;
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
