package org.tensorscope.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.tensorflow.internal.TfModel;
import org.tensorscope.tensorflow.internal.load.TfjsGraphModelLoader;
import org.tensorscope.tensorflow.internal.load.TfjsLegacyGraphModelLoader;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

/**
 * TF.js models of converter 0.x: the fuzzer writes {@code weights_manifest.json} and {@code tensorflowjs_model.pb}
 * (its input: the manifest's length in two bytes, the manifest, the GraphDef) into a folder holding the shards of
 * {@link TfjsModelFuzzTest}, so a mutated manifest or graph meets real bytes.
 */
@EnabledIf("org.tensorscope.fuzz.FuzzSelection#chosen")
class TfjsLegacyModelFuzzTest {

    private static final Path FOLDER = TfjsModelFuzzTest.folder("tfjs-legacy");

    /** emotion and the small models of {@link TinyTfjsModels}, each as the 0.x converter would write it. */
    static Stream<byte[]> seeds() {
        return Stream.concat(Stream.of(Scratch.read(Scratch.testdata("tfjs/emotion/emotion.json"))),
                TinyTfjsModels.all().stream().map(s -> s.getBytes(StandardCharsets.UTF_8)))
                .map(TfjsLegacyModelFuzzTest::asConverter0x).filter(b -> b.length > 0);
    }

    /** The seeds are models, not refusals: otherwise the fuzzer would start from the loader's first check. */
    @Test
    void theSeedsLoad() {
        List<byte[]> seeds = seeds().toList();
        assertEquals(TinyTfjsModels.all().size(), seeds.size(), "emotion and every small graph model, not the layers one");
        for (byte[] seed : seeds) {
            assertNotNull(load(seed), "a seed of " + seed.length + " bytes was refused");
        }
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "30s")
    void legacyModel(byte[] input) {
        TfModel model = load(input);
        if (model != null) {
            ModelInfo.describe(model.graph());
        }
    }

    private static TfModel load(byte[] input) {
        Oracle.input(input);
        int manifestLength = input.length < 2 ? 0 : Math.min(input.length - 2, ((input[0] & 0xff) << 8) | (input[1] & 0xff));
        Scratch.write(FOLDER.resolve("weights_manifest.json"), Arrays.copyOfRange(input, Math.min(2, input.length),
                Math.min(2, input.length) + manifestLength));
        Scratch.write(FOLDER.resolve("tensorflowjs_model.pb"), Arrays.copyOfRange(input,
                Math.min(2, input.length) + manifestLength, input.length));
        return Oracle.check(List.of(FOLDER), () -> new TfjsLegacyGraphModelLoader().load(FOLDER, null),
                ModelLoadException.class);
    }

    /** A model.json's graph with the manifest's constants emptied, and its manifest, as this target's input. */
    private static byte[] asConverter0x(byte[] modelJson) {
        Path json = Scratch.write(FOLDER.resolve("seed.json"), modelJson);
        GraphDef graph;
        try (TfModel model = new TfjsGraphModelLoader().load(json, null)) {
            graph = model.frozenGraph();
        } catch (ModelLoadException e) {
            return new byte[0]; // a layers model
        }
        JsonArray manifest = JsonParser.parseString(new String(modelJson, StandardCharsets.UTF_8)).getAsJsonObject()
                .getAsJsonArray("weightsManifest");
        Set<String> names = new HashSet<>();
        for (JsonElement group : manifest) {
            group.getAsJsonObject().getAsJsonArray("weights").forEach(w -> names.add(w.getAsJsonObject().get("name")
                    .getAsString()));
        }
        GraphDef.Builder stripped = graph.toBuilder().clearNode();
        for (NodeDef node : graph.getNodeList()) {
            if (node.getOp().equals("Const") && names.contains(node.getName())) {
                TensorProto value = node.getAttrOrThrow("value").getTensor();
                node = node.toBuilder().putAttr("value", AttrValue.newBuilder().setTensor(TensorProto.newBuilder()
                        .setDtype(value.getDtype()).setTensorShape(value.getTensorShape())).build()).build();
            }
            stripped.addNode(node);
        }
        byte[] manifestBytes = manifest.toString().getBytes(StandardCharsets.UTF_8);
        byte[] graphBytes = stripped.build().toByteArray();
        return ByteBuffer.allocate(2 + manifestBytes.length + graphBytes.length).putShort((short) manifestBytes.length)
                .put(manifestBytes).put(graphBytes).array();
    }
}
