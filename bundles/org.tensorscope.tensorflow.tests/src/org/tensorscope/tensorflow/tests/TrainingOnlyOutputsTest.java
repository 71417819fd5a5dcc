package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;
import org.tensorscope.core.input.Npy;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.report.CoverageText;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.core.trace.Trace;
import org.tensorscope.core.trace.UncheckedTensor;
import org.tensorscope.tensorflow.internal.TensorFlowBackend;
import org.tensorscope.tensorflow.internal.keras.TfjsLayersModelLoader;
import org.tensorscope.tensorflow.internal.load.FrozenGraphLoader;
import org.tensorscope.tensorflow.internal.run.TfSession;
import org.tensorscope.tensorflow.tests.keras.KerasFiles;

/**
 * A FusedBatchNorm run for inference leaves its reserve spaces undefined: with oneDNN they hold whatever memory they
 * were given, NaN at times. The trace leaves those no op reads out of the check and says so, instead of reporting NaN
 * in a healthy model; one an op reads is checked, and so are the batch statistics (copies of the moving ones).
 */
class TrainingOnlyOutputsTest {

    @TempDir
    static Path folder;

    private static final String REASON = "a reserve space of FusedBatchNormV3, which it fills only in training: its"
            + " values are undefined in inference; no op of this run reads it";

    /** out = bn(x) * 1, and read = reserve_space_1 + 1 when asked: x is [1, 2, 2, 2]. */
    private static void batchNorm(Ops tf, boolean readReserve) {
        Operand<TFloat32> x = PlantedModels.x(tf);
        Operand<TFloat32> ones = tf.constant(new float[] { 1f, 1f });
        Operand<TFloat32> zeros = tf.constant(new float[] { 0f, 0f });
        FusedBatchNorm<TFloat32, TFloat32> bn = tf.withName("bn").nn.fusedBatchNorm(x, ones, zeros, zeros, ones,
                FusedBatchNorm.isTraining(false));
        tf.withName("out").math.mul(bn.y(), tf.constant(1f));
        if (readReserve) {
            tf.withName("read").math.add(bn.reserveSpace1(), tf.constant(1f));
        }
    }

    private static NanReport trace(String name, boolean readReserve, HealthMode mode) throws Exception {
        Path model = PlantedModels.write(folder, name, tf -> batchNorm(tf, readReserve));
        Path x = folder.resolve(name + "-x.npy");
        Npy.write(TensorData.ofFloats("x", Shape.of(1, 2, 2, 2), 1, 2, 3, 4, 5, 6, 7, 8), x);
        try (LoadedModel loaded = new FrozenGraphLoader().load(model, new NullProgressMonitor());
                InferenceSession session = new TensorFlowBackend().open(loaded, Device.CPU)) {
            return Tracing.trace(loaded, session, List.of("x=" + x), mode).report();
        }
    }

    private static Set<String> rows(NanReport report) {
        return report.ops().stream().map(NanReport.OpHealth::tensor).collect(Collectors.toSet());
    }

    private static Set<String> unchecked(NanReport report, String reason) {
        return report.unchecked().stream().filter(u -> u.reason().equals(reason)).map(NanReport.Unchecked::tensor)
                .collect(Collectors.toSet());
    }

    @Test
    void unreadReserveSpacesAreLeftOutAndSaidSo() throws Exception {
        for (HealthMode mode : List.of(HealthMode.CURT, HealthMode.FULL)) {
            NanReport report = trace("bn_" + mode, false, mode);
            assertTrue(report.finite(), mode + ": " + CoverageText.verdict(report));
            assertTrue(rows(report).containsAll(List.of("bn:0", "bn:1", "bn:2")), mode
                    + ": y and the batch statistics are checked: " + rows(report));
            assertEquals(Set.of("bn:3", "bn:4", "bn:5"), unchecked(report, REASON), mode + ": " + report.unchecked());
            assertFalse(rows(report).stream().anyMatch(t -> t.matches("bn:[345]")), rows(report).toString());
            assertFalse(report.allClear(), "a tensor left out is no all-clear");
            assertTrue(CoverageText.verdict(report).contains("3 not checked: bn:3, bn:4, bn:5 (" + REASON + ")"),
                    CoverageText.verdict(report));
        }
    }

    @Test
    void aReserveSpaceAnOpReadsIsChecked() throws Exception {
        NanReport report = trace("bn_read", true, HealthMode.FULL);
        assertTrue(rows(report).contains("bn:3"), "reserve_space_1 feeds read: " + report.unchecked());
        assertEquals(Set.of("bn:4", "bn:5"), unchecked(report, REASON));
    }

    /** The graph also has read = reserve_space_1 + 1: a run of out alone does not read it. */
    @Test
    void aReserveSpaceIsCheckedInARunThatReadsOrFetchesItOnly() throws Exception {
        Path model = PlantedModels.write(folder, "bn_runs", tf -> batchNorm(tf, true));
        Path x = folder.resolve("bn_runs-x.npy");
        Npy.write(TensorData.ofFloats("x", Shape.of(1, 2, 2, 2), 1, 2, 3, 4, 5, 6, 7, 8), x);
        try (LoadedModel loaded = new FrozenGraphLoader().load(model, new NullProgressMonitor());
                TfSession session = (TfSession) new TensorFlowBackend().open(loaded, Device.CPU)) {
            var signature = loaded.graph().defaultSignature().orElseThrow();
            var feeds = PreparedInputs.prepare(signature, List.of("x=" + x)).feeds();
            Trace outOnly = session.healthPass(feeds, List.of("out"), HealthMode.FULL, Map.of(), null);
            assertTrue(outOnly.row("bn:3").isEmpty());
            assertEquals(List.of("bn:3", "bn:4", "bn:5"), tensors(outOnly.unchecked()));
            Trace fetched = session.healthPass(feeds, List.of("out:0", "bn:3"), HealthMode.FULL, Map.of(), null);
            assertTrue(fetched.row("bn:3").isPresent(), "fetched, so checked: " + fetched.unchecked());
            assertEquals(List.of("bn:4", "bn:5"), tensors(fetched.unchecked()));
            Trace read = session.healthPass(feeds, List.of("read"), HealthMode.FULL, Map.of(), null);
            assertTrue(read.row("bn:3").isPresent(), "read by read, so checked: " + read.unchecked());
        }
    }

    /**
     * A batch norm left in training mode with no epsilon, fed a frame whose channel 0 is one value (3) everywhere:
     * TensorFlow normalises that channel by its own variance, 0, and makes NaN; the trace says why and how to fix it.
     */
    @Test
    void aTrainingModeBatchNormOfAConstantChannelIsAZeroBatchVariance() throws Exception {
        Path model = PlantedModels.write(folder, "bn_training", tf -> {
            Operand<TFloat32> ones = tf.constant(new float[] { 1f, 1f });
            Operand<TFloat32> zeros = tf.constant(new float[] { 0f, 0f });
            FusedBatchNorm<TFloat32, TFloat32> bn = tf.withName("bn").nn.fusedBatchNorm(PlantedModels.x(tf), ones, zeros,
                    zeros, ones, FusedBatchNorm.isTraining(true), FusedBatchNorm.epsilon(0f));
            tf.withName("out").math.mul(bn.y(), tf.constant(1f));
        });
        Path x = folder.resolve("bn_training-x.npy");
        Npy.write(TensorData.ofFloats("x", Shape.of(1, 2, 2, 2), 3, 1, 3, 2, 3, 5, 3, 7), x);
        try (LoadedModel loaded = new FrozenGraphLoader().load(model, new NullProgressMonitor());
                InferenceSession session = new TensorFlowBackend().open(loaded, Device.CPU)) {
            NanReport report = Tracing.trace(loaded, session, List.of("x=" + x), HealthMode.CURT).report();
            assertFalse(report.finite());
            assertEquals("bn", report.origin().op());
            assertEquals("zero-batch-variance", report.origin().cause().rule(), report.origin().cause().description());
            assertTrue(report.origin().cause().description().endsWith("1 channel(s) hold one value across the batch"
                    + " (variance 0) while epsilon is 0.0"), report.origin().cause().description());
            NanReport.Value value = report.origin().cause().offendingValues().get(0);
            assertEquals(3.0, value.value());
        }
    }

    private static List<String> tensors(List<UncheckedTensor> unchecked) {
        return unchecked.stream().map(UncheckedTensor::tensor).toList();
    }

    /**
     * MobileNetV2 as TF.js layers has 52 batch norms: their 156 reserve spaces were checked before, and held NaN in
     * some runs of a healthy input (uninitialised memory), which the trace reported as the origin.
     */
    @Test
    void aHealthyKerasMobilenetIsFiniteInEveryTrace() throws Exception {
        try (LoadedModel model = new TfjsLayersModelLoader().load(KerasFiles.model("tfjs-layers/mobilenet_v2/model.json"),
                new NullProgressMonitor()); InferenceSession session = new TensorFlowBackend().open(model, Device.CPU)) {
            for (int i = 0; i < 3; i++) {
                for (HealthMode mode : List.of(HealthMode.CURT, HealthMode.FULL)) {
                    NanReport report = Tracing.trace(model, session, List.of("normal:0:1:" + i), mode).report();
                    assertTrue(report.finite(), mode + ", seed " + i + ": " + CoverageText.verdict(report));
                    assertNull(report.origin());
                    Set<String> left = unchecked(report, REASON);
                    assertEquals(156, left.size(), report.unchecked().size() + " unchecked");
                    assertTrue(left.contains("block_8_project_BN/FusedBatchNormV3:4"), left.toString());
                    assertEquals(left.size(), report.unchecked().size(), "nothing else is left out: " + report.unchecked());
                }
            }
        }
    }

    /**
     * A plain run fuses a Keras convolution with its batch norm into one kernel with one output; fetching the batch
     * norm's statistics or a reserve space failed with TensorFlow's "does not have output 1". They are fetched as the
     * graph is written instead: the statistics are the moving ones, as in inference.
     */
    @Test
    void aBatchNormsOtherOutputsAreFetchedThoughAPlainRunFusesItAway() throws Exception {
        try (LoadedModel loaded = new org.tensorscope.tensorflow.internal.keras.KerasH5Loader()
                .load(KerasFiles.model("keras/mobilenet_v2.h5"), new NullProgressMonitor());
                InferenceSession session = new TensorFlowBackend().open(loaded, Device.CPU)) {
            var signature = loaded.graph().defaultSignature().orElseThrow();
            Map<String, TensorData> feeds = PreparedInputs.prepare(signature, List.of("input_1=ramp@1x224x224x3"))
                    .feeds();
            String bn = "bn_Conv1/FusedBatchNormV3";
            Map<String, TensorData> fetched = session.fetch(feeds, List.of(bn + ":1", bn + ":3", bn + ":0"), Map.of(),
                    new NullProgressMonitor());
            assertEquals(List.of(bn + ":1", bn + ":3", bn + ":0"), List.copyOf(fetched.keySet()));
            int runs = ((TfSession) session).runs();
            session.fetch(feeds, List.of(bn + ":1", bn + ":3", bn + ":0"), Map.of(), new NullProgressMonitor());
            assertEquals(runs + 1, ((TfSession) session).runs(),
                    "the same fetch again goes to the graph as written at once, without the optimised run that fails");
            String mean = loaded.graph().op(bn).orElseThrow().inputs().get(3);
            TensorData moving = session.fetch(feeds, List.of(mean), Map.of(), new NullProgressMonitor()).values()
                    .iterator().next();
            TensorData batchMean = fetched.get(bn + ":1");
            assertEquals(moving.size(), batchMean.size());
            for (long i = 0; i < moving.size(); i++) {
                assertEquals(moving.getDouble(i), batchMean.getDouble(i), "channel " + i);
            }
        }
    }
}
