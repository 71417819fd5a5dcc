package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.osgi.framework.FrameworkUtil;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat64;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.run.NanTracer;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.run.TraceOutcome;
import org.tensorscope.core.service.Contributions;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.core.trace.Trace;
import org.tensorscope.tensorflow.internal.TfModel;
import org.tensorscope.tensorflow.internal.run.TfSession;
import org.tensorscope.tensorflow.internal.run.TfTensors;

/**
 * What a health pass and a NaN trace cost against plain inference on real models, measured in one JVM with
 * the calls interleaved, next to TensorFlow's own DebugNumericSummaryV2 (CURT_HEALTH, no run metadata) on the
 * same tensors of the same graph. Prints a table and writes it to target/health-pass-benchmark.txt; nothing
 * passes or fails on a time.
 * <p>
 * The normal build runs it in a short mode (one model, few calls: that the harness works and its numbers are
 * sane). {@code -Dtensorscope.benchmark=full} (passed through this module's pom) measures every model with
 * {@value #FULL_ROUNDS} rounds, {@code full:handskeleton,mobilenet_v2_mid} only the models in those folders;
 * see docs/benchmarks.md.
 */
class HealthPassBenchmarkTest {

    private static final int FULL_ROUNDS = 6;
    /** Calls of one kind in a row: TensorFlow's threads spin for a while after a run. */
    private static final int BLOCK = 3;

    record Bench(String model, String healthy, String sick) {
    }

    private static final List<Bench> MODELS = List.of(
            new Bench("handskeleton/handskeleton.json", "input_1=ramp", "input_1=ramp*1e38"),
            new Bench("mobilenet_v2_mid/model.json", "input=ramp", "input=ramp*1e38"),
            new Bench("handlandmark-lite/handlandmark-lite.json", "input_1=ramp", "input_1=ramp*1e38"),
            // int32 pixels cannot hold Inf: its "NaN origin" row is a trace that finds everything finite
            new Bench("movenet-lightning/movenet-lightning.json", "input=ramp*255", "input=ramp*2e9"));

    private static final List<String> KINDS = List.of("plain inference", "health pass, curt", "health pass, full",
            "NaN origin (trace), curt", "NaN origin (trace), full", "DebugNumericSummaryV2 curt, same graph",
            "health pass alone on the NaN input, curt", "health pass alone on the NaN input, full",
            "plain inference on the NaN input", "health pass, curt, probing every tensor each run",
            "health pass, full, probing every tensor each run", "NaN origin (trace), curt, probing every tensor each run",
            "NaN origin (trace), full, probing every tensor each run");

    /**
     * The library benchmarks/native-stats/build.sh makes, if given: a row then times FULL statistics by one native
     * op per tensor on the same graph, what the product cannot do with TensorFlow Java alone (see docs/benchmarks.md).
     */
    private static final String STATS_KERNEL = System.getProperty("tensorscope.benchmark.statsKernel", "");


    @Test
    void healthPassCostAgainstPlainInference() throws Exception {
        String option = System.getProperty("tensorscope.benchmark", "short");
        boolean full = option.startsWith("full");
        int rounds = full ? FULL_ROUNDS : 1;
        List<String> only = option.startsWith("full:") ? List.of(option.substring(5).split(",")) : List.of();
        List<Bench> models = !full ? MODELS.subList(0, 1)
                : MODELS.stream().filter(b -> only.isEmpty() || only.contains(Path.of(b.model()).getParent().toString()))
                        .toList();
        List<String> report = new ArrayList<>();
        report.add("Health pass cost, " + (full ? "full" : "short") + " mode: medians of " + rounds * BLOCK
                + " calls after one warm-up block, interleaved in blocks of " + BLOCK + "; "
                + Runtime.getRuntime().availableProcessors() + " cores, load average "
                + String.format(Locale.ROOT, "%.1f",
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        report.add("model | what | first call ms | warm median ms | ratio to plain");
        try (Contributions contributions = new Contributions(
                FrameworkUtil.getBundle(HealthPassBenchmarkTest.class).getBundleContext(), false)) {
            for (Bench bench : models) {
                report.addAll(measure(contributions, bench, rounds, full));
            }
        }
        report.forEach(System.out::println);
        Path file = Path.of("target", "health-pass-benchmark.txt");
        Files.createDirectories(file.getParent());
        Files.write(file, report, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private static List<String> measure(Contributions contributions, Bench bench, int rounds, boolean full)
            throws Exception {
        NullProgressMonitor monitor = new NullProgressMonitor();
        List<String> lines = new ArrayList<>();
        try (LoadedModel model = contributions.open(TestModels.get("tfjs/" + bench.model()), monitor);
                InferenceSession session = contributions.backendFor(model).open(model, Device.CPU);
                InferenceSession previous = contributions.backendFor(model).open(model, Device.CPU);
                Anchor anchor = new Anchor((TfModel) model, false);
                Anchor kernel = STATS_KERNEL.isEmpty() ? null : new Anchor((TfModel) model, true)) {
            ModelGraph graph = model.graph();
            Signature signature = graph.defaultSignature().orElseThrow();
            List<String> outputs = signature.outputs().stream().map(o -> o.tensor().name()).toList();
            PreparedInputs healthy = PreparedInputs.prepare(signature, List.of(bench.healthy()));
            PreparedInputs sick = PreparedInputs.prepare(signature, List.of(bench.sick()));
            NanTracer tracer = new NanTracer(Tracing.rules());
            anchor.attach(graph, healthy.feeds(), outputs);
            if (kernel != null) {
                kernel.attach(graph, healthy.feeds(), outputs);
            }
            ((TfSession) previous).probeEveryTensorEachRun(true);

            List<Call> calls = new ArrayList<>(List.<Call>of(
                    () -> session.fetch(healthy.feeds(), outputs, Map.of(), monitor),
                    () -> check(session.healthPass(healthy.feeds(), outputs, HealthMode.CURT, Map.of(), monitor)),
                    () -> check(session.healthPass(healthy.feeds(), outputs, HealthMode.FULL, Map.of(), monitor)),
                    () -> tracer.trace(graph, signature, session, sick, Map.of(), HealthMode.CURT, "cpu", monitor),
                    () -> checkOrigin(tracer.trace(graph, signature, session, sick, Map.of(), HealthMode.FULL, "cpu",
                            monitor), bench),
                    () -> anchor.run(healthy.feeds()),
                    () -> session.healthPass(sick.feeds(), outputs, HealthMode.CURT, Map.of(), monitor),
                    () -> session.healthPass(sick.feeds(), outputs, HealthMode.FULL, Map.of(), monitor),
                    () -> session.fetch(sick.feeds(), outputs, Map.of(), monitor)));
            if (full) {
                calls.addAll(List.<Call>of(
                        () -> check(previous.healthPass(healthy.feeds(), outputs, HealthMode.CURT, Map.of(), monitor)),
                        () -> check(previous.healthPass(healthy.feeds(), outputs, HealthMode.FULL, Map.of(), monitor)),
                        () -> tracer.trace(graph, signature, previous, sick, Map.of(), HealthMode.CURT, "cpu", monitor),
                        () -> checkOrigin(tracer.trace(graph, signature, previous, sick, Map.of(), HealthMode.FULL,
                                "cpu", monitor), bench)));
            }
            List<String> kinds = new ArrayList<>(KINDS.subList(0, calls.size()));
            if (kernel != null) {
                calls.add(() -> kernel.run(healthy.feeds()));
                kinds.add("statistics by a native op per float32 tensor, same graph (not in the product)");
            }
            double[] first = new double[calls.size()];
            for (int k = 0; k < calls.size(); k++) {
                first[k] = time(calls.get(k));
            }
            double[][] times = new double[calls.size()][rounds * BLOCK];
            for (int round = -1; round < rounds; round++) {
                for (int k = 0; k < calls.size(); k++) {
                    for (int i = 0; i < BLOCK; i++) {
                        double t = time(calls.get(k));
                        if (round >= 0) {
                            times[k][round * BLOCK + i] = t;
                        }
                    }
                }
            }
            Trace counted = session.healthPass(healthy.feeds(), outputs, HealthMode.CURT, Map.of(), monitor);
            long constants = counted.notProbed().values().stream().filter(v -> v.startsWith("a constant")).count();
            long anchored = counted.notProbed().values().stream().filter(v -> v.startsWith("finite because")).count();
            long bounded = counted.notProbed().values().stream()
                    .filter(v -> v.startsWith("finite: no value") || v.startsWith("fed:")).count();
            lines.add(String.format(Locale.ROOT, "%s | float tensors checked: %d, of them not probed in a healthy curt pass:"
                    + " %d constants, %d copies, %d bounded (%d of them measured), %d anchored; probed: %d",
                    Path.of(bench.model()).getParent(), counted.rows().size(), constants,
                    counted.notProbed().size() - constants - anchored - bounded, bounded,
                    ((TfSession) session).lastPassMeasured().size(), anchored,
                    ((TfSession) session).lastPassProbed().size()));
            double plain = median(times[0]);
            for (int k = 0; k < calls.size(); k++) {
                double m = median(times[k]);
                lines.add(String.format(Locale.ROOT, "%s | %s | %.1f | %.1f | %.2fx", Path.of(bench.model()).getParent(),
                        kinds.get(k), first[k], m, m / plain));
            }
            assertTrue(plain > 0, "plain inference was timed");
        }
        return lines;
    }

    /** The healthy input is finite everywhere, and the pass says so over every tensor it watched. */
    private static Trace check(Trace trace) {
        assertFalse(trace.rows().isEmpty(), "rows in the trace");
        assertTrue(trace.rows().stream().allMatch(r -> r.isFinite()), "a healthy input stays finite");
        return trace;
    }

    private static TraceOutcome checkOrigin(TraceOutcome outcome, Bench bench) {
        assertEquals(bench.model().startsWith("movenet"), outcome.report().finite(),
                "ramp*1e38 makes Inf in the float models");
        return outcome;
    }

    @FunctionalInterface
    interface Call {
        Object run() throws Exception;
    }

    private static double time(Call call) throws Exception {
        long start = System.nanoTime();
        call.run();
        return (System.nanoTime() - start) / 1e6;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /**
     * TensorFlow's own cheapest check: the model's graph in its own session, one DebugNumericSummaryV2
     * (CURT_HEALTH) per float tensor the outputs need, all rows concatenated and fetched with the outputs. Or, with
     * the statistics kernel, one TensorscopeStats per float32 tensor in the same way.
     */
    private static final class Anchor implements AutoCloseable {

        private final Graph graph = new Graph();
        private final Session session;
        private final List<String> fetches = new ArrayList<>();
        private final boolean statsKernel;

        Anchor(TfModel model, boolean statsKernel) {
            if (statsKernel) {
                TensorFlow.loadLibrary(STATS_KERNEL);
            }
            this.statsKernel = statsKernel;
            graph.importGraphDef(model.frozenGraph());
            session = new Session(graph);
        }

        void attach(ModelGraph model, Map<String, TensorData> feeds, List<String> outputs) {
            Set<String> fed = new HashSet<>();
            feeds.keySet().forEach(n -> fed.add(TensorSpec.tensorName(n)));
            Ops tf = Ops.create(graph).withSubScope("anchor");
            List<Operand<TFloat64>> rows = new ArrayList<>();
            int id = 0;
            for (var op : model.opsNeededFor(outputs, fed)) {
                for (TensorSpec t : op.outputs()) {
                    if (!t.dtype().isFloating() || statsKernel && t.dtype() != DType.FLOAT32) {
                        continue;
                    }
                    GraphOperation summary = statsKernel
                            ? graph.opBuilder("TensorscopeStats", "anchor/stats_" + id++, tf.scope())
                                    .addInput(graph.outputOrThrow(t.name()))
                                    .build()
                            : graph.opBuilder("DebugNumericSummaryV2", "anchor/summary_" + id, tf.scope())
                                    .addInput(graph.outputOrThrow(t.name()))
                                    .setAttr("tensor_debug_mode", 2)
                                    .setAttr("tensor_id", id++)
                                    .setAttr("output_dtype", DataType.DT_DOUBLE)
                                    .build();
                    Operand<TFloat64> row = summary.output(0);
                    rows.add(tf.expandDims(row, tf.constant(0)));
                }
            }
            fetches.add(tf.withName("rows").concat(rows, tf.constant(0)).op().name());
            outputs.stream().map(TensorSpec::tensorName).filter(n -> !fed.contains(n)).forEach(fetches::add);
        }

        Object run(Map<String, TensorData> feeds) {
            List<Tensor> fed = new ArrayList<>();
            try {
                Session.Runner runner = session.runner();
                Map<String, TensorData> all = new LinkedHashMap<>(feeds);
                for (var feed : all.entrySet()) {
                    Tensor tensor = TfTensors.toTensor(feed.getValue());
                    fed.add(tensor);
                    runner.feed(TensorSpec.tensorName(feed.getKey()), tensor);
                }
                fetches.forEach(runner::fetch);
                try (Result result = runner.run()) {
                    return result.size();
                }
            } finally {
                fed.forEach(Tensor::close);
            }
        }

        @Override
        public void close() {
            session.close();
            graph.close();
        }
    }
}
