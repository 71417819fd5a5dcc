package org.tensorscope.tensorflow.tests.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.types.TFloat32;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.core.service.ModelLoader;
import org.tensorscope.tensorflow.internal.JavaCppCache;
import org.tensorscope.tensorflow.internal.TfModel;
import org.tensorscope.tensorflow.internal.keras.KerasH5Loader;
import org.tensorscope.tensorflow.internal.keras.KerasV3Loader;
import org.tensorscope.tensorflow.internal.keras.TfjsLayersModelLoader;

/**
 * The same MobileNet v2 written by h5py as a Keras 2 HDF5 file and as a Keras 3 {@code .keras} zip (testdata/keras,
 * see its NOTICE) gives TF.js's outputs; damaged files get one-line messages naming the file.
 */
class KerasFilesTest {

    @BeforeAll
    static void useTheProjectsNativeCache() {
        JavaCppCache.configure();
    }

    @Test
    void h5GivesTheTfjsOutputs() throws Exception {
        assertSameAsTfjs(new KerasH5Loader(), KerasFiles.model("keras/mobilenet_v2.h5"), KerasH5Loader.FORMAT);
    }

    @Test
    void kerasV3GivesTheTfjsOutputs() throws Exception {
        assertSameAsTfjs(new KerasV3Loader(), KerasFiles.model("keras/mobilenet_v2.keras"), KerasV3Loader.FORMAT);
    }

    private static void assertSameAsTfjs(ModelLoader loader, Path file, String format) throws Exception {
        assertTrue(loader.canLoad(file));
        TfModel model = (TfModel) loader.load(file, null);
        ModelGraph graph = model.graph();
        assertEquals(format, graph.format());
        assertEquals("Conv2D", graph.op("Conv1/Conv2D").orElseThrow().type());
        assertEquals("FusedBatchNormV3", graph.op("block_16_project_BN/FusedBatchNormV3").orElseThrow().type());
        assertEquals("dense_3/Softmax:0", graph.defaultSignature().orElseThrow().outputs().get(0).tensor().name());
        try (TFloat32 x = KerasFiles.ramp(1, 1, 224, 224, 3)) {
            float[] out = KerasFiles.run(model, Map.of("input_1:0", x), "dense_3/Softmax:0").get(0);
            assertArrayEquals(TfjsLayersModelTest.MOBILENET_RAMP, out, 1e-4f, Arrays.toString(out));
        }
        // the same graph as the TF.js layers model: same ops in the same order
        ModelGraph tfjs = new TfjsLayersModelLoader().load(KerasFiles.model(TfjsLayersModelTest.MOBILENET), null).graph();
        assertEquals(tfjs.ops().stream().map(o -> o.name() + " " + o.type()).toList(),
                graph.ops().stream().map(o -> o.name() + " " + o.type()).toList());
    }

    @Test
    void truncatedH5IsRefusedInOneLine(@TempDir Path dir) throws Exception {
        byte[] whole = Files.readAllBytes(KerasFiles.model("keras/mobilenet_v2.h5"));
        Path cut = Files.write(dir.resolve("cut.h5"), Arrays.copyOf(whole, 4096));
        assertOneLineNaming(cut, assertThrows(ModelLoadException.class, () -> new KerasH5Loader().load(cut, null)));
    }

    @Test
    void h5WithoutModelConfigSaysItHoldsNoModel(@TempDir Path dir) throws Exception {
        Path weightsOnly = dir.resolve("weights.h5");
        try (io.jhdf.WritableHdfFile hdf = io.jhdf.HdfFile.write(weightsOnly)) {
            hdf.putGroup("dense").putDataset("kernel:0", new float[] { 1, 2 });
        }
        assertTrue(new KerasH5Loader().canLoad(weightsOnly));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> new KerasH5Loader().load(weightsOnly, null));
        assertEquals(weightsOnly + ": an HDF5 file without a model_config attribute: Keras weights alone (save_weights) or"
                + " not a Keras file; Tensorscope needs the whole model (model.save)", e.getMessage());

        Path garbage = Files.write(dir.resolve("garbage.h5"), new byte[] { (byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n', 1, 2, 3 });
        assertTrue(new KerasH5Loader().canLoad(garbage));
        assertOneLineNaming(garbage, assertThrows(ModelLoadException.class, () -> new KerasH5Loader().load(garbage, null)));
    }

    @Test
    void damagedKerasZipsAreRefusedInOneLine(@TempDir Path dir) throws Exception {
        byte[] whole = Files.readAllBytes(KerasFiles.model("keras/mobilenet_v2.keras"));
        Path cut = Files.write(dir.resolve("cut.keras"), Arrays.copyOf(whole, whole.length / 2));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> new KerasV3Loader().load(cut, null));
        assertOneLineNaming(cut, e);

        Path noWeights = dir.resolve("config-only.keras");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(noWeights))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("config.json"));
            zip.write("{\"class_name\": \"Sequential\", \"config\": {\"layers\": []}}".getBytes());
            zip.closeEntry();
        }
        e = assertThrows(ModelLoadException.class, () -> new KerasV3Loader().load(noWeights, null));
        assertEquals(noWeights + ": a zip without model.weights.h5: not a Keras 3 model file", e.getMessage());

        Path notZip = Files.writeString(dir.resolve("text.keras"), "x");
        assertTrue(new KerasV3Loader().canLoad(notZip), "claimed by name, so the message names the format");
        e = assertThrows(ModelLoadException.class, () -> new KerasV3Loader().load(notZip, null));
        assertEquals(notZip + ": not a valid .keras file: the zip is truncated or corrupt", e.getMessage());
        Path notHdf5 = Files.writeString(dir.resolve("text.h5"), "x");
        e = assertThrows(ModelLoadException.class, () -> new KerasH5Loader().load(notHdf5, null));
        assertEquals(notHdf5 + ": not an HDF5 file (no HDF5 signature at its start), so not a Keras .h5 model", e.getMessage());
    }

    @Test
    void damagedTfjsLayersModelsAreRefusedInOneLine(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("m"));
        Path source = KerasFiles.model(TfjsLayersModelTest.MOBILENET);
        Files.copy(source, folder.resolve("model.json"));
        byte[] shard = Files.readAllBytes(source.resolveSibling("group1-shard1of1"));
        Files.write(folder.resolve("group1-shard1of1"), Arrays.copyOf(shard, shard.length - 10));
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> new TfjsLayersModelLoader().load(folder.resolve("model.json"), null));
        assertOneLineNaming(folder.resolve("model.json"), e);
        assertTrue(e.getMessage().contains("missing or truncated shard"), e.getMessage());

        Path truncatedJson = Files.writeString(dir.resolve("model.json"),
                Files.readString(source).substring(0, 5000));
        e = assertThrows(ModelLoadException.class, () -> new TfjsLayersModelLoader().load(truncatedJson, null));
        assertOneLineNaming(truncatedJson, e);

        Path whole = Files.createDirectories(dir.resolve("whole"));
        Files.copy(source.resolveSibling("group1-shard1of1"), whole.resolve("group1-shard1of1"));
        Path unknownLayerInput = Files.writeString(whole.resolve("broken.json"), Files.readString(source)
                .replace("\"inbound_nodes\":[[[\"Conv1_pad\",0,0,{}]]]", "\"inbound_nodes\":[[[\"no_such_layer\",0,0,{}]]]"));
        e = assertThrows(ModelLoadException.class, () -> new TfjsLayersModelLoader().load(unknownLayerInput, null));
        assertOneLineNaming(unknownLayerInput, e);
        assertTrue(e.getMessage().contains("no_such_layer"), e.getMessage());
    }

    private static void assertOneLineNaming(Path file, ModelLoadException e) {
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(e.getMessage().contains("Exception"), e.getMessage());
    }
}
