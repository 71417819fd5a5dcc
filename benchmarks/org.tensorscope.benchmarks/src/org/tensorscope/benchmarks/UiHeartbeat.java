package org.tensorscope.benchmarks;

import org.eclipse.swt.widgets.Display;

/**
 * A timer on the UI thread that notes the longest gap between its ticks: how long the UI thread
 * went without handling events.
 */
final class UiHeartbeat implements Runnable {

    private final Display display;
    private final int periodMillis;
    private long last = System.nanoTime();
    private long longestGap;
    private boolean running = true;

    private UiHeartbeat(Display display, int periodMillis) {
        this.display = display;
        this.periodMillis = periodMillis;
    }

    static UiHeartbeat start(Display display, int periodMillis) {
        UiHeartbeat heartbeat = new UiHeartbeat(display, periodMillis);
        display.timerExec(periodMillis, heartbeat);
        return heartbeat;
    }

    @Override
    public void run() {
        long now = System.nanoTime();
        longestGap = Math.max(longestGap, now - last);
        last = now;
        if (running) {
            display.timerExec(periodMillis, this);
        }
    }

    /** Starts counting afresh from now, e.g. after a wait that is not part of what is measured. */
    void restart() {
        last = System.nanoTime();
    }

    /** Stops ticking; the longest gap in ms. */
    double stop() {
        running = false;
        return longestGap / 1e6;
    }
}
