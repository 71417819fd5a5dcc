package org.tensorscope.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.swt.widgets.Display;

/**
 * A timer on the UI thread that notes the longest gap between its ticks: how long the UI thread
 * went without handling events. With {@code -Dtensorscope.benchmark.stallStacks=MS} it also samples
 * the UI thread's stack every 2 ms, and {@link #stalls(int)} says what the UI thread did in each
 * gap longer than MS.
 */
final class UiHeartbeat implements Runnable {

    private static final long STACK_THRESHOLD_NANOS = Long.getLong("tensorscope.benchmark.stallStacks", 0) * 1_000_000;

    private final Display display;
    private final int periodMillis;
    private volatile long last = System.nanoTime();
    private long longestGap;
    /**
     * The UI thread's own CPU time between two ticks, at most: what it worked without handling
     * events, whether or not it also waited for a core (a loaded machine) or for the GC.
     */
    private final java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    private long lastCpu = threads.getCurrentThreadCpuTime();
    private long longestBusy;
    private volatile boolean running = true;
    private final List<Sample> samples = new ArrayList<>();
    private final List<Stall> stalls = new ArrayList<>();
    private final List<String> others = new java.util.concurrent.CopyOnWriteArrayList<>();
    private long othersAt;

    private record Sample(long time, StackTraceElement[] stack) {
    }

    private record Stall(long start, double millis, List<StackTraceElement[]> samples) {
    }

    private UiHeartbeat(Display display, int periodMillis) {
        this.display = display;
        this.periodMillis = periodMillis;
    }

    static UiHeartbeat start(Display display, int periodMillis) {
        UiHeartbeat heartbeat = new UiHeartbeat(display, periodMillis);
        display.timerExec(periodMillis, heartbeat);
        if (STACK_THRESHOLD_NANOS > 0) {
            heartbeat.listenToGcPauses();
            Thread sampler = new Thread(heartbeat::sample, "ui-stall-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }
        return heartbeat;
    }

    /**
     * The JVM's GC pauses (start and end, on {@link System#nanoTime()}'s clock) while this heartbeat
     * ran: a stall may be one. The GC's own start time is on another clock, which disagreed with the
     * heartbeat's by more than a pause; the notification comes as the pause ends, so the pause is
     * placed before its arrival.
     */
    private final List<long[]> pauses = new java.util.concurrent.CopyOnWriteArrayList<>();

    private void listenToGcPauses() {
        for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            if (!(gc instanceof javax.management.NotificationEmitter emitter)) {
                continue;
            }
            emitter.addNotificationListener((notification, handback) -> {
                long arrived = System.nanoTime();
                // G1's "Concurrent GC" collector tells of the remark and clean-up pauses of its concurrent cycles
                if (notification.getUserData() instanceof javax.management.openmbean.CompositeData data) {
                    javax.management.openmbean.CompositeData info = (javax.management.openmbean.CompositeData) data.get("gcInfo");
                    pauses.add(new long[] {arrived - (Long) info.get("duration") * 1_000_000, arrived});
                }
            }, null, null);
        }
    }

    private void sample() {
        Thread ui = display.getThread();
        while (running) {
            StackTraceElement[] stack = ui.getStackTrace();
            synchronized (samples) {
                samples.add(new Sample(System.nanoTime(), stack));
            }
            if (System.nanoTime() - last > 200_000_000L && othersAt != last) {
                // a long stall: what the other threads do, e.g. one the UI thread waits for
                othersAt = last;
                Thread.getAllStackTraces().forEach((thread, frames) -> {
                    if (thread != ui && frames.length > 0 && thread.getState() == Thread.State.RUNNABLE) {
                        StringBuilder text = new StringBuilder("  meanwhile, " + thread.getName() + ":");
                        Arrays.stream(frames).limit(12).forEach(frame -> text.append("\n      ").append(frame));
                        others.add(text.toString());
                    }
                });
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void run() {
        long now = System.nanoTime();
        long gap = now - last;
        longestGap = Math.max(longestGap, gap);
        long cpu = threads.getCurrentThreadCpuTime();
        longestBusy = Math.max(longestBusy, cpu - lastCpu);
        lastCpu = cpu;
        if (STACK_THRESHOLD_NANOS > 0) {
            synchronized (samples) {
                if (gap > STACK_THRESHOLD_NANOS) {
                    long from = last;
                    stalls.add(new Stall(last, gap / 1e6, samples.stream().filter(sample -> sample.time() >= from)
                            .map(Sample::stack).toList()));
                }
                samples.clear();
            }
        }
        last = now;
        if (running) {
            display.timerExec(periodMillis, this);
        }
    }

    /** Starts counting afresh from now, e.g. after a wait that is not part of what is measured. */
    void restart() {
        last = System.nanoTime();
        lastCpu = threads.getCurrentThreadCpuTime();
    }

    /** The most CPU time the UI thread spent between two ticks, in ms. */
    double longestBusy() {
        return longestBusy / 1e6;
    }

    /** Stops ticking; the longest gap in ms. */
    double stop() {
        running = false;
        return longestGap / 1e6;
    }

    /** The longest stalls sampled, each with the UI thread's stacks (up to the benchmark's frame) counted. */
    List<String> stalls(int count) {
        List<String> lines = new ArrayList<>();
        long origin = stalls.isEmpty() ? 0 : stalls.get(0).start();
        // the JVM's uptime at a nanoTime, to place a stall in a GC log (-Xlog:gc:...:uptime)
        long uptimeOrigin = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000 - System.nanoTime();
        stalls.stream().sorted(Comparator.comparingDouble(Stall::millis).reversed()).limit(count).forEach(stall -> {
            long from = (stall.start() + uptimeOrigin) / 1_000_000;
            long end = stall.start() + (long) (stall.millis() * 1_000_000);
            long gc = pauses.stream().mapToLong(p -> Math.max(0, Math.min(end, p[1]) - Math.max(stall.start(), p[0])))
                    .sum() / 1_000_000;
            long asleep = stall.samples().stream().filter(stack -> stack.length > 0 && Arrays.stream(stack).limit(3)
                    .anyMatch(frame -> frame.getMethodName().equals("sleep") && frame.getClassName().endsWith("Display"))).count();
            lines.add(String.format("  stall of %.0f ms at +%.0f ms (JVM uptime %.3f s), %d ms of it GC pauses, %d samples"
                    + " (%d asleep in Display.sleep):", stall.millis(), (stall.start() - origin) / 1e6, from / 1e3, gc,
                    stall.samples().size(), asleep));
            Map<String, Integer> stacks = new LinkedHashMap<>();
            for (StackTraceElement[] stack : stall.samples()) {
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < stack.length && !stack[i].getClassName().startsWith("org.tensorscope.benchmarks"); i++) {
                    text.append("      ").append(stack[i]).append('\n');
                }
                stacks.merge(text.toString(), 1, Integer::sum);
            }
            stacks.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                    .forEach(e -> lines.add("    x" + e.getValue() + "\n" + e.getKey()));
        });
        lines.addAll(others);
        return lines;
    }
}
