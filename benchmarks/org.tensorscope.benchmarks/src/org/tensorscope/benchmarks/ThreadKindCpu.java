package org.tensorscope.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The CPU time of this VM's threads by kind (the UI thread, Eclipse's job workers, the JIT compilers, the
 * garbage collector, the rest), read from Linux's {@code /proc/self/task}, whose counts include the VM's own
 * threads that Java's management beans do not list. Empty where there is no such folder. A thread that ends
 * between two readings takes its time with it: an idle job worker that the job manager lets go meanwhile is
 * not counted, nor is what it ran.
 */
final class ThreadKindCpu {

    /** Clock ticks per second of {@code /proc}'s times: 100 on every Linux this runs on. */
    private static final double TICKS_PER_MS = 0.1;

    private final Map<String, Long> ticks;

    private ThreadKindCpu(Map<String, Long> ticks) {
        this.ticks = ticks;
    }

    /** The counts now; called on the UI thread, which is told apart by being the caller. */
    static ThreadKindCpu now() {
        Map<String, Long> ticks = new LinkedHashMap<>();
        for (String kind : new String[] {"UI thread", "jobs", "JIT compilers", "GC", "other"}) {
            ticks.put(kind, 0L);
        }
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return new ThreadKindCpu(Map.of());
        }
        String caller;
        try {
            caller = Path.of("/proc/thread-self").toRealPath().getFileName().toString();
        } catch (IOException e) {
            return new ThreadKindCpu(Map.of());
        }
        try (Stream<Path> threads = Files.list(tasks)) {
            threads.forEach(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    // "tid (name) state ...": the name may hold spaces; fields 14 and 15 are user and system time
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    String name = stat.substring(open + 1, close);
                    String[] fields = stat.substring(close + 2).split(" ");
                    long used = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    String kind = task.getFileName().toString().equals(caller) ? "UI thread" : kindOf(name);
                    ticks.merge(kind, used, Long::sum);
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            });
        } catch (IOException e) {
            return new ThreadKindCpu(Map.of());
        }
        return new ThreadKindCpu(ticks);
    }

    private static String kindOf(String name) {
        if (name.startsWith("Worker-")) {
            return "jobs";
        }
        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
            return "JIT compilers";
        }
        if (name.startsWith("GC ") || name.startsWith("G1 ")) {
            return "GC";
        }
        return "other";
    }

    /** Each kind's CPU since {@code before}, in milliseconds per step, e.g. "UI thread 10.1, jobs 6.3, …". */
    String perStepSince(ThreadKindCpu before, int steps) {
        if (ticks.isEmpty() || before.ticks.isEmpty()) {
            return "not known on this system";
        }
        StringBuilder text = new StringBuilder();
        ticks.forEach((kind, now) -> text.append(text.isEmpty() ? "" : ", ").append(kind).append(' ').append(
                String.format(java.util.Locale.ROOT, "%.1f", (now - before.ticks.getOrDefault(kind, 0L)) / TICKS_PER_MS / steps)));
        return text + " ms";
    }
}
