package org.tensorscope.onnx.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.tensorscope.core.analysis.NanOrigin;
import org.tensorscope.core.input.Npy;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.OpRole;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.run.NanTracer;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.NanCauseRule;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.onnx.internal.OnnxBackend;
import org.tensorscope.onnx.internal.OnnxModel;
import org.tensorscope.onnx.internal.load.OnnxModelLoader;

/**
 * ONNX models with a planted NaN/Inf origin, run by ONNX Runtime: core's tracer must name the
 * origin op, the rule and the offending values, as it does for TensorFlow.
 */
class OnnxPlantedOriginTest {

    @TempDir
    static Path folder;

    private static ServiceTracker<NanCauseRule, NanCauseRule> rules;

    @BeforeAll
    static void trackCauseRules() throws InterruptedException {
        rules = new ServiceTracker<>(FrameworkUtil.getBundle(NanCauseRule.class).getBundleContext(), NanCauseRule.class,
                null);
        rules.open();
        rules.waitForService(20_000);
    }

    @AfterAll
    static void close() {
        rules.close();
    }

    private static String input(String name, float... values) throws Exception {
        Path file = folder.resolve(name + "-" + System.nanoTime() + ".npy");
        Npy.write(TensorData.ofFloats(name, Shape.of(values.length), values), file);
        return name + "=" + file;
    }

    private static NanReport trace(Path model, String... inputs) throws Exception {
        List<NanCauseRule> all = new ArrayList<>(org.tensorscope.core.service.Contributions.ranked(rules));
        try (OnnxModel loaded = new OnnxModelLoader().load(model, new NullProgressMonitor());
                InferenceSession session = new OnnxBackend().open(loaded, Device.CPU)) {
            var signature = loaded.graph().defaultSignature().orElseThrow();
            PreparedInputs prepared = PreparedInputs.prepare(signature, List.of(inputs));
            NanReport full = new NanTracer(all).trace(loaded.graph(), signature, session, prepared, Map.of(),
                    HealthMode.FULL, "cpu", new NullProgressMonitor()).report();
            // a CURT pass sums the values instead of reading them, and must find the same origin for the same reason
            NanReport curt = new NanTracer(all).trace(loaded.graph(), signature, session, prepared, Map.of(),
                    HealthMode.CURT, "cpu", new NullProgressMonitor()).report();
            assertEquals(full.finite(), curt.finite());
            if (!full.finite()) {
                assertEquals(full.origin().op(), curt.origin().op());
                assertEquals(full.origin().kind(), curt.origin().kind());
                assertEquals(full.origin().cause().rule(), curt.origin().cause().rule());
                assertEquals(full.origin().cause().offendingValues(), curt.origin().cause().offendingValues());
                assertEquals(full.propagation(), curt.propagation());
            }
            return full;
        }
    }

    private static void assertOffending(NanReport.Cause cause, int input, List<Long> position, double value) {
        assertTrue(cause.offendingValues().stream().anyMatch(v -> v.input() == input && v.position().equals(position)
                && (Double.isNaN(value) ? Double.isNaN(v.value()) : v.value() == value)),
                "expected input " + input + " at " + position + " = " + value + " among " + cause.offendingValues());
    }

    @Test
    void logOfANegativeInput() throws Exception {
        Path model = new TinyOnnxModels().input("x", 4).node("log", "Log", List.of("x"), "log_x")
                .node("out", "Mul", List.of("log_x", "log_x"), "y").output("y", 4).write(folder, "log");
        NanReport r = trace(model, input("x", 1f, -2f, 3f, 0f));
        assertFalse(r.finite());
        assertEquals("log", r.origin().op());
        assertEquals("Log", r.origin().type());
        assertEquals(NanOrigin.Kind.COMPUTATION, r.origin().kind());
        assertEquals("log-of-non-positive", r.origin().cause().rule());
        assertOffending(r.origin().cause(), 0, List.of(1L), -2);
        assertOffending(r.origin().cause(), 0, List.of(3L), 0);
        assertEquals(List.of("out"), r.propagation());
    }

    @Test
    void logOfANegativeConstant() throws Exception {
        Path model = new TinyOnnxModels().constant("c", "c_out", -1f, 2f).node("log", "Log", List.of("c_out"), "y")
                .output("y", 2).write(folder, "log_const");
        NanReport r = trace(model);
        assertEquals("log", r.origin().op());
        assertEquals("log-of-non-positive", r.origin().cause().rule());
        assertOffending(r.origin().cause(), 0, List.of(0L), -1);
    }

    @Test
    void zeroDividedByZero() throws Exception {
        Path model = new TinyOnnxModels().input("a", 2).input("b", 2).node("div", "Div", List.of("a", "b"), "q")
                .output("q", 2).write(folder, "zero_by_zero");
        NanReport r = trace(model, input("a", 0f, 1f), input("b", 0f, 2f));
        assertEquals("div", r.origin().op());
        assertEquals("zero-by-zero", r.origin().cause().rule());
        assertOffending(r.origin().cause(), 0, List.of(0L), 0);
        assertOffending(r.origin().cause(), 1, List.of(0L), 0);
    }

    @Test
    void nanInAnInitializerBlamesTheWeights() throws Exception {
        Path model = new TinyOnnxModels().input("x", 3).initializer("w", 1f, Float.NaN, 1f)
                .node("out", "Mul", List.of("x", "w"), "y").output("y", 3).write(folder, "nan_weight");
        NanReport r = trace(model, input("x", 1f, 1f, 1f));
        assertEquals("w", r.origin().op());
        assertEquals(NanOrigin.Kind.WEIGHTS, r.origin().kind());
        assertEquals("weights-not-finite", r.origin().cause().rule());
        assertOffending(r.origin().cause(), 0, List.of(1L), Double.NaN);
        assertEquals(List.of("w"), r.weights().stream().map(NanReport.WeightHealth::op).toList());
    }

    @Test
    void infinitiesOfOppositeSignAddedBySumAreInfMinusInf() throws Exception {
        // ONNX's Sum adds its inputs element by element (TensorFlow's AddN): the loader says so, and core's rules,
        // which know TensorFlow's Sum as a reduction, explain it
        Path model = new TinyOnnxModels().input("x", 2).scalarInitializer("big", 1e10f)
                .node("grow", "Mul", List.of("x", "big"), "up").node("flip", "Neg", List.of("up"), "down")
                .node("total", "Sum", List.of("up", "down"), "y").output("y", 2).write(folder, "sum_of_infinities");
        NanReport r = trace(model, input("x", 1e30f, 1f));
        assertEquals("grow", r.origin().op());
        assertEquals("overflow", r.origin().cause().rule());
        assertEquals("total", r.origin().firstNanOp());
        assertEquals("inf-minus-inf", r.origin().firstNanCause().rule());
        assertTrue(r.origin().firstNanCause().description().startsWith("inf - inf: 1 element(s) of this Sum add"),
                r.origin().firstNanCause().description());
    }

    @Test
    void theLoaderTellsCoreWhichOpsAreInputsWeightsAndConstants() throws Exception {
        Path model = new TinyOnnxModels().input("x", 2).initializer("w", 1f, 2f).constant("c", "c_out", 3f, 4f)
                .node("gemm", "Gemm", List.of("x", "w", "c_out"), "y").output("y", 2).write(folder, "roles");
        try (OnnxModel loaded = new OnnxModelLoader().load(model, new NullProgressMonitor())) {
            var graph = loaded.graph();
            assertEquals(OpRole.INPUT, graph.op("x").orElseThrow().role());
            assertEquals(OpRole.WEIGHT, graph.op("w").orElseThrow().role());
            assertEquals(OpRole.CONSTANT, graph.op("c").orElseThrow().role());
            OpNode gemm = graph.op("gemm").orElseThrow();
            assertEquals(OpRole.COMPUTATION, gemm.role());
            assertEquals("Gemm", gemm.type());
            assertEquals("MatMul", gemm.canonicalType());
        }
    }

    /** Average poolings are TensorFlow's AvgPool to the cause rules: a sum that overflows is said to (PP-OCRv4). */
    @Test
    void averagePoolingsAreAvgPoolToTheRules() throws Exception {
        Path model = new TinyOnnxModels().input("x", 2).node("gap", "GlobalAveragePool", List.of("x"), "g")
                .node("ap", "AveragePool", List.of("g"), "y").output("y", 2).write(folder, "pools");
        try (OnnxModel loaded = new OnnxModelLoader().load(model, new NullProgressMonitor())) {
            assertEquals("AvgPool", loaded.graph().op("gap").orElseThrow().canonicalType());
            assertEquals("AvgPool", loaded.graph().op("ap").orElseThrow().canonicalType());
        }
    }

    @Test
    void healthyRunChecksEveryFloatTensor() throws Exception {
        Path model = new TinyOnnxModels().input("x", 2).node("log", "Log", List.of("x"), "log_x")
                .node("out", "Mul", List.of("log_x", "log_x"), "y").output("y", 2).write(folder, "healthy");
        NanReport r = trace(model, input("x", 1f, 2f));
        assertTrue(r.finite());
        assertEquals(3, r.ops().size(), "x, log and out: " + r.ops());
    }
}
