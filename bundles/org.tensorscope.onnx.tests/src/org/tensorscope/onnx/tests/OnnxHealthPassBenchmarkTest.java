package org.tensorscope.onnx.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.run.NanTracer;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.service.Contributions;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.NanCauseRule;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.core.trace.Trace;
import org.tensorscope.onnx.internal.OnnxBackend;
import org.tensorscope.onnx.internal.OnnxModel;
import org.tensorscope.onnx.internal.load.OnnxModelLoader;
import org.tensorscope.onnx.internal.run.OnnxSession;

/**
 * What a health pass and a NaN trace cost against a plain run on ONNX models, in one JVM with the calls interleaved:
 * the plain run is ONNX Runtime's optimised one, every checking run is unoptimised, so the table also gives a run of
 * the model as the file writes it (the floor of any trace). Prints a table and writes it to
 * target/onnx-health-pass-benchmark.txt; nothing passes or fails on a time.
 * <p>
 * The normal build runs it in a short mode (the classifier, one round). {@code -Dtensorscope.benchmark=full} measures
 * every model with {@value #FULL_ROUNDS} rounds; {@code -Dtensorscope.benchmark.onnx="FILE;INPUT=SPEC;..."} adds a
 * model of your own with its healthy inputs (its NaN trace multiplies the first input by 1e38). See docs/benchmarks.md.
 */
class OnnxHealthPassBenchmarkTest {

    private static final int FULL_ROUNDS = 5;
    private static final int BLOCK = 2;

    /** A model and its inputs; {@code rounds} of blocks of {@code block} calls (0: as the mode says). */
    record Bench(Path model, List<String> healthy, List<String> sick, int rounds, int block) {

        Bench(Path model, List<String> healthy, List<String> sick) {
            this(model, healthy, sick, 0, BLOCK);
        }
    }

    private static final List<Bench> MODELS = List.of(
            new Bench(OnnxModelLoaderTest.CLASSIFIER, List.of("x=ramp"), List.of("x=ramp*1e38")),
            new Bench(OnnxSubgraphTest.SILERO, List.of("input=ramp@1x512", "state=zeros", "sr=const:16000"),
                    List.of("input=ramp*1e38@1x512", "state=zeros", "sr=const:16000")));

    private static final List<String> KINDS = List.of("plain run (optimised)", "the outputs, unoptimised",
            "health pass, curt", "health pass, full", "NaN trace, curt", "NaN trace, full");

    interface Call {
        Object run() throws Exception;
    }

    @Test
    void healthPassCostAgainstAPlainRun() throws Exception {
        String option = System.getProperty("tensorscope.benchmark", "short");
        boolean full = option.startsWith("full");
        int rounds = full ? FULL_ROUNDS : 1;
        List<Bench> models = new ArrayList<>(full ? MODELS : MODELS.subList(0, 1));
        String extra = System.getProperty("tensorscope.benchmark.onnx", "");
        if (!extra.isBlank()) {
            List<String> parts = List.of(extra.split(";"));
            List<String> inputs = parts.subList(1, parts.size());
            List<String> sick = new ArrayList<>(inputs);
            sick.set(0, inputs.get(0).replaceFirst("=([^@]*)", "=$1*1e38"));
            // a model of your own may take seconds a call: one round of one call after a warm-up call
            models.add(new Bench(Path.of(parts.get(0)), inputs, sick, 1, 1));
        }
        List<String> report = new ArrayList<>();
        report.add("ONNX health pass cost, " + (full ? "full" : "short") + " mode: medians of " + rounds * BLOCK
                + " calls after one warm-up block, interleaved in blocks of " + BLOCK + " (a model of your own: one call "
                + "after one warm-up call); "
                + Runtime.getRuntime().availableProcessors() + " cores, load average " + String.format(Locale.ROOT,
                        "%.1f", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        report.add("model | what | first call ms | warm median ms | ratio to the plain run");
        ServiceTracker<NanCauseRule, NanCauseRule> rules = new ServiceTracker<>(
                FrameworkUtil.getBundle(NanCauseRule.class).getBundleContext(), NanCauseRule.class, null);
        rules.open();
        try {
            rules.waitForService(20_000);
            NanTracer tracer = new NanTracer(new ArrayList<>(Contributions.ranked(rules)));
            for (Bench bench : models) {
                report.addAll(measure(tracer, bench, bench.rounds() > 0 ? bench.rounds() : rounds));
            }
        } finally {
            rules.close();
        }
        report.forEach(System.out::println);
        Path file = Path.of("target", "onnx-health-pass-benchmark.txt");
        Files.createDirectories(file.getParent());
        Files.write(file, report, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    private static List<String> measure(NanTracer tracer, Bench bench, int rounds) throws Exception {
        NullProgressMonitor monitor = new NullProgressMonitor();
        List<String> lines = new ArrayList<>();
        try (OnnxModel model = new OnnxModelLoader().load(bench.model(), monitor);
                OnnxSession session = (OnnxSession) new OnnxBackend().open(model, Device.CPU)) {
            ModelGraph graph = model.graph();
            Signature signature = graph.defaultSignature().orElseThrow();
            List<String> outputs = signature.outputs().stream().map(o -> o.tensor().name()).toList();
            PreparedInputs healthy = PreparedInputs.prepare(signature, bench.healthy());
            PreparedInputs sick = PreparedInputs.prepare(signature, bench.sick());
            List<Call> calls = List.of(
                    () -> session.fetch(healthy.feeds(), outputs, Map.of(), monitor),
                    () -> session.fetchAsTraced(healthy.feeds(), outputs, Map.of(), monitor),
                    () -> finite(session.healthPass(healthy.feeds(), outputs, HealthMode.CURT, Map.of(), monitor)),
                    () -> finite(session.healthPass(healthy.feeds(), outputs, HealthMode.FULL, Map.of(), monitor)),
                    () -> tracer.trace(graph, signature, session, sick, Map.of(), HealthMode.CURT, "cpu", monitor),
                    () -> tracer.trace(graph, signature, session, sick, Map.of(), HealthMode.FULL, "cpu", monitor));
            double[] first = new double[calls.size()];
            for (int k = 0; k < calls.size(); k++) {
                first[k] = time(calls.get(k));
            }
            int block = bench.block();
            double[][] times = new double[calls.size()][rounds * block];
            for (int round = -1; round < rounds; round++) {
                for (int k = 0; k < calls.size(); k++) {
                    for (int i = 0; i < block; i++) {
                        double t = time(calls.get(k));
                        if (round >= 0) {
                            times[k][round * block + i] = t;
                        }
                    }
                }
            }
            String name = bench.model().getFileName().toString();
            double plain = median(times[0]);
            assertTrue(plain > 0, "the plain run was timed");
            for (int k = 0; k < calls.size(); k++) {
                double m = median(times[k]);
                lines.add(String.format(Locale.ROOT, "%s | %s | %.1f | %.1f | %.2fx", name, KINDS.get(k), first[k], m,
                        m / plain));
            }
        }
        return lines;
    }

    private static Trace finite(Trace trace) {
        assertFalse(trace.rows().isEmpty());
        assertTrue(trace.isAllFinite(), "the healthy input is healthy");
        return trace;
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
}
