package org.tensorscope.tensorflow.tests.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.service.ModelFiles;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.tensorflow.internal.JavaCppCache;
import org.tensorscope.tensorflow.internal.TensorFlowBackend;
import org.tensorscope.tensorflow.internal.TfModel;
import org.tensorscope.tensorflow.internal.load.FrozenGraphLoader;
import org.tensorscope.tensorflow.internal.load.TfjsGraphModelLoader;
import org.tensorscope.tensorflow.internal.load.TfjsLegacyGraphModelLoader;
import org.tensorscope.tensorflow.tests.TestModels;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

/**
 * TF.js models as converters before TF.js 1.0 wrote them: a GraphDef whose constants hold no values beside
 * {@code weights_manifest.json}. Each test model's graph is written that way (every constant of its manifest emptied,
 * the manifest and shards copied), and must run to the same outputs as its {@code model.json}.
 */
class TfjsLegacyGraphModelTest {

    private final TfjsLegacyGraphModelLoader legacy = new TfjsLegacyGraphModelLoader();

    @BeforeAll
    static void useTheProjectsNativeCache() {
        JavaCppCache.configure();
    }

    @ParameterizedTest
    @CsvSource({ "tfjs/handskeleton/handskeleton.json, ramp, 145", "tfjs/faceboxes/faceboxes.json, ramp*255@1x256x256x3, 0" })
    void aModelWrittenByConverter0xRunsAsItsModelJsonDoes(String file, String input, int atLeastEmptied, @TempDir Path dir)
            throws Exception {
        Path json = TestModels.get(file);
        int emptied = writeAsConverter0x(json, dir);
        assertTrue(emptied >= Math.max(1, atLeastEmptied), emptied + " constants emptied");
        Path graph = dir.resolve("tensorflowjs_model.pb");
        for (Path opened : List.of(dir, graph, dir.resolve("weights_manifest.json"))) {
            assertTrue(legacy.canLoad(opened), opened.toString());
        }
        assertFalse(new FrozenGraphLoader().canLoad(graph), "a frozen graph's constants hold their values");
        try (LoadedModel fromJson = new TfjsGraphModelLoader().load(json, new NullProgressMonitor());
                LoadedModel from0x = legacy.load(dir, new NullProgressMonitor())) {
            assertEquals(TfjsLegacyGraphModelLoader.FORMAT, from0x.graph().format());
            assertEquals(graph, from0x.graph().source());
            assertEquals(fromJson.graph().ops().size(), from0x.graph().ops().size());
            assertEquals(fromJson.graph().weights().size(), from0x.graph().weights().size());
            Map<String, TensorData> expected = run(fromJson, input);
            Map<String, TensorData> actual = run(from0x, input);
            assertEquals(expected.keySet(), actual.keySet());
            for (String output : expected.keySet()) {
                TensorData e = expected.get(output);
                TensorData a = actual.get(output);
                assertEquals(e.shape(), a.shape(), output);
                for (int i = 0; i < e.size(); i++) {
                    assertEquals(e.getDouble(i), a.getDouble(i), 0.0, output + "[" + i + "]");
                }
            }
        }
    }

    @Test
    void aGraphWithoutItsManifestSaysWhichFileIsMissing(@TempDir Path dir) throws Exception {
        writeAsConverter0x(TestModels.get("tfjs/handskeleton/handskeleton.json"), dir);
        Files.delete(dir.resolve("weights_manifest.json"));
        Path graph = dir.resolve("tensorflowjs_model.pb");
        assertTrue(legacy.canLoad(graph), "the converter's file name is enough to claim it");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> legacy.load(graph, new NullProgressMonitor()));
        assertEquals(dir.resolve("weights_manifest.json").toAbsolutePath(), e.file().toAbsolutePath());
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void aNodeThatCannotBeRewrittenIsRefusedNamingTheGraph(@TempDir Path dir) throws Exception {
        GraphDef graph = GraphDef.newBuilder()
                .addNode(NodeDef.newBuilder().setName("x").setOp("Placeholder")
                        .putAttr("dtype", AttrValue.newBuilder().setType(org.tensorflow.proto.DataType.DT_FLOAT).build()))
                .addNode(NodeDef.newBuilder().setName("prelu").setOp("Prelu").addInput("x"))
                .build();
        Files.write(dir.resolve("tensorflowjs_model.pb"), graph.toByteArray());
        Files.writeString(dir.resolve("weights_manifest.json"), "[]");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> legacy.load(dir, new NullProgressMonitor()));
        assertEquals(dir.resolve("tensorflowjs_model.pb").toAbsolutePath(), e.file().toAbsolutePath());
        assertTrue(e.getMessage().contains("the graph cannot be read: op prelu (Prelu) has 1 data inputs, fewer than"
                + " the 2 it needs"), e.getMessage());
    }

    @Test
    void aManifestThatIsNotAListIsRefusedByName(@TempDir Path dir) throws Exception {
        writeAsConverter0x(TestModels.get("tfjs/handskeleton/handskeleton.json"), dir);
        Files.writeString(dir.resolve("weights_manifest.json"), "{\"weights\": []}");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> legacy.load(dir, new NullProgressMonitor()));
        assertTrue(e.getMessage().contains("weights_manifest.json"), e.getMessage());
        assertTrue(e.getMessage().contains("should be a list of weight groups, not an object"), e.getMessage());
    }

    @Test
    void aWeightsManifestAloneIsNamedForWhatItIs(@TempDir Path dir) throws Exception {
        Path manifest = dir.resolve("age_gender_model-weights_manifest.json");
        Files.writeString(manifest, "[\n  {\n    \"weights\": [{\"name\": \"conv/filters\", \"shape\": [3, 3, 3, 32],"
                + " \"dtype\": \"float32\"}],\n    \"paths\": [\"age_gender_model.bin\"]\n  }\n]\n");
        assertFalse(legacy.canLoad(manifest));
        assertEquals("a TF.js weights manifest: it lists a model's weights but not the network that uses them, which"
                + " is in the program that loads them (as in face-api.js); open the model.json or tensorflowjs_model.pb"
                + " that goes with it", ModelFiles.unsupportedFormat(manifest).orElseThrow());
        assertTrue(ModelFiles.unsupportedFormat(Files.writeString(dir.resolve("list.json"), "[1, 2, 3]")).isEmpty());
    }

    /** The model's graph as the 0.x converter wrote it, with its manifest and shards; how many constants were emptied. */
    private static int writeAsConverter0x(Path modelJson, Path dir) throws Exception {
        JsonArray manifest = JsonParser.parseString(Files.readString(modelJson, StandardCharsets.UTF_8)).getAsJsonObject()
                .getAsJsonArray("weightsManifest");
        Set<String> names = new HashSet<>();
        for (JsonElement group : manifest) {
            group.getAsJsonObject().getAsJsonArray("weights").forEach(w -> names.add(w.getAsJsonObject().get("name").getAsString()));
            for (JsonElement shard : group.getAsJsonObject().getAsJsonArray("paths")) {
                Files.copy(modelJson.resolveSibling(shard.getAsString()), dir.resolve(shard.getAsString()));
            }
        }
        GraphDef graph;
        try (TfModel model = new TfjsGraphModelLoader().load(modelJson, new NullProgressMonitor())) {
            graph = model.frozenGraph();
        }
        GraphDef.Builder stripped = graph.toBuilder().clearNode();
        int emptied = 0;
        for (NodeDef node : graph.getNodeList()) {
            if (node.getOp().equals("Const") && names.contains(node.getName())) {
                TensorProto value = node.getAttrOrThrow("value").getTensor();
                TensorProto empty = TensorProto.newBuilder().setDtype(value.getDtype()).setTensorShape(value.getTensorShape())
                        .build();
                node = node.toBuilder().putAttr("value", AttrValue.newBuilder().setTensor(empty).build()).build();
                emptied++;
            }
            stripped.addNode(node);
        }
        Files.write(dir.resolve("tensorflowjs_model.pb"), stripped.build().toByteArray());
        Files.writeString(dir.resolve("weights_manifest.json"), manifest.toString());
        return emptied;
    }

    private static Map<String, TensorData> run(LoadedModel model, String input) throws Exception {
        var signature = model.graph().defaultSignature().orElseThrow();
        PreparedInputs inputs = PreparedInputs.prepare(signature, List.of(input));
        try (InferenceSession session = new TensorFlowBackend().open(model, Device.CPU)) {
            return session.fetch(inputs.feeds(), signature.outputs().stream().map(o -> o.tensor().name()).toList(),
                    Map.of(), new NullProgressMonitor());
        }
    }
}
