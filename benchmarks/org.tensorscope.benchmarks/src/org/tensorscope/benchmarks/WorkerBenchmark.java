package org.tensorscope.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.osgi.framework.FrameworkUtil;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.service.Contributions;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;

/**
 * What running models in the inference worker costs against running them in this JVM: plain
 * inference and health passes on real models, interleaved, medians after warm-up; and the
 * worker's start. Reports numbers; asserts nothing about them.
 */
class WorkerBenchmark {

    private static final int BLOCK = 5;
    /** Calls of each kind, whole blocks of {@link #BLOCK}. */
    private static final int RUNS = Math.max(1, (Integer.getInteger("tensorscope.benchmark.runs", BenchmarkMode.full() ? 20 : BLOCK)
            + BLOCK - 1) / BLOCK) * BLOCK;

    @Test
    void workerOverheadOnRealModels() throws Exception {
        var context = FrameworkUtil.getBundle(WorkerBenchmark.class).getBundleContext();
        List<String> report = new ArrayList<>();
        report.add(BenchmarkMode.header("the inference worker against this JVM"));
        long start = System.nanoTime();
        try (Contributions inWorker = new Contributions(context, true);
                Contributions inProcess = new Contributions(context, false)) {
            inWorker.backends().get(0).describe();
            report.add(String.format("worker start (framework, bundles, TensorFlow): %.0f ms", millis(start)));
            report.add("load average at the start: " + loadAverage());
            report.add("model | what | in this JVM | in the worker | ratio | CPU per call, both VMs: in this JVM | in the worker");
            List<String> models = BenchmarkMode.full() ? List.of("tfjs/handskeleton/handskeleton.json",
                    "tfjs/mobilenet_v2_mid/model.json", "tfjs/handlandmark-lite/handlandmark-lite.json")
                    : List.of("tfjs/handskeleton/handskeleton.json");
            for (String model : models) {
                Path path = Path.of(System.getProperty("tensorscope.testdata"), model);
                try (LoadedModel remote = inWorker.open(path, new NullProgressMonitor());
                        LoadedModel local = inProcess.open(path, new NullProgressMonitor());
                        InferenceSession remoteSession = inWorker.backendFor(remote).open(remote, Device.CPU);
                        InferenceSession localSession = inProcess.backendFor(local).open(local, Device.CPU)) {
                    Signature signature = local.graph().defaultSignature().orElseThrow();
                    Map<String, TensorData> feeds = PreparedInputs.prepare(signature, List.of(), Map.of()).feeds();
                    List<String> outputs = signature.outputs().stream().map(o -> o.tensor().name()).toList();
                    // a fed tensor is answered with its fed value: the input's round trip without running the model
                    List<String> echo = List.copyOf(feeds.keySet());
                    double[] transport = compare(localSession, remoteSession, feeds, echo, null);
                    long inputBytes = feeds.values().stream().mapToLong(t -> t.bytes().remaining()).sum();
                    report.add(String.format("%s | input there and back (%d KB), no inference | %.2f ms | %.2f ms | +%.2f ms | %.2f ms | %.2f ms",
                            path.getFileName(), inputBytes >> 10, transport[0], transport[1], transport[1] - transport[0],
                            transport[2], transport[3]));
                    HealthMode[] modes = Boolean.getBoolean("tensorscope.benchmark.plainOnly") ? new HealthMode[] {null}
                            : new HealthMode[] {null, HealthMode.CURT, HealthMode.FULL};
                    for (HealthMode mode : modes) {
                        double[] times = compare(localSession, remoteSession, feeds, outputs, mode);
                        report.add(String.format("%s | %s | %.1f ms | %.1f ms | %.2fx | %.2f ms | %.2f ms", path.getFileName(),
                                mode == null ? "plain inference" : "health pass, " + mode.name().toLowerCase(),
                                times[0], times[1], times[1] / times[0], times[2], times[3]));
                    }
                }
            }
        }
        report.add("load average at the end: " + loadAverage());
        report.forEach(System.out::println);
        Path file = Path.of("target", "worker-benchmark.txt");
        Files.createDirectories(file.getParent());
        Files.write(file, report, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /**
     * Medians in ms of the same call in this JVM and in the worker, interleaved in blocks: TensorFlow's
     * threads keep spinning for a moment after a run, so alternating single calls would charge one
     * side with the other's spinning on a 2-core machine. Then the CPU time per call of both VMs
     * together (all their threads), which other processes competing for the cores change less than
     * the wall time; NaN where the system does not tell it.
     */
    private static double[] compare(InferenceSession local, InferenceSession remote, Map<String, TensorData> feeds,
            List<String> outputs, HealthMode mode) throws Exception {
        double[] localTimes = new double[RUNS];
        double[] remoteTimes = new double[RUNS];
        long worker = workerPid();
        long localCpu = 0;
        long remoteCpu = 0;
        for (int block = -1; block < RUNS / BLOCK; block++) {
            long before = cpuNanos(worker);
            for (int i = 0; i < BLOCK; i++) {
                double l = time(local, feeds, outputs, mode);
                if (block >= 0) {
                    localTimes[block * BLOCK + i] = l;
                }
            }
            long between = cpuNanos(worker);
            for (int i = 0; i < BLOCK; i++) {
                double r = time(remote, feeds, outputs, mode);
                if (block >= 0) {
                    remoteTimes[block * BLOCK + i] = r;
                }
            }
            long after = cpuNanos(worker);
            if (block >= 0) {
                localCpu += between - before;
                remoteCpu += after - between;
            }
        }
        boolean cpu = worker > 0 && cpuNanos(worker) > 0;
        int calls = RUNS / BLOCK * BLOCK;
        return new double[] {median(localTimes), median(remoteTimes), cpu ? localCpu / 1e6 / calls : Double.NaN,
                cpu ? remoteCpu / 1e6 / calls : Double.NaN};
    }

    /** The inference worker: the child JVM running the OSGi framework's starter. */
    private static long workerPid() {
        return ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().orElse("").contains("EclipseStarter"))
                .mapToLong(ProcessHandle::pid).findFirst().orElse(-1);
    }

    /** CPU time of this VM and the worker, all threads, in ns (Linux's per-thread schedstat), or 0. */
    private static long cpuNanos(long worker) {
        return cpuNanos("self") + (worker > 0 ? cpuNanos(Long.toString(worker)) : 0);
    }

    private static long cpuNanos(String process) {
        long total = 0;
        try (var tasks = Files.list(Path.of("/proc", process, "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String line = Files.readString(task.resolve("schedstat"));
                    total += Long.parseLong(line.substring(0, line.indexOf(' ')));
                } catch (java.io.IOException | RuntimeException e) {
                    // the thread ended
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
        return total;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static double time(InferenceSession session, Map<String, TensorData> feeds, List<String> outputs,
            HealthMode mode) throws Exception {
        long start = System.nanoTime();
        if (mode == null) {
            session.fetch(feeds, outputs, Map.of(), new NullProgressMonitor());
        } else {
            session.healthPass(feeds, outputs, mode, Map.of(), new NullProgressMonitor());
        }
        return millis(start);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double millis(long start) {
        return (System.nanoTime() - start) / 1e6;
    }
}
