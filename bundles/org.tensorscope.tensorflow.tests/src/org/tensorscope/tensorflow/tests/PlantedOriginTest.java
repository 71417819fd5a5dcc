package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.tensorflow.op.Ops;
import org.tensorscope.core.analysis.NanOrigin;
import org.tensorscope.core.input.Npy;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.run.NanTracer;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.service.NanCauseRule;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.tensorflow.internal.TensorFlowBackend;
import org.tensorscope.tensorflow.internal.load.FrozenGraphLoader;
import org.tensorscope.core.service.InferenceSession;

/**
 * Generated models with a planted NaN/Inf origin: each trace must name the origin op, the rule
 * and the offending values.
 */
class PlantedOriginTest {

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

    private static String input(String name, long[] shape, float... values) throws Exception {
        Path file = folder.resolve(name + "-" + System.nanoTime() + ".npy");
        Npy.write(TensorData.ofFloats(name, Shape.of(shape), values), file);
        return name + "=" + file;
    }

    private static NanReport trace(String model, Consumer<Ops> body, String... inputs) throws Exception {
        Path file = PlantedModels.write(folder, model, body);
        List<NanCauseRule> all = new ArrayList<>(org.tensorscope.core.service.Contributions.ranked(rules));
        assertTrue(all.size() >= 10, "cause rules registered as services: " + all.size());
        try (LoadedModel loaded = new FrozenGraphLoader().load(file, new NullProgressMonitor());
                InferenceSession session = new TensorFlowBackend().open(loaded, Device.CPU)) {
            var signature = loaded.graph().defaultSignature().orElseThrow();
            PreparedInputs prepared = PreparedInputs.prepare(signature, List.of(inputs));
            return new NanTracer(all).trace(loaded.graph(), signature, session, prepared, Map.of(), HealthMode.FULL, "cpu",
                    new NullProgressMonitor()).report();
        }
    }

    private static void assertOffending(NanReport.Cause cause, int input, List<Long> position, double value) {
        assertTrue(cause.offendingValues().stream().anyMatch(v -> v.input() == input && v.position().equals(position)
                && (Double.isNaN(value) ? Double.isNaN(v.value()) : v.value() == value)),
                "expected input " + input + " at " + position + " = " + value + " among " + cause.offendingValues());
    }

    @Test
    void logOfANegativeNumber() throws Exception {
        NanReport r = trace("log", PlantedModels::logOfNegative, input("x", new long[] { 4 }, 1f, -2f, 3f, 0f));
        assertFalse(r.finite());
        assertEquals("log", r.origin().op());
        assertEquals("Log", r.origin().type());
        assertEquals(NanOrigin.Kind.COMPUTATION, r.origin().kind());
        assertEquals("log-of-non-positive", r.origin().cause().rule());
        assertOffending(r.origin().cause(), 0, List.of(1L), -2);
        assertOffending(r.origin().cause(), 0, List.of(3L), 0);
        assertEquals("log", r.origin().firstNanOp());
        assertEquals("log", r.origin().firstInfOp(), "log(0) = -inf");
        assertEquals(List.of("out"), r.propagation());
    }

    @Test
    void zeroDividedByZero() throws Exception {
        NanReport r = trace("zero_by_zero", PlantedModels::division, input("x", new long[] { 2 }, 0f, 1f),
                input("y", new long[] { 2 }, 0f, 2f));
        assertEquals("div", r.origin().op());
        assertEquals("zero-by-zero", r.origin().cause().rule());
        assertOffending(r.origin().cause(), 0, List.of(0L), 0);
        assertOffending(r.origin().cause(), 1, List.of(0L), 0);
    }

    @Test
    void divisionByZero() throws Exception {
        NanReport r = trace("x_by_zero", PlantedModels::division, input("x", new long[] { 2 }, 3f, 1f),
                input("y", new long[] { 2 }, 0f, 2f));
        assertEquals("div", r.origin().op());
        assertEquals("division-by-zero", r.origin().cause().rule());
        assertOffending(r.origin().cause(), 1, List.of(0L), 0);
        assertEquals("div", r.origin().firstInfOp());
        assertEquals(null, r.origin().firstNanOp());
    }

    @Test
    void overflowThenInfMinusInf() throws Exception {
        NanReport r = trace("inf_minus_inf", PlantedModels::infMinusInf, input("x", new long[] { 2 }, 1e10f, 1f));
        assertEquals("scaled_a", r.origin().op());
        assertEquals("overflow", r.origin().cause().rule());
        assertOffending(r.origin().cause(), 0, List.of(0L), 1e10f);
        assertEquals("scaled_a", r.origin().firstInfOp());
        assertEquals("out", r.origin().firstNanOp());
        assertNotNull(r.origin().firstNanCause());
        assertEquals("inf-minus-inf", r.origin().firstNanCause().rule());
    }

    @Test
    void expOverflow() throws Exception {
        NanReport r = trace("exp", PlantedModels::expOverflow, input("x", new long[] { 3 }, 1f, 100f, 2f));
        assertEquals("exp", r.origin().op());
        assertEquals("exp-overflow", r.origin().cause().rule());
        assertOffending(r.origin().cause(), 0, List.of(1L), 100);
        assertEquals(1, r.origin().cause().offendingValues().size());
    }

    @Test
    void sqrtOfANegativeNumber() throws Exception {
        NanReport r = trace("sqrt", PlantedModels::sqrtOfNegative, input("x", new long[] { 2 }, 4f, -9f));
        assertEquals("sqrt", r.origin().op());
        assertEquals("sqrt-of-negative", r.origin().cause().rule());
        assertOffending(r.origin().cause(), 0, List.of(1L), -9);
    }

    @Test
    void nanAlreadyInTheWeightsBlamesTheWeights() throws Exception {
        NanReport r = trace("nan_weight", PlantedModels::nanInWeights, input("x", new long[] { 3 }, 1f, 1f, 1f));
        assertEquals("w", r.origin().op());
        assertEquals(NanOrigin.Kind.WEIGHTS, r.origin().kind());
        assertEquals("weights-not-finite", r.origin().cause().rule());
        assertOffending(r.origin().cause(), 0, List.of(1L), Double.NaN);
        assertEquals(List.of("w"), r.weights().stream().map(NanReport.WeightHealth::op).toList());
        assertTrue(r.inputs().get(0).problems().isEmpty(), "the input is healthy");
    }

    @Test
    void nanInTheInputBlamesTheInput() throws Exception {
        NanReport r = trace("nan_input", PlantedModels::passThrough, input("x", new long[] { 3 }, 1f, Float.NaN, 3f));
        assertEquals("x", r.origin().op());
        assertEquals(NanOrigin.Kind.INPUT, r.origin().kind());
        assertEquals("input-not-finite", r.origin().cause().rule());
        assertOffending(r.origin().cause(), 0, List.of(1L), Double.NaN);
        assertTrue(r.inputs().get(0).problems().get(0).contains("already holds 1 NaN"), r.inputs().toString());
    }

    @Test
    void normalisationByAZeroVariance() throws Exception {
        NanReport r = trace("zero_variance", PlantedModels::zeroVarianceNormalisation,
                input("x", new long[] { 4 }, 5f, 5f, 5f, 5f));
        assertEquals("inverse_std", r.origin().op());
        assertEquals("rsqrt-of-zero", r.origin().cause().rule());
        assertOffending(r.origin().cause(), 0, List.of(), 0);
        assertEquals("out", r.origin().firstNanOp());
        assertEquals("zero-times-inf", r.origin().firstNanCause().rule());
    }

    @Test
    void convolutionAccumulationOverflow() throws Exception {
        NanReport r = trace("conv", PlantedModels::convAccumulationOverflow,
                input("x", new long[] { 1, 2, 2, 1 }, 1e20f, 1e20f, 1e20f, 1e20f));
        assertEquals("out", r.origin().op());
        assertEquals("Conv2D", r.origin().type());
        assertEquals("accumulation-overflow", r.origin().cause().rule());
        assertOffending(r.origin().cause(), 0, List.of(0L, 0L, 0L, 0L), 1e20f);
        assertOffending(r.origin().cause(), 1, List.of(0L, 0L, 0L, 0L), 1e19f);
    }

    @Test
    void healthyRunReportsEveryTensorFinite() throws Exception {
        NanReport r = trace("healthy", PlantedModels::logOfNegative, input("x", new long[] { 2 }, 1f, 2f));
        assertTrue(r.finite());
        assertEquals(null, r.origin());
        assertEquals(4, r.ops().size());
    }

    @Test
    void handWrittenSoftmaxWhoseKeepDimsSumUnderflowsToZero() throws Exception {
        // exp(-1000) underflows to 0 in the first row: its sum is 0 and every element is 0/0
        NanReport r = trace("softmax_keepdims", PlantedModels::keepDimsSoftmax,
                input("x", new long[] { 2, 3 }, -1000f, -1000f, -1000f, 0f, 1f, 2f));
        assertEquals("out", r.origin().op());
        assertEquals("zero-by-zero", r.origin().cause().rule(), "not 'no rule recognised'");
        assertTrue(r.origin().cause().description().startsWith("0/0: 3 element(s)"), r.origin().cause().description());
        assertTrue(r.origin().cause().description().contains("numerator [2,3] broadcast against denominator [2,1]"),
                r.origin().cause().description());
        assertOffending(r.origin().cause(), 1, List.of(0L, 0L), 0);
        assertOffending(r.origin().cause(), 0, List.of(0L, 2L), 0);
        assertTrue(r.origin().cause().suggestion().contains("divide_no_nan"));
    }

    @Test
    void twoIndependentDivisionsByZeroAreBothOrigins() throws Exception {
        NanReport r = trace("two_divisions", PlantedModels::twoDivisions, input("x", new long[] { 2 }, 0f, 1f),
                input("y", new long[] { 2 }, 1f, 0f));
        assertEquals(List.of("div_a", "div_b"), r.origins().stream().map(NanReport.Origin::op).sorted().toList());
        for (NanReport.Origin origin : r.origins()) {
            assertEquals("division-by-zero", origin.cause().rule(), origin.op());
            // each divides by its own zero: y[1] for x / y, x[0] for y / x
            assertOffending(origin.cause(), 1, List.of(origin.op().equals("div_a") ? 1L : 0L), 0);
        }
        assertEquals(List.of("out"), r.propagation(), "the second division does not merely propagate the first");
    }
}
