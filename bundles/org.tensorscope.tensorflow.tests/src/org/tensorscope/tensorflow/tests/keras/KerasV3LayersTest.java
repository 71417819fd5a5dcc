package org.tensorscope.tensorflow.tests.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Tensor;
import org.tensorscope.core.model.Signature;
import org.tensorscope.tensorflow.internal.JavaCppCache;
import org.tensorscope.tensorflow.internal.TfModel;
import org.tensorscope.tensorflow.internal.keras.KerasV3Loader;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;

/**
 * Cases of keras-layer-cases.json written as Keras 3 {@code .keras} files: Keras 3 JSON (an InputLayer with
 * {@code batch_shape}, dtype policies) and weights stored by position under {@code layers/<layer>/...vars/<i>}, with
 * the subgroups Keras 3 uses for cells, wrapped and nested layers. Same expected values as the TF.js form.
 */
class KerasV3LayersTest {

    @BeforeAll
    static void useTheProjectsNativeCache() {
        JavaCppCache.configure();
    }

    /** case name; where each of its weights (in the case's order) lives in model.weights.h5 */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "dense_relu; layers/dense/vars/0 layers/dense/vars/1",
            "batchnorm_4d; layers/bn/vars/0 layers/bn/vars/1 layers/bn/vars/2",
            "lstm; layers/lstm/cell/vars/0 layers/lstm/cell/vars/1 layers/lstm/cell/vars/2",
            "gru_reset_after; layers/gru/cell/vars/0 layers/gru/cell/vars/1 layers/gru/cell/vars/2",
            "bidirectional; layers/bi/forward_layer/cell/vars/0 layers/bi/forward_layer/cell/vars/1"
                    + " layers/bi/forward_layer/cell/vars/2 layers/bi/backward_layer/cell/vars/0"
                    + " layers/bi/backward_layer/cell/vars/1 layers/bi/backward_layer/cell/vars/2",
            "time_distributed; layers/td/layer/vars/0 layers/td/layer/vars/1",
            "nested; layers/inner/layers/inner_dense/vars/0 layers/inner/layers/inner_dense/vars/1"
                    + " layers/head/vars/0 layers/head/vars/1" })
    void kerasV3FileGivesTheReferenceValues(String name, String places, @TempDir Path folder) throws Exception {
        JsonObject c = KerasLayerCasesTest.cases().map(a -> (JsonObject) a.get()[1])
                .filter(o -> o.get("name").getAsString().equals(name)).findFirst().orElseThrow();
        Path file = folder.resolve(name + ".keras");
        Path h5 = folder.resolve("model.weights.h5");
        String[] paths = places.trim().split(" ");
        JsonArray weights = c.getAsJsonArray("weights");
        try (WritableHdfFile hdf = HdfFile.write(h5)) {
            for (int k = 0; k < weights.size(); k++) {
                String weightName = weights.get(k).getAsJsonArray().get(0).getAsString();
                long[] shape = KerasLayerCasesTest.longs(weights.get(k).getAsJsonArray().get(1).getAsJsonArray());
                String[] parts = paths[k].split("/");
                WritableGroup group = hdf;
                for (int i = 0; i < parts.length - 1; i++) {
                    WritableGroup g = group;
                    String part = parts[i];
                    group = g.getChild(part) instanceof WritableGroup existing ? existing : g.putGroup(part);
                }
                group.putDataset(parts[parts.length - 1], nested(KerasLayerCasesTest.weight(weightName, shape, k), shape));
            }
        }
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("config.json"));
            zip.write(keras3(c.getAsJsonObject("model_config")).toString().getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("model.weights.h5"));
            zip.write(Files.readAllBytes(h5));
            zip.closeEntry();
        }
        TfModel model = new KerasV3Loader().load(file, null);
        Signature signature = model.graph().defaultSignature().orElseThrow();
        try (Tensor x = KerasLayerCasesTest.input(c, signature.inputs().get(0).tensor().dtype())) {
            float[] out = KerasFiles.run(model, Map.of(signature.inputs().get(0).tensor().name(), x),
                    signature.outputs().get(0).tensor().name()).get(0);
            float[] expected = KerasLayerCasesTest.floats(c.getAsJsonArray("expected"));
            assertEquals(expected.length, out.length);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], out[i], 1e-4 * Math.max(1, Math.abs(expected[i])), Arrays.toString(out));
            }
        }
    }

    /** A Keras 2 Sequential config as Keras 3 writes it: an explicit InputLayer with batch_shape, dtype policies. */
    private static JsonObject keras3(JsonObject keras2) {
        JsonObject model = keras2.deepCopy();
        if (!model.get("class_name").getAsString().equals("Sequential")) {
            return model;
        }
        JsonArray layers = model.getAsJsonObject("config").getAsJsonArray("layers");
        JsonObject first = layers.get(0).getAsJsonObject().getAsJsonObject("config");
        JsonObject input = JsonParser.parseString("{\"class_name\": \"InputLayer\", \"config\": {\"name\": \"input_layer\","
                + " \"dtype\": \"float32\"}}").getAsJsonObject();
        input.getAsJsonObject("config").add("batch_shape", first.remove("batch_input_shape"));
        for (JsonElement layer : layers) {
            layer.getAsJsonObject().getAsJsonObject("config").add("dtype", JsonParser.parseString(
                    "{\"module\": \"keras\", \"class_name\": \"DTypePolicy\", \"config\": {\"name\": \"float32\"}}"));
        }
        JsonArray withInput = new JsonArray();
        withInput.add(input);
        withInput.addAll(layers);
        model.getAsJsonObject("config").add("layers", withInput);
        return model;
    }

    private static Object nested(float[] flat, long[] shape) {
        int[] dims = Arrays.stream(shape).mapToInt(d -> (int) d).toArray();
        Object array = Array.newInstance(float.class, dims);
        fill(array, flat, new int[] { 0 });
        return array;
    }

    private static void fill(Object array, float[] flat, int[] next) {
        if (array instanceof float[] row) {
            for (int i = 0; i < row.length; i++) {
                row[i] = flat[next[0]++];
            }
            return;
        }
        for (int i = 0; i < Array.getLength(array); i++) {
            fill(Array.get(array, i), flat, next);
        }
    }
}
