package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.op.Ops;
import org.tensorscope.core.input.Npy;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.run.NanTracer;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.tensorflow.internal.TensorFlowBackend;
import org.tensorscope.tensorflow.internal.load.FrozenGraphLoader;

/**
 * The numerical bugs of real TensorFlow programs, as TensorFlow runs them: each trace names the origin
 * op(s), the cause of the origin and of the first NaN, and a fix that names the pattern; no op the trace
 * names is left without a cause.
 */
class DiagnosisTest {

    @TempDir
    static Path folder;

    private static String input(String name, long[] shape, float... values) throws Exception {
        Path file = folder.resolve(name + "-" + System.nanoTime() + ".npy");
        Npy.write(TensorData.ofFloats(name, Shape.of(shape), values), file);
        return name + "=" + file;
    }

    private static NanReport trace(String model, Consumer<Ops> body, String... inputs) throws Exception {
        Path file = PlantedModels.write(folder, model, body);
        keepForTheCommandLine(file);
        try (LoadedModel loaded = new FrozenGraphLoader().load(file, new NullProgressMonitor());
                InferenceSession session = new TensorFlowBackend().open(loaded, Device.CPU)) {
            var signature = loaded.graph().defaultSignature().orElseThrow();
            PreparedInputs prepared = PreparedInputs.prepare(signature, List.of(inputs));
            NanReport report = new NanTracer(Tracing.rules()).trace(loaded.graph(), signature, session, prepared,
                    Map.of(), HealthMode.FULL, "cpu", new NullProgressMonitor()).report();
            assertEveryNamedOpExplained(report);
            return report;
        }
    }

    /** The graphs stay in the build folder so that they can be traced with the product's command line too. */
    private static void keepForTheCommandLine(Path file) throws Exception {
        Path kept = Path.of("target", "diagnosis-models");
        Files.createDirectories(kept);
        Files.copy(file, kept.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }

    private static void assertEveryNamedOpExplained(NanReport report) {
        for (NanReport.Origin origin : report.origins()) {
            assertNotNull(origin.cause(), "no rule recognised origin " + origin.op());
        }
        NanReport.Origin first = report.origin();
        if (first != null && first.firstNanOp() != null && !first.firstNanOp().equals(first.op())) {
            assertNotNull(first.firstNanCause(), "no rule recognised the first NaN op " + first.firstNanOp());
        }
    }

    private static void assertContains(String text, String part) {
        assertTrue(text.contains(part), "expected '" + part + "' in: " + text);
    }

    @Test
    void crossEntropyOnASoftmaxThatUnderflows() throws Exception {
        NanReport r = trace("cross_entropy", DiagnosisModels::crossEntropyOnSoftmax,
                input("x", new long[] { 1, 3 }, -200f, 0f, 0f));
        assertEquals("log", r.origin().op());
        assertEquals("log-of-non-positive", r.origin().cause().rule());
        assertContains(r.origin().cause().suggestion(), "`Log` of a `Softmax` output (softmax)");
        assertContains(r.origin().cause().suggestion(), "tf.nn.log_softmax");
        assertEquals("terms", r.origin().firstNanOp());
        // the explanation must see 0 * -Inf, which the optimiser's LogSoftmax rewrite would hide
        assertEquals("zero-times-inf", r.origin().firstNanCause().rule());
        assertTrue(r.origin().firstNanCause().description().startsWith("0 · inf: 1 element(s)"),
                r.origin().firstNanCause().description());
        assertContains(r.origin().firstNanCause().suggestion(), "softmax_cross_entropy_with_logits");
        assertEquals(List.of("log"), r.origins().stream().map(NanReport.Origin::op).toList());
    }

    /**
     * Why explanations fetch with the optimiser off: fetching the Mul and its inputs alone lets grappler turn
     * Log(Softmax) into LogSoftmax, whose output is finite, so that fetch never sees the 0 * -Inf the trace found.
     */
    @Test
    void theOptimisedRunRewritesLogOfSoftmaxAndTheTracedOneDoesNot() throws Exception {
        Path file = PlantedModels.write(folder, "cross_entropy_fetch", DiagnosisModels::crossEntropyOnSoftmax);
        try (LoadedModel loaded = new FrozenGraphLoader().load(file, new NullProgressMonitor());
                InferenceSession session = new TensorFlowBackend().open(loaded, Device.CPU)) {
            var signature = loaded.graph().defaultSignature().orElseThrow();
            var feeds = PreparedInputs.prepare(signature, List.of(input("x", new long[] { 1, 3 }, -200f, 0f, 0f)))
                    .feeds();
            List<String> wanted = List.of("label:0", "log:0", "terms:0");
            Map<String, TensorData> optimised = session.fetch(feeds, wanted, Map.of(), new NullProgressMonitor());
            Map<String, TensorData> traced = session.fetchAsTraced(feeds, wanted, Map.of(), new NullProgressMonitor());
            assertEquals(Double.NEGATIVE_INFINITY, traced.get("log:0").getDouble(0), "log(0) as the graph is written");
            assertTrue(Double.isNaN(traced.get("terms:0").getDouble(0)), "0 * -Inf");
            assertTrue(Double.isFinite(optimised.get("log:0").getDouble(0)),
                    "grappler's LogSoftmax: " + optimised.get("log:0").getDouble(0));
        }
    }

    @Test
    void handWrittenSoftmaxWhoseSumUnderflowsToZero() throws Exception {
        NanReport r = trace("softmax_underflow", DiagnosisModels::handWrittenSoftmax,
                input("x", new long[] { 2, 3 }, -1000f, -1000f, -1000f, 0f, 1f, 2f));
        assertEquals("out", r.origin().op());
        assertEquals("zero-by-zero", r.origin().cause().rule());
        assertEquals("out", r.origin().firstNanOp());
        assertContains(r.origin().cause().suggestion(), "Hand-written softmax exp(x) / sum(exp(x)) whose `Sum` sum is 0");
        assertContains(r.origin().cause().suggestion(), "Use tf.nn.softmax, which subtracts the row maximum first");
    }

    @Test
    void handWrittenSoftmaxWhoseSumOverflowsToInfinity() throws Exception {
        NanReport r = trace("softmax_overflow", DiagnosisModels::handWrittenSoftmax,
                input("x", new long[] { 1, 2 }, 100f, 1f));
        assertEquals("exp", r.origin().op());
        assertEquals("exp-overflow", r.origin().cause().rule());
        assertContains(r.origin().cause().suggestion(), "`Exp` (exp) of values with no maximum subtracted");
        assertEquals("out", r.origin().firstNanOp());
        assertEquals("inf-by-inf", r.origin().firstNanCause().rule());
        assertContains(r.origin().firstNanCause().suggestion(), "Hand-written softmax exp(x) / sum(exp(x)) (exp / sum)");
    }

    @Test
    void logOfOneMinusASaturatedSigmoid() throws Exception {
        NanReport r = trace("binary_cross_entropy", DiagnosisModels::binaryCrossEntropy,
                input("x", new long[] { 2 }, 40f, 0f));
        assertEquals(List.of("log_one_minus_p"), r.origins().stream().map(NanReport.Origin::op).toList());
        assertEquals("log-of-non-positive", r.origin().cause().rule());
        assertContains(r.origin().cause().suggestion(), "`Log(1 - sigmoid(x))` saturates (log_one_minus_p)");
        assertContains(r.origin().cause().suggestion(), "tf.math.log_sigmoid(-x)");
        assertEquals("negative", r.origin().firstNanOp());
        assertEquals("zero-times-inf", r.origin().firstNanCause().rule());
        assertContains(r.origin().firstNanCause().suggestion(), "`Log(1 - sigmoid(x))` saturates");
    }

    @Test
    void vaeEpsilonLostInOnePlusEpsilon() throws Exception {
        NanReport r = trace("vae", DiagnosisModels::vaeReconstruction, input("x", new long[] { 2 }, 40f, -40f));
        assertEquals(List.of("log_eps_one_minus_p"), r.origins().stream().map(NanReport.Origin::op).toList());
        assertEquals("log-of-non-positive", r.origin().cause().rule());
        assertContains(r.origin().cause().suggestion(),
                "The epsilon 1e-10 is lost in `1 + 1e-10` in float32 (eps_plus_one)");
        assertContains(r.origin().cause().suggestion(), "Add the epsilon after the subtraction");
        assertEquals("second", r.origin().firstNanOp());
        assertEquals("zero-times-inf", r.origin().firstNanCause().rule());
        assertContains(r.origin().firstNanCause().suggestion(), "The epsilon 1e-10 is lost");
    }

    @Test
    void twoIndependentDivisionsByZero() throws Exception {
        NanReport r = trace("two_divisions_product", DiagnosisModels::twoDivisionsMultiplied,
                input("x", new long[] { 3 }, 0f, 1f, 2f), input("y", new long[] { 3 }, 1f, 0f, 2f));
        assertEquals(List.of("div_a", "div_b"), r.origins().stream().map(NanReport.Origin::op).sorted().toList());
        for (NanReport.Origin origin : r.origins()) {
            assertEquals("division-by-zero", origin.cause().rule(), origin.op());
            assertContains(origin.cause().suggestion(), "Add an epsilon to the denominator");
        }
        assertEquals("out", r.origin().firstNanOp());
        assertEquals("zero-times-inf", r.origin().firstNanCause().rule());
        assertContains(r.origin().firstNanCause().suggestion(), "The infinity comes from the division div_");
        assertEquals(List.of("out"), r.propagation());
    }

    @Test
    void float16ExpOverflow() throws Exception {
        NanReport r = trace("float16_exp", DiagnosisModels::float16Exp, input("x", new long[] { 2 }, 12f, 1f));
        assertEquals("exp", r.origin().op());
        assertEquals("exp-overflow", r.origin().cause().rule());
        assertContains(r.origin().cause().description(), "> 11.09 (exp overflows float16");
        assertEquals(12, r.origin().cause().offendingValues().get(0).value());
        assertContains(r.origin().cause().suggestion(), "In float16, cast to float32 before the exp.");
        assertEquals("out", r.origin().firstNanOp());
        assertEquals("inf-minus-inf", r.origin().firstNanCause().rule());
    }
}
