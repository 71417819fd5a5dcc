package org.tensorscope.tensorflow.tests.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.Signature;
import org.tensorscope.tensorflow.internal.JavaCppCache;
import org.tensorscope.tensorflow.internal.TfModel;
import org.tensorscope.tensorflow.internal.keras.TfjsLayersModelLoader;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * One small generated model per Keras layer type (keras-layer-cases.json: the Keras JSON, how its weights are
 * made, and the outputs TF.js's layers implementation, or numpy, computes), loaded as a TF.js layers model.
 */
class KerasLayerCasesTest {

    static final Path CASES = Path.of("keras-layer-cases.json").toAbsolutePath();

    @BeforeAll
    static void useTheProjectsNativeCache() {
        JavaCppCache.configure();
    }

    static Stream<Arguments> cases() throws Exception {
        JsonArray cases = JsonParser.parseString(Files.readString(CASES)).getAsJsonObject().getAsJsonArray("cases");
        return cases.asList().stream().map(c -> Arguments.of(c.getAsJsonObject().get("name").getAsString(), c.getAsJsonObject()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void layerGivesTheReferenceValues(String name, JsonObject c, @TempDir Path folder) throws Exception {
        Path model = writeTfjs(c, folder);
        TfModel loaded = new TfjsLayersModelLoader().load(model, null);
        Signature signature = loaded.graph().defaultSignature().orElseThrow();
        assertEquals(1, signature.inputs().size());
        assertEquals(1, signature.outputs().size());
        String outputOp = signature.outputs().get(0).tensor().name();
        assertEquals(true, outputOp.startsWith(lastLayer(c) + "/"), "output " + outputOp + " is named after its layer");
        try (Tensor x = input(c, signature.inputs().get(0).tensor().dtype())) {
            float[] out = KerasFiles.run(loaded, Map.of(signature.inputs().get(0).tensor().name(), x), outputOp).get(0);
            float[] expected = floats(c.getAsJsonArray("expected"));
            assertEquals(expected.length, out.length, "output size");
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], out[i], 1e-4 * Math.max(1, Math.abs(expected[i])),
                        name + " output[" + i + "] (expected by " + c.get("expected_by").getAsString() + "): "
                                + Arrays.toString(out));
            }
        }
    }

    private static String lastLayer(JsonObject c) {
        JsonObject config = c.getAsJsonObject("model_config");
        JsonObject inner = config.getAsJsonObject("config");
        if (config.get("class_name").getAsString().equals("Sequential")) {
            JsonArray layers = inner.getAsJsonArray("layers");
            return layers.get(layers.size() - 1).getAsJsonObject().getAsJsonObject("config").get("name").getAsString();
        }
        return inner.getAsJsonArray("output_layers").get(0).getAsJsonArray().get(0).getAsString();
    }

    /** Weight k holds w[i] = ((i*13 + k*7) mod 17)/17 - 0.45; a variance |w| + 0.5. */
    static float[] weight(String name, long[] shape, int k) {
        int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            double x = ((i * 13 + k * 7) % 17) / 17.0 - 0.45;
            v[i] = (float) (name.endsWith("variance") ? Math.abs(x) + 0.5 : x);
        }
        return v;
    }

    static Path writeTfjs(JsonObject c, Path folder) throws Exception {
        Map<String, float[]> weights = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        JsonArray list = c.getAsJsonArray("weights");
        for (int k = 0; k < list.size(); k++) {
            String weightName = list.get(k).getAsJsonArray().get(0).getAsString();
            long[] shape = longs(list.get(k).getAsJsonArray().get(1).getAsJsonArray());
            shapes.put(weightName, shape);
            weights.put(weightName, weight(weightName, shape, k));
        }
        return KerasFiles.tfjsLayers(folder, c.get("model_config").toString(), weights, shapes);
    }

    static Tensor input(JsonObject c, DType dtype) {
        long[] shape = longs(c.getAsJsonArray("input_shape"));
        int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        String kind = c.get("input").getAsString();
        if (kind.startsWith("ids:")) {
            int m = Integer.parseInt(kind.substring(4));
            if (dtype == DType.INT32) {
                TInt32 ids = TInt32.tensorOf(Shape.of(shape));
                for (int i = 0; i < n; i++) {
                    ids.asRawTensor().data().asInts().setInt((i * 3) % m, i);
                }
                return ids;
            }
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (i * 3) % m;
            }
            return KerasFiles.values(shape, v);
        }
        TFloat32 x = TFloat32.tensorOf(Shape.of(shape));
        for (int i = 0; i < n; i++) {
            x.asRawTensor().data().asFloats().setFloat((float) ((((i * 7) % 255) / 255.0) * 4 - 2), i);
        }
        return x;
    }

    static long[] longs(JsonArray a) {
        return a.asList().stream().mapToLong(JsonElement::getAsLong).toArray();
    }

    static float[] floats(JsonArray a) {
        float[] v = new float[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).getAsFloat();
        }
        return v;
    }
}
