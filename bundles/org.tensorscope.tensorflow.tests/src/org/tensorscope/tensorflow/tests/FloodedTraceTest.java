package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.op.Ops;
import org.tensorscope.core.analysis.TensorStats;
import org.tensorscope.core.input.Npy;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.report.CoverageText;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.run.TraceOutcome;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.service.RuntimeRewrite;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.tensorflow.internal.TensorFlowBackend;
import org.tensorscope.tensorflow.internal.load.FrozenGraphLoader;
import org.tensorscope.tensorflow.internal.load.TfjsGraphModelLoader;
import org.tensorscope.tensorflow.internal.run.TfSession;

/**
 * A NaN trace on a session that has already run healthy passes of the same shapes (the workbench, the benchmark)
 * costs what it costs on a fresh session, and answers the same: it plans its anchors for the bounds it actually
 * uses, and reads the optimised runtime's rewrites once per outputs and fed shapes.
 */
class FloodedTraceTest {

    @TempDir
    static Path folder;

    /** What a user sees of a trace, and which tensors its runs probed and how many runs it made. */
    private record Seen(String origin, String cause, String offending, String firstNan, List<String> origins,
            List<NanReport.OpHealth> ops, String verdict, List<NanReport.Unchecked> unchecked, boolean agree,
            List<String> rewrites, List<String> probed, int runs) {

        static Seen of(TraceOutcome outcome, TfSession session, int runsBefore) {
            NanReport r = outcome.report();
            NanReport.Origin o = r.origin();
            NanReport.Cause cause = o == null ? null : o.cause();
            return new Seen(o == null ? null : o.op(), cause == null ? null : cause.rule(),
                    cause == null ? null : cause.offendingValues().toString(), o == null ? null : o.firstNanOp(),
                    r.origins().stream().map(NanReport.Origin::op).toList(),
                    r.ops(), CoverageText.verdict(r), r.unchecked(), r.fidelity().agree(), r.fidelity().rewrites(),
                    session.lastPassProbed(), session.runs() - runsBefore);
        }
    }

    private static Seen trace(LoadedModel loaded, TfSession session, String input) throws Exception {
        return trace(loaded, session, input, HealthMode.CURT);
    }

    private static Seen trace(LoadedModel loaded, TfSession session, String input, HealthMode mode) throws Exception {
        int before = session.runs();
        return Seen.of(Tracing.trace(loaded, session, List.of(input), mode), session, before);
    }

    private static Path npy(String name, float... values) throws Exception {
        Path file = folder.resolve(name + ".npy");
        Npy.write(TensorData.ofFloats("x", Shape.of(values.length), values), file);
        return file;
    }

    private static final int SUMS = 10;

    /**
     * big = x * 4 overflows where x = 1e38 (3 of 16 values): the origin; s1..s10 = s(k-1) + 1 carry the Inf,
     * nan = s10 - big is the first NaN (Inf - Inf), out = nan * 2. Every tensor is bounded for inputs up to the
     * bounds' planned magnitude, and the bounds fail for 1e38 before the run.
     */
    private static void scaledFlood(Ops tf) {
        tf.withName("out").math.mul(PlantedModels.infCarriedToNan(tf, 4f, SUMS), tf.constant(2f));
    }

    @Test
    void aFloodedTraceAfterHealthyPassesProbesAndAnswersAsOnAFreshSession() throws Exception {
        Path model = PlantedModels.write(folder, "scaled_flood", FloodedTraceTest::scaledFlood);
        float[] ones = new float[16];
        Arrays.fill(ones, 1f);
        float[] flooded = ones.clone();
        flooded[2] = 1e38f;
        flooded[7] = 1e38f;
        flooded[11] = 1e38f;
        String healthy = "x=" + npy("healthy", ones);
        String sick = "x=" + npy("sick", flooded);
        try (LoadedModel loaded = new FrozenGraphLoader().load(model, new NullProgressMonitor());
                TfSession fresh = (TfSession) new TensorFlowBackend().open(loaded, Device.CPU);
                TfSession used = (TfSession) new TensorFlowBackend().open(loaded, Device.CPU)) {
            trace(loaded, fresh, sick);
            Seen expected = trace(loaded, fresh, sick);
            assertEquals("big", expected.origin());
            assertEquals("overflow", expected.cause());
            assertEquals("nan", expected.firstNan());
            assertEquals(List.of("big"), expected.origins());
            assertTrue(expected.verdict().contains(" 13 non-finite (5 of them not counted"), expected.verdict());

            Seen healthyTrace = trace(loaded, used, healthy);
            assertTrue(healthyTrace.probed().size() < expected.probed().size(), "the healthy pass is bounded");
            trace(loaded, used, sick);
            Seen after = trace(loaded, used, sick);
            assertEquals(expected.probed(), after.probed(), "probed in the passes' runs");
            assertEquals(expected, after);
        }
    }

    @Test
    void handskeletonFloodedAfterAHealthyPassIsTracedInTheRunsOfAFreshSession() throws Exception {
        Path model = TestModels.get("tfjs/handskeleton/handskeleton.json");
        try (LoadedModel loaded = new TfjsGraphModelLoader().load(model, new NullProgressMonitor());
                TfSession fresh = (TfSession) new TensorFlowBackend().open(loaded, Device.CPU);
                TfSession used = (TfSession) new TensorFlowBackend().open(loaded, Device.CPU)) {
            trace(loaded, fresh, "input_1=ramp*1e38");
            Seen expected = trace(loaded, fresh, "input_1=ramp*1e38");
            assertEquals("StatefulPartitionedCall/model/batch_normalization/FusedBatchNormV3/Conv2D", expected.origin());
            assertEquals("accumulation-overflow", expected.cause());
            // the health pass's first run and its follow-up, the origin's inputs, the plain run for the comparison, and
            // the first NaN's inputs when the origin holds no NaN: whether the convolution's sums of +Inf and -Inf
            // products already make NaN depends on the CPU's kernels (their order of summing)
            String originTensor = expected.origin() + ":0";
            TensorData originValues = fresh.fetchAsTraced(PreparedInputs.prepare(loaded.graph().defaultSignature()
                    .orElseThrow(), List.of("input_1=ramp*1e38")).feeds(), List.of(originTensor), Map.of(),
                    new NullProgressMonitor()).get(originTensor);
            boolean originHoldsNan = TensorStats.of(originValues).nan() > 0;
            assertEquals(originHoldsNan, expected.origin().equals(expected.firstNan()), "first NaN " + expected.firstNan());
            assertEquals(originHoldsNan ? 4 : 5, expected.runs());
            assertEquals(239, expected.ops().stream().filter(o -> o.nan() != 0 || o.negInf() != 0
                    || o.posInf() != 0).count());

            Seen healthy = trace(loaded, used, "input_1=ramp");
            assertTrue(healthy.probed().isEmpty(), "bounded: " + healthy.probed());
            trace(loaded, used, "input_1=ramp*1e38");
            Seen after = trace(loaded, used, "input_1=ramp*1e38");
            assertEquals(expected.probed().size(), after.probed().size(), "probed in the passes' runs");
            assertEquals(expected, after);
        }
    }


    @Test
    void theRuntimesRewritesAreReadOnceForTheSameOutputsAndFedShapes() throws Exception {
        Path model = PlantedModels.write(folder, "conv_bias_relu", PlantedModels::convBiasRelu);
        Path nan = folder.resolve("nan.npy");
        Npy.write(TensorData.ofFloats("x", Shape.of(1, 2, 2, 1), Float.NaN, -3f, 0.5f, 2f), nan);
        Path otherNan = folder.resolve("other-nan.npy");
        Npy.write(TensorData.ofFloats("x", Shape.of(1, 2, 2, 1), 1f, Float.NaN, 0.5f, 2f), otherNan);
        try (LoadedModel loaded = new FrozenGraphLoader().load(model, new NullProgressMonitor());
                TfSession session = (TfSession) new TensorFlowBackend().open(loaded, Device.CPU)) {
            var signature = loaded.graph().defaultSignature().orElseThrow();
            List<String> outputs = signature.outputs().stream().map(o -> o.tensor().name()).toList();
            Map<String, TensorData> feeds = PreparedInputs.prepare(signature, List.of("x=" + nan)).feeds();
            int before = session.runs();
            List<RuntimeRewrite> rewrites = session.runtimeRewrites(feeds, outputs, null);
            assertEquals(1, session.runs() - before, "reading the rewrites runs the model");
            assertTrue(rewrites.stream().anyMatch(r -> r.op().equals("relu") && r.kernel().matches("_(MklNative)?FusedConv2D")
                    && r.replacedText().equals("Conv2D+BiasAdd+Relu")), rewrites.toString());
            Map<String, TensorData> other = PreparedInputs.prepare(signature, List.of("x=" + otherNan)).feeds();
            assertEquals(rewrites, session.runtimeRewrites(other, outputs, null));
            assertEquals(1, session.runs() - before, "the same outputs and fed shapes: read once");

            // a trace whose traced outputs disagree with the plain run's names the rewrites, without that run; whether
            // they disagree depends on the CPU's kernels (see RuntimeFidelityTest)
            TensorData plain = session.fetch(other, List.of("out:0"), Map.of(), new NullProgressMonitor()).get("out:0");
            Seen seen = trace(loaded, session, "x=" + otherNan, HealthMode.FULL);
            if (Double.isNaN(plain.getDouble(1))) {
                assertTrue(seen.agree(), "the fused Relu keeps the NaN here, as the traced run does");
                assertEquals(List.of(), seen.rewrites());
                assertEquals(2, seen.runs(), "the pass and the plain run for the comparison: " + seen.runs());
                return;
            }
            assertFalse(seen.agree());
            assertEquals(rewrites.size(), seen.rewrites().size(), seen.rewrites().toString());
            assertTrue(seen.rewrites().stream()
                    .anyMatch(t -> t.matches("_(MklNative)?FusedConv2D at relu fuses Conv2D\\+BiasAdd\\+Relu")),
                    seen.rewrites().toString());
            assertEquals(2, seen.runs(), "the pass and the plain run for the comparison; no run for the constants (read"
                    + " from the graph) nor for the rewrites: " + seen.runs());
        }
    }
}
