package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.service.RuntimeRewrite;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.core.trace.Trace;
import org.tensorscope.tensorflow.internal.TensorFlowBackend;
import org.tensorscope.tensorflow.internal.load.FrozenGraphLoader;
import org.tensorscope.tensorflow.internal.run.TfSession;

/**
 * MediaPipe's channel-padding shortcut, {@code relu6(conv1x1(x) + b + pad(x))}. In BlazePose heavy grappler fuses it
 * into one {@code _FusedConv2D} that reads the Pad as its residual, and TensorFlow 2.18's oneDNN pass then merges
 * that Pad into the convolution as if it padded the convolution's input, building a node that kills the process.
 * Tensorscope writes such a Pad as PadV2 with 0 in the graph it runs (this small graph is not fused that far, so it
 * shows the rewrite, not the crash): the model keeps its Pad, the run computes the known answer, its trace finds
 * nothing, and the rewrite is not reported as one of the user's runtime.
 */
class PaddedResidualTest {

    @TempDir
    static Path folder;

    private static final List<String> OUT = List.of("out:0");

    private static LoadedModel model() throws Exception {
        Path file = PlantedModels.write(folder, "padded-residual", tf -> {
            Operand<TFloat32> x = tf.withName("x").placeholder(TFloat32.class,
                    Placeholder.shape(org.tensorflow.ndarray.Shape.of(1, 2, 2, 2)));
            // identity on the two channels of x, zero into the two channels the padding adds
            Operand<TFloat32> w = tf.constant(new float[][][][] { { { { 1, 0, 0, 0 }, { 0, 1, 0, 0 } } } });
            Operand<TFloat32> conv = tf.nn.conv2d(x, w, List.of(1L, 1L, 1L, 1L), "VALID");
            Operand<TFloat32> biased = tf.nn.biasAdd(conv, tf.constant(new float[] { 0.5f, 0.5f, 0.5f, 0.5f }));
            Operand<TFloat32> padded = ((Graph) tf.scope().env()).opBuilder("Pad", "channel_padding", tf.scope())
                    .addInput(x.asOutput())
                    .addInput(tf.constant(new int[][] { { 0, 0 }, { 0, 0 }, { 0, 0 }, { 0, 2 } }).asOutput())
                    .build().output(0);
            Operand<TFloat32> sum = ((Graph) tf.scope().env()).opBuilder("AddV2", "residual", tf.scope())
                    .addInput(biased.asOutput()).addInput(padded.asOutput()).build().output(0);
            // an op after the activation, as in the models that have this shortcut: grappler fuses no fetched node
            tf.withName("out").math.square(tf.withName("block").nn.relu6(sum));
        });
        return new FrozenGraphLoader().load(file, new NullProgressMonitor());
    }

    @Test
    void aPaddedResidualIsRunWithPadV2AndComputesItsKnownAnswer() throws Exception {
        try (LoadedModel loaded = model();
                TfSession session = (TfSession) new TensorFlowBackend().open(loaded, Device.CPU)) {
            assertEquals("Pad", loaded.graph().op("channel_padding").orElseThrow().type(), "the model keeps its Pad");
            // pixel p, channel c: x = p + c / 4; out = relu6(2x + 0.5)^2 on the first two channels, 0.25 on the padded
            Map<String, TensorData> feeds = Map.of("x", TensorData.ofFloats("x", Shape.of(1, 2, 2, 2),
                    0f, 0.25f, 1f, 1.25f, 2f, 2.25f, 3f, 3.25f));
            float[] out = values(session.fetch(feeds, OUT, Map.of(), new NullProgressMonitor()).get("out:0"));
            assertArrayEquals(new float[] { 0.25f, 1f, 0.25f, 0.25f, 6.25f, 9f, 0.25f, 0.25f, 20.25f, 25f, 0.25f, 0.25f,
                    36f, 36f, 0.25f, 0.25f }, out);

            for (HealthMode mode : List.of(HealthMode.CURT, HealthMode.FULL)) {
                Trace trace = session.healthPass(feeds, OUT, mode, Map.of(), new NullProgressMonitor());
                assertTrue(trace.rows().stream().allMatch(r -> r.isFinite()), mode + ": nothing is flagged");
                assertTrue(trace.unchecked().isEmpty(), mode + ": " + trace.unchecked());
            }
            List<RuntimeRewrite> rewrites = session.runtimeRewrites(feeds, OUT, new NullProgressMonitor());
            assertTrue(rewrites.stream().noneMatch(r -> r.op().equals("channel_padding")), rewrites.toString());
        }
    }

    /**
     * A padded residual first in a TF1 cond branch: the Pad reads the Switch, and the zero its PadV2 takes waits on
     * the Switch; the branch not taken computes nothing and the one taken computes its answer.
     */
    @Test
    void aPaddedResidualInACondBranchRunsBothWays() throws Exception {
        Path file = PlantedModels.write(folder, "padded-residual-cond", tf -> {
            Graph graph = (Graph) tf.scope().env();
            Operand<TFloat32> x = tf.withName("x").placeholder(TFloat32.class,
                    Placeholder.shape(org.tensorflow.ndarray.Shape.of(2)));
            Operand<TBool> pred = tf.withName("pred").placeholder(TBool.class,
                    Placeholder.shape(org.tensorflow.ndarray.Shape.scalar()));
            var branch = graph.opBuilder("Switch", "switch", tf.scope()).addInput(x.asOutput())
                    .addInput(pred.asOutput()).build();
            Operand<TFloat32> padded = graph.opBuilder("Pad", "padded", tf.scope()).addInput(branch.output(1))
                    .addInput(tf.constant(new int[][] { { 0, 1 } }).asOutput()).build().output(0);
            Operand<TFloat32> doubled = graph.opBuilder("AddV2", "doubled", tf.scope()).addInput(padded.asOutput())
                    .addInput(padded.asOutput()).build().output(0);
            Operand<TFloat32> other = graph.opBuilder("Pad", "other", tf.scope()).addInput(branch.output(0))
                    .addInput(tf.constant(new int[][] { { 1, 0 } }).asOutput()).build().output(0);
            graph.opBuilder("Merge", "out", tf.scope()).addInputList(new org.tensorflow.Output<?>[] {
                    other.asOutput(), doubled.asOutput() }).build();
        });
        try (LoadedModel loaded = new FrozenGraphLoader().load(file, new NullProgressMonitor());
                TfSession session = (TfSession) new TensorFlowBackend().open(loaded, Device.CPU)) {
            TensorData x = TensorData.ofFloats("x", Shape.of(2), 1.5f, 2f);
            float[] taken = values(session.fetch(Map.of("x", x, "pred", predicate(true)),
                    OUT, Map.of(), new NullProgressMonitor()).get("out:0"));
            assertArrayEquals(new float[] { 3f, 4f, 0f }, taken, "the branch with the padded residual");
            float[] other = values(session.fetch(Map.of("x", x, "pred", predicate(false)),
                    OUT, Map.of(), new NullProgressMonitor()).get("out:0"));
            assertArrayEquals(new float[] { 0f, 1.5f, 2f }, other, "the other branch");
        }
    }

    private static TensorData predicate(boolean value) {
        return new TensorData("pred", DType.BOOL, Shape.of(), java.nio.ByteBuffer.wrap(new byte[] { (byte) (value ? 1 : 0) }));
    }

    private static float[] values(TensorData data) {
        float[] values = new float[(int) data.size()];
        data.bytes().asFloatBuffer().get(values);
        return values;
    }
}
