package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.FrameworkUtil;
import org.tensorscope.core.service.Contributions;
import org.tensorscope.core.service.ModelLoadException;

/**
 * Files of the formats Tensorscope reads that hold nothing to run, or hold it in an unexpected place, are named as such,
 * with the file, not as "not a model".
 */
class UnreadableFormatsTest {

    @TempDir
    static Path folder;

    private static Contributions contributions;

    @BeforeAll
    static void openContributions() {
        contributions = new Contributions(FrameworkUtil.getBundle(UnreadableFormatsTest.class).getBundleContext());
    }

    @AfterAll
    static void closeContributions() {
        contributions.close();
    }

    @Test
    void aTfliteFileWithNothingInItSaysSo() throws Exception {
        // the first bytes of MediaPipe's face_detection_short_range.tflite: root offset, then the identifier TFL3
        byte[] file = new byte[256];
        byte[] head = { 0x18, 0, 0, 0, 'T', 'F', 'L', '3', 0x10, 0, 0x1c, 0, 0x04, 0, 0x08, 0 };
        System.arraycopy(head, 0, file, 0, head.length);
        Path model = Files.write(folder.resolve("face_detection_short_range.tflite"), file);
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> contributions.open(model, new NullProgressMonitor()).close());
        // the TFLite loader reads it: a root table with no fields, so no subgraph
        assertEquals(model + ": the TFLite model has no subgraph", e.getMessage());
    }

    @Test
    void anEmptyTfjsLayersModelWithoutAFormatFieldIsNamedAsSuch() throws Exception {
        // the structure of nsfwjs's mobilenet_v2 model.json (TF.js converter 1.x writes no "format")
        Path model = Files.writeString(folder.resolve("model.json"), """
                {"modelTopology": {"keras_version": "2.2.4", "backend": "tensorflow",
                  "model_config": {"class_name": "Model", "config": {"name": "model_1", "layers": []}},
                  "training_config": {}},
                 "weightsManifest": [{"paths": ["group1-shard1of1"], "weights": []}]}
                """);
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> contributions.open(model, new NullProgressMonitor()).close());
        assertEquals(model + ": TF.js layers model with no layers, inputs or outputs: nothing to run", e.getMessage());
    }
}
