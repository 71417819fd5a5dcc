package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorscope.core.input.Npy;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.report.NanReport;
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
import org.tensorscope.tensorflow.internal.run.TfSession;

/**
 * The CURT pass watches a Conv2D → BiasAdd → Relu6 chain at its end so that grappler still fuses it, and
 * must still find an infinity that the Relu6 clips to 6 inside the chain.
 */
class FusedChainTraceTest {

    @TempDir
    static Path folder;

    /** out = relu6(conv2d(x, four taps of 1e19) + 0.5) on x [1,2,2,1]: the sum passes float32's range when x >= 8.5. */
    private static void chain(Ops tf) {
        Operand<TFloat32> x = tf.withName("x").placeholder(TFloat32.class);
        Operand<TFloat32> filter = tf.withName("filter").constant(new float[][][][] {
                { { { 1e19f } }, { { 1e19f } } }, { { { 1e19f } }, { { 1e19f } } } });
        Operand<TFloat32> conv = tf.withName("conv").nn.conv2d(x, filter, List.of(1L, 1L, 1L, 1L), "VALID");
        Operand<TFloat32> bias = tf.withName("bias").nn.biasAdd(conv, tf.constant(new float[] { 0.5f }));
        tf.withName("out").nn.relu6(bias);
    }

    private static TraceOutcome trace(float value) throws Exception {
        Path model = PlantedModels.write(folder, "chain", FusedChainTraceTest::chain);
        Path x = folder.resolve("x-" + System.nanoTime() + ".npy");
        Npy.write(TensorData.ofFloats("x", Shape.of(1, 2, 2, 1), value, value, value, value), x);
        try (LoadedModel loaded = new FrozenGraphLoader().load(model, new NullProgressMonitor());
                TfSession session = (TfSession) new TensorFlowBackend().open(loaded, Device.CPU)) {
            session.measureOpTimings(true);
            return Tracing.trace(loaded, session, List.of("x=" + x), HealthMode.CURT);
        }
    }

    @Test
    void infinityClippedByRelu6InsideAFusedChainIsFound() throws Exception {
        TraceOutcome outcome = trace(1e19f);
        NanReport report = outcome.report();
        assertFalse(report.finite(), "4e38 overflows inside the chain although relu6 makes the output 6");
        assertEquals("conv", report.origin().op());
        Trace trace = outcome.trace();
        assertEquals(1, trace.row("conv:0").orElseThrow().posInfCount());
        assertEquals(1, trace.row("bias:0").orElseThrow().posInfCount());
        assertTrue(trace.row("out:0").orElseThrow().isFinite(), "relu6 clips inf to 6");
    }

    @Test
    void healthyChainIsCheckedWholeAndRunsFused() throws Exception {
        Trace trace = trace(1f).trace();
        for (String tensor : List.of("x:0", "conv:0", "bias:0", "out:0")) {
            TensorHealth row = trace.row(tensor).orElseThrow(() -> new AssertionError(tensor + " has no row"));
            assertTrue(row.isFinite(), tensor);
        }
        assertTrue(trace.unchecked().isEmpty(), trace.unchecked().toString());
        // the chain ran as one kernel named after its last op: the convolution has no time of its own
        assertEquals(-1, trace.row("conv:0").orElseThrow().micros(), "conv fused with bias and relu6");
        assertTrue(trace.row("out:0").orElseThrow().micros() >= 0);
    }

    @Test
    void chainWhoseBoundFailsIsWatchedInsideAndFoundFinite() throws Exception {
        // 1e18 * 4e19 = 4e37 is past the bound's safety margin but finite: the targeted pass says so
        Trace trace = trace(1e18f).trace();
        assertTrue(trace.rows().stream().allMatch(TensorHealth::isFinite), trace.rows().toString());
        assertTrue(trace.row("conv:0").isPresent());
        assertTrue(trace.row("bias:0").isPresent());
    }

    @Test
    void fullModeStillWatchesEveryTensor() throws Exception {
        Path model = PlantedModels.write(folder, "chain", FusedChainTraceTest::chain);
        try (LoadedModel loaded = new FrozenGraphLoader().load(model, new NullProgressMonitor());
                TfSession session = (TfSession) new TensorFlowBackend().open(loaded, Device.CPU)) {
            PreparedInputs inputs = PreparedInputs.prepare(loaded.graph().defaultSignature().orElseThrow(),
                    List.of("x=const:1e19@1x2x2x1"));
            Trace trace = session.healthPass(inputs.feeds(), List.of("out:0"), HealthMode.FULL, Map.of(),
                    new NullProgressMonitor());
            TensorHealth conv = trace.row("conv:0").orElseThrow();
            assertEquals(1, conv.posInfCount());
            assertEquals(4, trace.row("x:0").orElseThrow().elements());
            assertEquals(1e19, trace.row("x:0").orElseThrow().mean(), 1e13);
            assertEquals(6.0, trace.row("out:0").orElseThrow().max());
        }
    }
}
