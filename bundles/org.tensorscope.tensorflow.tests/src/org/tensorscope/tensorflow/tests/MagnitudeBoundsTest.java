package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorscope.core.input.Npy;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.run.TraceOutcome;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.core.trace.TensorHealth;
import org.tensorscope.core.trace.Trace;
import org.tensorscope.tensorflow.internal.TensorFlowBackend;
import org.tensorscope.tensorflow.internal.load.FrozenGraphLoader;
import org.tensorscope.tensorflow.internal.load.TfjsGraphModelLoader;
import org.tensorscope.tensorflow.internal.run.TfSession;

/**
 * A CURT pass does not probe a tensor whose magnitude it bounds far inside float32's range from the fed values'
 * largest magnitude and the constants (sums, products, convolutions with constant weights, Relu6 and Sigmoid of
 * finite tensors): such a tensor cannot hold NaN or an infinity. Where a bound fails (an input too large, a clipped
 * tensor whose input a probe finds not finite), the tensors are probed as before, so origins are still found.
 */
class MagnitudeBoundsTest {

    @TempDir
    static Path folder;

    /** s = x * 1e30; p = pad(s); m = p + 1; out = relu6(m). */
    private static void scaled(Ops tf) {
        Operand<TFloat32> s = tf.withName("s").math.mul(PlantedModels.x(tf), tf.constant(1e30f));
        Operand<TFloat32> p = tf.withName("p").pad(s, tf.constant(new int[][] { { 1, 1 } }), tf.constant(0f));
        Operand<TFloat32> m = tf.withName("m").math.add(p, tf.constant(1f));
        tf.withName("out").nn.relu6(m);
    }

    @Test
    void boundedTensorsAreFiniteWithoutProbes() throws Exception {
        CurtRuns run = CurtRuns.trace(folder, "bounded", MagnitudeBoundsTest::scaled, new long[] { 4 }, 1f, -2f, 3f, 0f);
        assertTrue(run.report().finite());
        assertTrue(run.trace().isComplete(), run.trace().unchecked().toString());
        assertEquals(List.of(), run.probed(), "every tensor is bounded");
        assertEquals("fed: every fed value is finite (the largest 3.00 in magnitude)", run.trace().notProbed().get("x:0"));
        Map<String, String> how = run.trace().notProbed();
        assertEquals("finite: no value is larger than 3.00e+30 in magnitude, a bound from the fed values' largest"
                + " and the weights", how.get("s:0"));
        assertTrue(how.get("m:0").startsWith("finite: no value is larger than 3.00e+30"), how.toString());
        assertTrue(how.get("out:0").startsWith("finite: no value is larger than 6.00 "), how.toString());
        for (String tensor : List.of("s:0", "p:0", "m:0", "out:0")) {
            assertTrue(run.trace().row(tensor).orElseThrow().isFinite(), tensor);
        }
    }

    /** s = x * 1e30; mean = mean(s): float32 sums before it divides, so a mean of large values may overflow. */
    private static void meanOfLarge(Ops tf) {
        Operand<TFloat32> s = tf.withName("s").math.mul(PlantedModels.x(tf), tf.constant(1e30f));
        tf.withName("mean").math.mean(s, tf.constant(0));
    }

    @Test
    void aMeanOfValuesTooLargeToSumIsProbed() throws Exception {
        CurtRuns run = CurtRuns.trace(folder, "mean_of_large", MagnitudeBoundsTest::meanOfLarge, new long[] { 4 }, 1f,
                -2f, 3f, 0f);
        assertTrue(run.report().finite());
        assertEquals(List.of("mean:0"), run.probed());
        assertTrue(run.trace().notProbed().get("s:0").startsWith("finite: no value is larger than 3.00e+30"));
    }

    @Test
    void anInputPastTheBoundIsTracedToItsOriginByProbes() throws Exception {
        // 1e9 * 1e30 overflows: the bound fails, the follow-up probes, and the Inf is traced to s
        CurtRuns run = CurtRuns.trace(folder, "unbounded", MagnitudeBoundsTest::scaled, new long[] { 4 }, 1f, 1e9f, 3f,
                0f);
        assertFalse(run.report().finite());
        assertEquals("s", run.report().origin().op());
        assertEquals(1, run.trace().row("s:0").orElseThrow().posInfCount());
        assertTrue(run.probed().contains("s:0"), run.probed().toString());
        assertFalse(run.trace().notProbed().containsKey("s:0"));
    }

    /** y = log(x); r = relu6(y); out = r + 1: r is bounded by 6 only when y is finite. */
    private static void clippedLog(Ops tf) {
        Operand<TFloat32> y = tf.withName("y").math.log(PlantedModels.x(tf));
        Operand<TFloat32> r = tf.withName("r").nn.relu6(y);
        tf.withName("out").math.add(r, tf.constant(1f));
    }

    @Test
    void aClippedTensorIsBoundedOnlyWhenItsInputIsFinite() throws Exception {
        CurtRuns healthy = CurtRuns.trace(folder, "clipped_log_ok", MagnitudeBoundsTest::clippedLog, new long[] { 4 },
                1f, 2f, 3f, 4f);
        assertTrue(healthy.report().finite());
        assertTrue(healthy.probed().contains("y:0"), "log has no bound: " + healthy.probed());
        assertEquals(List.of("y:0"), healthy.probed());
        assertTrue(healthy.trace().notProbed().get("out:0").startsWith("finite: no value is larger than 7.00"));

        CurtRuns sick = CurtRuns.trace(folder, "clipped_log_nan", MagnitudeBoundsTest::clippedLog, new long[] { 4 },
                1f, -1f, 3f, 4f);
        assertFalse(sick.report().finite());
        assertEquals("y", sick.report().origin().op());
        assertEquals(1, sick.trace().row("y:0").orElseThrow().nanCount());
        for (String tensor : List.of("r:0", "out:0")) {
            assertFalse(sick.trace().notProbed().getOrDefault(tensor, "").startsWith("finite: no value"),
                    tensor + " rests on y, which holds NaN: " + sick.trace().notProbed());
            assertTrue(sick.probed().contains(tensor), sick.probed().toString());
        }
    }

    /**
     * Passes on one session reuse the bounds a pass evaluated only while every fact they rest on is the same: here
     * the fed values' largest magnitude (4) stays, and whether y is finite changes from pass to pass.
     */
    @Test
    void aClippedTensorFollowsItsInputFromPassToPassOnOneSession() throws Exception {
        Path file = PlantedModels.write(folder, "clipped_log_passes", MagnitudeBoundsTest::clippedLog);
        try (LoadedModel loaded = new FrozenGraphLoader().load(file, new NullProgressMonitor());
                TfSession session = (TfSession) new TensorFlowBackend().open(loaded, Device.CPU)) {
            for (float second : new float[] { 2f, -1f, 2f, -1f }) {
                Path x = folder.resolve("clipped_log_passes_" + System.nanoTime() + ".npy");
                Npy.write(TensorData.ofFloats("x", Shape.of(4), 1f, second, 3f, 4f), x);
                TraceOutcome outcome = Tracing.trace(loaded, session, List.of("x=" + x), HealthMode.CURT);
                String r = outcome.trace().notProbed().getOrDefault("r:0", "");
                if (second > 0) {
                    assertTrue(outcome.report().finite());
                    assertTrue(r.startsWith("finite: no value is larger than 6.00"), r);
                } else {
                    assertEquals("y", outcome.report().origin().op());
                    assertFalse(r.startsWith("finite: no value"), "r rests on y, which holds NaN: " + r);
                    assertTrue(session.lastPassProbed().contains("r:0"), session.lastPassProbed().toString());
                }
            }
        }
    }

    /** f = cast(xi) to float; s = f * 1e30; out = s + 1, for integer pixels (MoveNet's input is int32). */
    private static void scaledIntegers(Ops tf) {
        Operand<TInt32> xi = tf.withName("x").placeholder(TInt32.class);
        Operand<TFloat32> f = tf.withName("f").dtypes.cast(xi, TFloat32.class);
        Operand<TFloat32> s = tf.withName("s").math.mul(f, tf.constant(1e30f));
        tf.withName("out").math.add(s, tf.constant(1f));
    }

    /** An int32 input is bounded by its largest magnitude, a negative value's as much as a positive one's. */
    @Test
    void anIntegerInputIsBoundedByItsLargestMagnitudeOfEitherSign() throws Exception {
        Path file = PlantedModels.write(folder, "scaled_integers", MagnitudeBoundsTest::scaledIntegers);
        try (LoadedModel loaded = new FrozenGraphLoader().load(file, new NullProgressMonitor());
                TfSession session = (TfSession) new TensorFlowBackend().open(loaded, Device.CPU)) {
            TraceOutcome small = Tracing.trace(loaded, session, List.of("x=ramp*-255@64"), HealthMode.CURT);
            assertTrue(small.report().finite());
            assertEquals(List.of(), session.lastPassProbed());
            assertTrue(small.trace().notProbed().get("s:0").startsWith("finite: no value is larger than 2.5"),
                    small.trace().notProbed().toString());

            // -2e9 * 1e30 overflows to -Inf: only the negative values' magnitude says the bound fails
            TraceOutcome large = Tracing.trace(loaded, session, List.of("x=ramp*-2e9@64"), HealthMode.CURT);
            assertFalse(large.report().finite());
            assertEquals("s", large.report().origin().op());
            TensorHealth s = large.trace().row("s:0").orElseThrow();
            assertTrue(s.negInfCount() > 0, s.toString());
            assertEquals(0, s.posInfCount(), s.toString());
        }
    }

    /**
     * g = sigmoid(x) * 1e10; d = x - x; a = d * g; b = a * g; c = b * g; out = c * g + 1. Bounded from the input
     * alone, out could reach 8e40; the pass measures the largest magnitudes of a, b and c (all 0) and bounds what
     * follows each from it. (g is computed, so grappler cannot fold the factors into one that overflows.)
     */
    private static void cancelling(Ops tf) {
        Operand<TFloat32> x = PlantedModels.x(tf);
        Operand<TFloat32> g = tf.withName("g").math.mul(tf.math.sigmoid(x), tf.constant(1e10f));
        Operand<TFloat32> d = tf.withName("d").math.sub(x, x);
        Operand<TFloat32> a = tf.withName("a").math.mul(d, g);
        Operand<TFloat32> b = tf.withName("b").math.mul(a, g);
        Operand<TFloat32> c = tf.withName("c").math.mul(b, g);
        tf.withName("out").math.add(tf.withName("e").math.mul(c, g), tf.constant(1f));
    }

    @Test
    void aMeasuredMagnitudeSeatsTheBoundsAfterIt() throws Exception {
        CurtRuns run = CurtRuns.trace(folder, "cancelling", MagnitudeBoundsTest::cancelling, new long[] { 4 }, 1f, 2f,
                3f, 4f);
        assertTrue(run.report().finite());
        assertEquals(List.of(), run.probed(), "the bounds hold from a's measured magnitude");
        assertTrue(run.trace().notProbed().get("b:0").startsWith("finite: no value is larger than 0.00 "),
                run.trace().notProbed().toString());
        assertTrue(run.trace().notProbed().get("out:0").startsWith("finite: no value is larger than 1.00 "),
                run.trace().notProbed().toString());
    }

    /** out = bn(x) * 1, a FusedBatchNormV3 for inference with scale 1, offset 0, mean 0 and variance 1. */
    private static void inferenceBatchNorm(Ops tf) {
        Operand<TFloat32> ones = tf.constant(new float[] { 1f, 1f });
        Operand<TFloat32> zeros = tf.constant(new float[] { 0f, 0f });
        tf.withName("out").math.mul(tf.withName("bn").nn.fusedBatchNorm(PlantedModels.x(tf), ones, zeros, zeros, ones,
                FusedBatchNorm.isTraining(false)).y(), tf.constant(1f));
    }

    /**
     * A batch norm is bounded from its moving statistics only for inference: without an is_training attribute
     * (SavedModels written with default attributes stripped) it trains, normalising by the batch's own statistics.
     */
    @Test
    void aBatchNormWithoutIsTrainingIsNotBoundedByItsMovingStatistics() throws Exception {
        Path file = PlantedModels.write(folder, "bn_inference", MagnitudeBoundsTest::inferenceBatchNorm);
        long[] shape = { 1, 2, 2, 2 };
        float[] x = { 1, 2, 3, 4, 5, 6, 7, 8 };
        CurtRuns inference = CurtRuns.trace(folder, file, shape, x);
        assertTrue(inference.trace().notProbed().getOrDefault("bn:0", "").startsWith("finite: no value is larger"),
                inference.trace().notProbed().toString());

        GraphDef.Builder graph = GraphDef.parseFrom(Files.readAllBytes(file)).toBuilder();
        graph.getNodeBuilderList().stream().filter(n -> n.getName().equals("bn")).forEach(n -> n.removeAttr("is_training"));
        Path stripped = folder.resolve("bn_default_attributes.pb");
        Files.write(stripped, graph.build().toByteArray());
        CurtRuns training = CurtRuns.trace(folder, stripped, shape, x);
        assertFalse(training.trace().notProbed().getOrDefault("bn:0", "").startsWith("finite: no value is larger"),
                training.trace().notProbed().toString());
        assertTrue(training.trace().row("bn:0").orElseThrow().isFinite());
    }

    /** FusedBatchNormV2 normalises as V3 does (it lacks only V3's sixth output): its inference output is bounded too. */
    @Test
    void aFusedBatchNormV2ForInferenceIsBoundedAsV3Is() throws Exception {
        Path file = PlantedModels.write(folder, "bn_inference_v3", MagnitudeBoundsTest::inferenceBatchNorm);
        GraphDef.Builder graph = GraphDef.parseFrom(Files.readAllBytes(file)).toBuilder();
        graph.getNodeBuilderList().stream().filter(n -> n.getName().equals("bn")).forEach(n -> n.setOp("FusedBatchNormV2"));
        Path v2 = folder.resolve("bn_inference_v2.pb");
        Files.write(v2, graph.build().toByteArray());
        CurtRuns run = CurtRuns.trace(folder, v2, new long[] { 1, 2, 2, 2 }, 1, 2, 3, 4, 5, 6, 7, 8);
        assertTrue(run.trace().notProbed().getOrDefault("bn:0", "").startsWith("finite: no value is larger"),
                run.trace().notProbed().toString());
    }

    @Test
    void aHealthyRealModelIsCheckedWithFewProbesAndItsRowsMatchAProbedPass() throws Exception {
        Path model = TestModels.get("tfjs/handskeleton/handskeleton.json");
        try (LoadedModel loaded = new TfjsGraphModelLoader().load(model, new NullProgressMonitor());
                TfSession session = (TfSession) new TensorFlowBackend().open(loaded, Device.CPU)) {
            var signature = loaded.graph().defaultSignature().orElseThrow();
            Map<String, TensorData> feeds = PreparedInputs.prepare(signature, List.of("input_1=ramp")).feeds();
            List<String> outputs = signature.outputs().stream().map(o -> o.tensor().name()).toList();
            Trace bounded = session.healthPass(feeds, outputs, HealthMode.CURT, Map.of(), null);
            List<String> probed = session.lastPassProbed();
            List<String> measured = session.lastPassMeasured();
            session.probeEveryTensorEachRun(true);
            Trace every = session.healthPass(feeds, outputs, HealthMode.CURT, Map.of(), null);
            assertTrue(bounded.isComplete(), bounded.unchecked().toString());
            assertTrue(bounded.rows().stream().allMatch(TensorHealth::isFinite));
            assertTrue(every.rows().stream().allMatch(TensorHealth::isFinite));
            assertEquals(every.rows().size(), bounded.rows().size());
            long byBound = bounded.notProbed().values().stream().filter(r -> r.startsWith("finite: no value")).count();
            assertTrue(byBound > 200, byBound + " of " + bounded.rows().size() + " bounded; probed " + probed);
            assertTrue(probed.size() < 10, "probed " + probed);
            // no probe, and only Relu outputs and a reshape measured: the pass's outputs are a plain run's
            assertTrue(probed.isEmpty() && bounded.outputsAsPlainRun(), "probed " + probed);
            assertTrue(!measured.isEmpty() && measured.stream().allMatch(t -> loaded.graph()
                    .op(t.substring(0, t.lastIndexOf(':'))).orElseThrow().type().matches("Relu|Reshape")), measured.toString());
            assertFalse(every.outputsAsPlainRun(), "a pass probing every tensor runs unfused");

            // fed 1e38, most bounds fail before the run: the pass watches the tensors itself, as without bounds
            Map<String, TensorData> flood = PreparedInputs.prepare(signature, List.of("input_1=ramp*1e38")).feeds();
            Trace floodedEvery = session.healthPass(flood, outputs, HealthMode.CURT, Map.of(), null);
            session.probeEveryTensorEachRun(false);
            Trace flooded = session.healthPass(flood, outputs, HealthMode.CURT, Map.of(), null);
            List<String> floodProbed = session.lastPassProbed();
            assertTrue(floodProbed.size() > 50 && session.lastPassMeasured().isEmpty(),
                    floodProbed.size() + " probed, measured " + session.lastPassMeasured());
            assertTrue(flooded.notProbed().values().stream().noneMatch(r -> r.startsWith("finite: no value")));
            assertEquals(floodedEvery.rows().stream().filter(r -> !r.isFinite()).map(TensorHealth::tensor).toList(),
                    flooded.rows().stream().filter(r -> !r.isFinite()).map(TensorHealth::tensor).toList());
        }
    }
}
