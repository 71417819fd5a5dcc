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
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.run.NanTracer;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.core.trace.Trace;
import org.tensorscope.core.trace.UncheckedTensor;
import org.tensorscope.tensorflow.internal.TensorFlowBackend;
import org.tensorscope.tensorflow.internal.load.FrozenGraphLoader;
import org.tensorscope.tensorflow.internal.run.TfSession;

/**
 * A padded max pooling as ONNX converters write it in TensorFlow (nanodet, converted from PyTorch through ONNX):
 * PadV2 with -inf, a Transpose, then a VALID MaxPool. The -inf and the border holding it are there by design: a
 * healthy input is not traced to "weights that already hold infinity", and what the pooling reads is still checked
 * where it comes from. A pad value edited in the Inspector makes them ordinary tensors again.
 */
class PaddedMaxPoolTest {

    @TempDir
    static Path folder;

    private static final List<String> DESIGNED = List.of("pad_value:0", "padded:0", "nchw:0");

    private static Path model() throws Exception {
        return PlantedModels.write(folder, "padded-pool", tf -> {
            Operand<TFloat32> x = tf.withName("x").placeholder(TFloat32.class,
                    Placeholder.shape(org.tensorflow.ndarray.Shape.of(1, 4, 4, 1)));
            Operand<TFloat32> act = tf.withName("act").math.mul(x, tf.constant(2f));
            Graph graph = (Graph) tf.scope().env();
            Operand<TFloat32> padded = graph.opBuilder("PadV2", "padded", tf.scope())
                    .addInput(act.asOutput())
                    .addInput(tf.withName("paddings").constant(new int[][] { { 0, 0 }, { 1, 1 }, { 1, 1 }, { 0, 0 } })
                            .asOutput())
                    .addInput(tf.withName("pad_value").constant(Float.NEGATIVE_INFINITY).asOutput())
                    .build().output(0);
            // the converter's layout round trip: to NCHW and back
            Operand<TFloat32> nchw = tf.withName("nchw").linalg.transpose(padded, tf.constant(new int[] { 0, 3, 1, 2 }));
            Operand<TFloat32> nhwc = tf.withName("nhwc").linalg.transpose(nchw, tf.constant(new int[] { 0, 2, 3, 1 }));
            tf.withName("pooled").nn.maxPool(nhwc, tf.constant(new int[] { 1, 3, 3, 1 }),
                    tf.constant(new int[] { 1, 1, 1, 1 }), "VALID");
        });
    }

    @Test
    void theMinusInfinityBorderOfAPaddedMaxPoolIsByDesignAndWhatThePoolingReadsIsStillChecked() throws Exception {
        try (LoadedModel loaded = new FrozenGraphLoader().load(model(), new NullProgressMonitor());
                TfSession session = (TfSession) new TensorFlowBackend().open(loaded, Device.CPU)) {
            List<String> outputs = List.of("pooled:0");
            for (HealthMode mode : List.of(HealthMode.CURT, HealthMode.FULL)) {
                Trace healthy = session.healthPass(Map.of("x", ramp(1f)), outputs, mode, Map.of(),
                        new NullProgressMonitor());
                for (String tensor : DESIGNED) {
                    assertTrue(reason(healthy, tensor).contains("by design"), mode + " " + tensor + ": "
                            + healthy.unchecked());
                    assertTrue(healthy.row(tensor).isEmpty(), mode + ": " + tensor + " is left out");
                }
                assertTrue(reason(healthy, "pad_value:0").contains("pads the input of MaxPoolV2 pooled"), reason(healthy, "pad_value:0"));
                assertTrue(healthy.row("act:0").orElseThrow().isFinite(), mode + ": the padded input is checked");
                assertTrue(healthy.row("pooled:0").orElseThrow().isFinite(), mode + ": the pooling is checked");
                assertTrue(healthy.rows().stream().allMatch(r -> r.isFinite()), mode + ": nothing is flagged");

                Trace nan = session.healthPass(Map.of("x", ramp(Float.NaN)), outputs, mode, Map.of(),
                        new NullProgressMonitor());
                assertFalse(nan.row("act:0").orElseThrow().isFinite(), mode + ": NaN before the padding is found");
                // (TensorFlow's MaxPool starts each window's max at the lowest float, which a NaN never beats)

                Trace edited = session.healthPass(Map.of("x", ramp(1f)), outputs, mode,
                        Map.of("pad_value:0", TensorData.ofFloats("pad_value:0", Shape.of(), 0f)),
                        new NullProgressMonitor());
                for (String tensor : DESIGNED) {
                    assertEquals("", reason(edited, tensor), mode + ": " + tensor + " no longer by design");
                    assertTrue(edited.row(tensor).orElseThrow().isFinite(), mode + ": " + tensor + " is checked");
                }
                // +inf is still an infinity, but no longer one that never wins a max: checked, and found
                Trace plusInfinity = session.healthPass(Map.of("x", ramp(1f)), outputs, mode,
                        Map.of("pad_value:0", TensorData.ofFloats("pad_value:0", Shape.of(), Float.POSITIVE_INFINITY)),
                        new NullProgressMonitor());
                for (String tensor : DESIGNED) {
                    assertEquals("", reason(plusInfinity, tensor), mode + ": " + tensor + " is not -inf by design");
                    assertFalse(plusInfinity.row(tensor).orElseThrow().isFinite(), mode + ": " + tensor + " holds +inf");
                }
            }
        }
    }

    /** The report lists the -inf among the weights holding an infinity, and says the trace left it out. */
    @Test
    void theReportSaysThePadValueIsLeftOutNotBroken() throws Exception {
        try (LoadedModel loaded = new FrozenGraphLoader().load(model(), new NullProgressMonitor());
                InferenceSession session = new TensorFlowBackend().open(loaded, Device.CPU)) {
            Signature signature = loaded.graph().defaultSignature().orElseThrow();
            NanReport report = new NanTracer(List.of()).trace(loaded.graph(), signature, session,
                    PreparedInputs.prepare(signature, List.of("x=ramp")), Map.of(), HealthMode.FULL, "cpu",
                    new NullProgressMonitor()).report();
            assertTrue(report.origins().isEmpty(), "a healthy input has no origin: " + report.origins());
            NanReport.WeightHealth weight = report.weights().stream().filter(w -> w.op().equals("pad_value"))
                    .findFirst().orElseThrow();
            assertFalse(weight.searched());
            assertTrue(weight.leftOut().contains("by design"), weight.leftOut());
        }
    }

    /** x[i] = i / 16 times the scale; NaN everywhere for a NaN scale. */
    private static TensorData ramp(float scale) {
        float[] values = new float[16];
        for (int i = 0; i < values.length; i++) {
            values[i] = i / 16f * scale;
        }
        return TensorData.ofFloats("x", Shape.of(1, 4, 4, 1), values);
    }

    /**
     * Two poolings padded with one shared -inf constant (converters and grappler merge equal constants; SPPF's three
     * pools share one): the constant and both borders are by design; a third reader that is no padding, an Add, makes
     * the constant an ordinary one again.
     */
    @Test
    void aMinusInfinitySharedByTwoPaddedPoolsIsByDesignUnlessAnotherOpReadsIt() throws Exception {
        for (boolean alsoAdded : List.of(false, true)) {
            Path model = PlantedModels.write(folder, "shared-pad-" + alsoAdded, tf -> {
                Operand<TFloat32> x = tf.withName("x").placeholder(TFloat32.class,
                        Placeholder.shape(org.tensorflow.ndarray.Shape.of(1, 4, 4, 1)));
                Operand<TFloat32> act = tf.withName("act").math.mul(x, tf.constant(2f));
                Operand<TFloat32> minusInfinity = tf.withName("pad_value").constant(Float.NEGATIVE_INFINITY);
                Graph graph = (Graph) tf.scope().env();
                for (String name : List.of("a", "b")) {
                    Operand<TFloat32> padded = graph.opBuilder("PadV2", "padded_" + name, tf.scope())
                            .addInput(act.asOutput())
                            .addInput(tf.withName("paddings_" + name)
                                    .constant(new int[][] { { 0, 0 }, { 1, 1 }, { 1, 1 }, { 0, 0 } }).asOutput())
                            .addInput(minusInfinity.asOutput())
                            .build().output(0);
                    tf.withName("pooled_" + name).nn.maxPool(padded, tf.constant(new int[] { 1, 3, 3, 1 }),
                            tf.constant(new int[] { 1, 1, 1, 1 }), "VALID");
                }
                if (alsoAdded) {
                    tf.withName("added").math.add(act, minusInfinity);
                }
            });
            try (LoadedModel loaded = new FrozenGraphLoader().load(model, new NullProgressMonitor());
                    TfSession session = (TfSession) new TensorFlowBackend().open(loaded, Device.CPU)) {
                List<String> outputs = alsoAdded ? List.of("pooled_a:0", "pooled_b:0", "added:0")
                        : List.of("pooled_a:0", "pooled_b:0");
                Trace healthy = session.healthPass(Map.of("x", ramp(1f)), outputs, HealthMode.FULL, Map.of(),
                        new NullProgressMonitor());
                for (String tensor : List.of("pad_value:0", "padded_a:0", "padded_b:0")) {
                    assertEquals(!alsoAdded, reason(healthy, tensor).contains("by design"), alsoAdded + " " + tensor
                            + ": " + healthy.unchecked());
                }
                if (!alsoAdded) {
                    assertTrue(reason(healthy, "pad_value:0").contains("PadV2 padded_a, padded_b pad the inputs of"),
                            reason(healthy, "pad_value:0"));
                    assertTrue(healthy.rows().stream().allMatch(r -> r.isFinite()), "nothing is flagged");
                } else {
                    assertFalse(healthy.row("padded_a:0").orElseThrow().isFinite(), "an ordinary -inf border");
                }
            }
        }
    }

    private static String reason(Trace trace, String tensor) {
        return trace.unchecked().stream().filter(u -> u.tensor().equals(tensor)).map(UncheckedTensor::reason)
                .findFirst().orElse("");
    }
}
