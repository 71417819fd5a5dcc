package org.tensorscope.tensorflow.tests;

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
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.core.trace.Trace;
import org.tensorscope.core.trace.UncheckedTensor;
import org.tensorscope.tensorflow.internal.TensorFlowBackend;
import org.tensorscope.tensorflow.internal.load.FrozenGraphLoader;
import org.tensorscope.tensorflow.internal.run.TfSession;

/**
 * A NonMaxSuppression score threshold of -inf holds an infinity by design and is left out of the check, saying so.
 * A run that gives it other values (an edit in the Inspector) makes it an ordinary tensor: checked, and never
 * described as holding an infinity it no longer holds; a NaN there is found.
 */
class EditedThresholdTest {

    @TempDir
    static Path folder;

    private static Path model() throws Exception {
        return PlantedModels.write(folder, "nms", tf -> {
            Operand<TFloat32> boxes = tf.withName("boxes").placeholder(TFloat32.class,
                    Placeholder.shape(org.tensorflow.ndarray.Shape.of(4, 4)));
            Operand<TFloat32> scores = tf.withName("scores").placeholder(TFloat32.class,
                    Placeholder.shape(org.tensorflow.ndarray.Shape.of(4)));
            ((Graph) tf.scope().env()).opBuilder("NonMaxSuppressionV3", "nms", tf.scope())
                    .addInput(boxes.asOutput())
                    .addInput(scores.asOutput())
                    .addInput(tf.withName("max_out").constant(3).asOutput())
                    .addInput(tf.withName("iou").constant(0.5f).asOutput())
                    .addInput(tf.withName("threshold").constant(Float.NEGATIVE_INFINITY).asOutput())
                    .build();
            tf.withName("doubled").math.mul(scores, tf.constant(2f));
        });
    }

    @Test
    void anEditedThresholdIsChecked() throws Exception {
        try (LoadedModel loaded = new FrozenGraphLoader().load(model(), new NullProgressMonitor());
                TfSession session = (TfSession) new TensorFlowBackend().open(loaded, Device.CPU)) {
            Map<String, TensorData> feeds = Map.of(
                    "boxes", TensorData.ofFloats("boxes", Shape.of(4, 4), 0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 5, 5, 6, 6),
                    "scores", TensorData.ofFloats("scores", Shape.of(4), 0.9f, 0.8f, 0.7f, 0.1f));
            List<String> outputs = List.of("nms:0", "doubled:0");
            for (HealthMode mode : List.of(HealthMode.CURT, HealthMode.FULL)) {
                Trace asDesigned = session.healthPass(feeds, outputs, mode, Map.of(), new NullProgressMonitor());
                assertTrue(asDesigned.row("threshold:0").isEmpty(), mode + ": -inf by design is left out");
                assertTrue(reason(asDesigned).contains("by design"), mode + ": " + reason(asDesigned));

                Trace stillInfinite = session.healthPass(feeds, outputs, mode,
                        Map.of("threshold:0", TensorData.ofFloats("threshold:0", Shape.of(), Float.NEGATIVE_INFINITY)),
                        new NullProgressMonitor());
                assertTrue(reason(stillInfinite).contains("by design"), mode + ": edited to -inf, still by design");

                Trace edited = session.healthPass(feeds, outputs, mode,
                        Map.of("threshold:0", TensorData.ofFloats("threshold:0", Shape.of(), 0.5f)),
                        new NullProgressMonitor());
                assertEquals("", reason(edited), mode + ": an edited threshold is not described as infinite");
                assertTrue(edited.row("threshold:0").isPresent(), mode + ": the edited threshold is checked");
                assertTrue(edited.row("threshold:0").get().isFinite(), mode + ": 0.5 is finite");

                Trace nan = session.healthPass(feeds, outputs, mode,
                        Map.of("threshold:0", TensorData.ofFloats("threshold:0", Shape.of(), Float.NaN)),
                        new NullProgressMonitor());
                assertEquals(1, nan.row("threshold:0").orElseThrow().nanCount(), mode + ": a NaN threshold is found");
            }
        }
    }

    private static String reason(Trace trace) {
        return trace.unchecked().stream().filter(u -> u.tensor().equals("threshold:0")).map(UncheckedTensor::reason)
                .findFirst().orElse("");
    }
}
