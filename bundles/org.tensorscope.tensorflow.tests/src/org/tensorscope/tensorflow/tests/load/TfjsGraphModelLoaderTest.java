package org.tensorscope.tensorflow.tests.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.types.TFloat32;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.SignatureTensor;
import org.tensorscope.core.model.WeightInfo;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.tensorflow.internal.JavaCppCache;
import org.tensorscope.tensorflow.internal.TensorFlowBackend;
import org.tensorscope.tensorflow.internal.TfModel;
import org.tensorscope.tensorflow.internal.load.TfjsGraphModelLoader;
import org.tensorscope.tensorflow.tests.TestModels;

class TfjsGraphModelLoaderTest {

    private static final String HAND_FIRST_CONV = "StatefulPartitionedCall/model/batch_normalization/FusedBatchNormV3";
    private static final String MOBILENET = "StatefulPartitionedCall/sequential/keras_layer/StatefulPartitionedCall/"
            + "StatefulPartitionedCall/StatefulPartitionedCall/predict/MobilenetV2/";

    private final TfjsGraphModelLoader loader = new TfjsGraphModelLoader();

    @BeforeAll
    static void useTheProjectsNativeCache() {
        JavaCppCache.configure();
    }

    /**
     * Op counts: the file's nodes plus what the fused-op rewrite adds (one BiasAdd per fused op,
     * one node per activation, five for PReLU). Weight bytes: as float32 after dequantisation.
     */
    @ParameterizedTest
    @CsvSource({ "tfjs/emotion/emotion.json, 58, 23, 820516",
            "tfjs/handskeleton/handskeleton.json, 397, 145, 5502280",
            "tfjs/handlandmark-lite/handlandmark-lite.json, 254, 103, 4046856",
            "tfjs/mobilenet_v2_mid/model.json, 266, 108, 17203100" })
    void everyTestModelLoadsWithPlainTensorFlowOps(String file, int ops, int manifestWeights, long weightBytes)
            throws Exception {
        Path path = TestModels.get(file);
        assertTrue(loader.canLoad(path));
        TfModel model = loader.load(path, null);
        ModelGraph graph = model.graph();
        assertEquals(TfjsGraphModelLoader.FORMAT, graph.format());
        assertEquals(ops, graph.ops().size());
        assertEquals(ops, model.frozenGraph().getNodeCount());
        assertTrue(graph.ops().stream().noneMatch(o -> o.type().contains("Fused")),
                "fused ops left: " + graph.ops().stream().map(OpNode::type).filter(t -> t.contains("Fused")).toList());
        List<WeightInfo> fromManifest = graph.weights().stream().filter(w -> !w.opName().contains("/Prelu/")).toList();
        assertEquals(manifestWeights, fromManifest.size());
        assertEquals(weightBytes, fromManifest.stream().mapToLong(WeightInfo::bytes).sum());
        assertTrue(graph.weights().stream().allMatch(WeightInfo::isHealthy));
        assertTopological(graph);
    }

    @Test
    void handskeletonSignatureComesFromUserDefinedMetadata() throws Exception {
        ModelGraph graph = loader.load(TestModels.get("tfjs/handskeleton/handskeleton.json"), null).graph();
        Signature signature = graph.defaultSignature().orElseThrow();
        assertEquals(Signature.DEFAULT_KEY, signature.key());
        SignatureTensor input = signature.input("input_1").orElseThrow();
        assertEquals("input_1", input.key());
        assertEquals("input_1:0", input.tensor().name());
        assertEquals(DType.FLOAT32, input.tensor().dtype());
        assertEquals(Shape.of(1, 256, 256, 3), input.tensor().shape());
        assertEquals(List.of("Identity_1", "Identity"), signature.outputs().stream().map(SignatureTensor::key).toList());
        assertEquals(Shape.of(1, 63), signature.outputs().get(1).tensor().shape());

        WeightInfo firstConv = graph.weights().stream()
                .filter(w -> w.opName().equals("StatefulPartitionedCall/model/conv2d/Conv2D_weights")).findFirst()
                .orElseThrow();
        assertEquals(Shape.of(3, 3, 3, 32), firstConv.shape());
        assertEquals(3 * 3 * 3 * 32 * 4, firstConv.bytes());
        assertEquals(0, firstConv.nonFiniteCount());
    }

    @Test
    void mobilenetSignatureHasAnUnknownBatch() throws Exception {
        Signature signature = loader.load(TestModels.get("tfjs/mobilenet_v2_mid/model.json"), null).graph()
                .defaultSignature().orElseThrow();
        assertEquals(Shape.of(Shape.UNKNOWN, 224, 224, 3), signature.input("input").orElseThrow().tensor().shape());
        assertEquals(Shape.of(Shape.UNKNOWN, 5), signature.outputs().get(0).tensor().shape());
    }

    @Test
    void fusedConvWithPreluBecomesAChainWhoseLastNodeKeepsTheName() throws Exception {
        ModelGraph graph = loader.load(TestModels.get("tfjs/handskeleton/handskeleton.json"), null).graph();
        OpNode conv = graph.op(HAND_FIRST_CONV + "/Conv2D").orElseThrow();
        assertEquals("Conv2D", conv.type());
        assertEquals(List.of("input_1:0", "StatefulPartitionedCall/model/conv2d/Conv2D_weights:0"), conv.inputs());
        assertEquals("[1,2,2,1]", conv.attributes().get("strides"));
        assertEquals("SAME", conv.attributes().get("padding"));
        assertEquals(Shape.of(1, 128, 128, 32), conv.outputs().get(0).shape());
        OpNode bias = graph.op(HAND_FIRST_CONV + "/BiasAdd").orElseThrow();
        assertEquals("BiasAdd", bias.type());
        assertEquals(List.of(HAND_FIRST_CONV + "/Conv2D:0", "StatefulPartitionedCall/model/conv2d/Conv2D_bn_offset:0"),
                bias.inputs());
        OpNode last = graph.op(HAND_FIRST_CONV).orElseThrow();
        assertEquals("SelectV2", last.type(), "PReLU ends in select(x < 0, alpha * min(x, 0), x)");
        assertEquals(List.of(HAND_FIRST_CONV + "/Prelu/Less:0", HAND_FIRST_CONV + "/Prelu/Mul:0",
                HAND_FIRST_CONV + "/BiasAdd:0"), last.inputs());
        assertEquals("Mul", graph.op(HAND_FIRST_CONV + "/Prelu/Mul").orElseThrow().type());
        assertTrue(graph.op(HAND_FIRST_CONV + "/Prelu/Mul").orElseThrow().inputs()
                .contains("StatefulPartitionedCall/model/p_re_lu/Neg:0"), "alpha is the fused op's second argument");
        List<String> order = graph.ops().stream().map(OpNode::name).toList();
        assertTrue(order.indexOf(HAND_FIRST_CONV + "/Conv2D") < order.indexOf(HAND_FIRST_CONV + "/BiasAdd"));
        assertTrue(order.indexOf(HAND_FIRST_CONV + "/BiasAdd") < order.indexOf(HAND_FIRST_CONV));
    }

    @Test
    void fusedDepthwiseAndMatMulBecomeChains() throws Exception {
        ModelGraph graph = loader.load(TestModels.get("tfjs/mobilenet_v2_mid/model.json"), null).graph();
        String depthwise = MOBILENET + "expanded_conv/depthwise/depthwise";
        assertEquals("Relu6", graph.op(depthwise).orElseThrow().type());
        assertEquals(List.of(depthwise + "/BiasAdd:0"), graph.op(depthwise).orElseThrow().inputs());
        assertEquals("DepthwiseConv2dNative", graph.op(depthwise + "/DepthwiseConv2dNative").orElseThrow().type());
        String dense = "StatefulPartitionedCall/sequential/dense/BiasAdd";
        assertEquals("BiasAdd", graph.op(dense).orElseThrow().type(), "fused_ops [BiasAdd] alone ends in BiasAdd");
        assertEquals(dense + "/MatMul:0", graph.op(dense).orElseThrow().inputs().get(0));
        OpNode matMul = graph.op(dense + "/MatMul").orElseThrow();
        assertEquals("MatMul", matMul.type());
        assertEquals("false", matMul.attributes().get("transpose_b"));
        assertFalse(matMul.attributes().containsKey("fused_ops"));
    }

    @Test
    void handskeletonGivesTheReferenceValues() throws Exception {
        TfModel model = loader.load(TestModels.get("tfjs/handskeleton/handskeleton.json"), null);
        try (TFloat32 x = TestModels.ramp(1, 256, 256, 3)) {
            float[] out = TestModels.run(model, Map.of("input_1:0", x), "Identity:0").get(0);
            assertEquals(63, out.length);
            assertEquals(95.85501f, out[0], 1e-4);
            assertEquals(204.48889f, out[1], 1e-4);
        }
    }

    /** Expected values from TF.js's own CPU backend (tools/tfjs-oracle.js, input ramp). */
    @Test
    void uint8QuantizedMobilenetMatchesTfjs() throws Exception {
        TfModel model = loader.load(TestModels.get("tfjs/mobilenet_v2_mid/model.json"), null);
        try (TFloat32 x = TestModels.ramp(1, 224, 224, 3)) {
            float[] out = TestModels.run(model, Map.of("input:0", x), "Identity:0").get(0);
            assertArrayEquals(new float[] { 0.36632067f, 0.19517571f, 0.40770993f, 0.0065499549f, 0.024243729f }, out,
                    1e-5f);
        }
    }

    /** Expected values from TF.js's own CPU backend (tools/tfjs-oracle.js, input ramp). */
    @Test
    void float16HandLandmarkMatchesTfjs() throws Exception {
        TfModel model = loader.load(TestModels.get("tfjs/handlandmark-lite/handlandmark-lite.json"), null);
        try (TFloat32 x = TestModels.ramp(1, 224, 224, 3)) {
            List<float[]> out = TestModels.run(model, Map.of("input_1:0", x), "Identity:0", "Identity_1:0",
                    "Identity_2:0");
            assertArrayEquals(new float[] { 122.70754f, 174.90581f, -2.8401600e-6f, 105.83025f, 152.39523f, 8.387424f },
                    Arrays.copyOf(out.get(0), 6), 2e-3f);
            assertEquals(0.0025829009f, out.get(1)[0], 1e-6);
            assertEquals(0.56894094f, out.get(2)[0], 1e-5);
        }
    }

    /** Expected values from TF.js's own CPU backend (tools/tfjs-oracle.js, input ramp). */
    @Test
    void emotionMatchesTfjs() throws Exception {
        TfModel model = loader.load(TestModels.get("tfjs/emotion/emotion.json"), null);
        try (TFloat32 x = TestModels.ramp(1, 64, 64, 1)) {
            float[] out = TestModels.run(model, Map.of("input_1:0", x), "Identity:0").get(0);
            assertArrayEquals(new float[] { 3.628788e-4f, 0.15216067f, 1.1653090e-4f, 0.031247644f, 6.109085e-6f,
                    0.81610614f, 3.2659464e-8f }, out, 1e-5f);
        }
    }

    @Test
    void cancellingStopsTheLoad() {
        org.eclipse.core.runtime.NullProgressMonitor cancelled = new org.eclipse.core.runtime.NullProgressMonitor();
        cancelled.setCanceled(true);
        assertThrows(org.eclipse.core.runtime.OperationCanceledException.class,
                () -> loader.load(TestModels.get("tfjs/handskeleton/handskeleton.json"), cancelled));
    }

    @Test
    void refusesOtherJsonFiles(@TempDir Path dir) throws Exception {
        Path other = Files.writeString(dir.resolve("package.json"), "{\"name\": \"x\"}");
        assertFalse(loader.canLoad(other));
        assertFalse(loader.canLoad(TestModels.get("tfjs/handskeleton/handskeleton.bin")));
    }

    // through the TensorFlow backend, as the workbench and the command line run a loaded model

    private static Map<String, TensorData> runRamp(LoadedModel model) throws Exception {
        var signature = model.graph().defaultSignature().orElseThrow();
        PreparedInputs inputs = PreparedInputs.prepare(signature, List.of("ramp"));
        try (InferenceSession session = new TensorFlowBackend().open(model, Device.CPU)) {
            return session.fetch(inputs.feeds(), signature.outputs().stream().map(o -> o.tensor().name()).toList(),
                    Map.of(), new NullProgressMonitor());
        }
    }

    @Test
    void handskeletonMatchesTheReferenceValues() throws Exception {
        try (LoadedModel model = loader.load(TestModels.get("tfjs/handskeleton/handskeleton.json"), new NullProgressMonitor())) {
            ModelGraph graph = model.graph();
            SignatureTensor input = graph.defaultSignature().orElseThrow().inputs().get(0);
            assertEquals("input_1", input.key());
            assertEquals(DType.FLOAT32, input.tensor().dtype());
            assertEquals(Shape.of(1, 256, 256, 3), input.tensor().shape());
            TensorData identity = runRamp(model).get("Identity:0");
            assertEquals(95.85501, identity.getDouble(0), 1e-4);
            assertEquals(204.48889, identity.getDouble(1), 1e-4);
        }
    }

    @Test
    void fusedOpsBecomePlainOpsAndTheLastKeepsTheName() throws Exception {
        try (LoadedModel model = loader.load(TestModels.get("tfjs/handskeleton/handskeleton.json"), new NullProgressMonitor())) {
            ModelGraph graph = model.graph();
            assertTrue(graph.ops().stream().noneMatch(op -> op.type().startsWith("_Fused")), "fused ops left");
            String fused = "StatefulPartitionedCall/model/batch_normalization/FusedBatchNormV3";
            OpNode last = graph.op(fused).orElseThrow();
            assertEquals("SelectV2", last.type(), "[BiasAdd, Prelu] ends in the PReLU select");
            assertEquals("Conv2D", graph.op(fused + "/Conv2D").orElseThrow().type());
            assertEquals("BiasAdd", graph.op(fused + "/BiasAdd").orElseThrow().type());
            assertEquals("2", String.valueOf(graph.op(fused + "/Conv2D").orElseThrow().attributes().get("strides").chars()
                    .filter(c -> c == '2').count()), "strides [1, 2, 2, 1] kept");
            assertEquals(145, graph.weights().stream().filter(w -> !w.opName().contains("/Prelu/")).count(),
                    "the manifest's weights");
            assertTrue(graph.weights().stream().allMatch(w -> w.nonFiniteCount() == 0));
        }
    }

    @Test
    void everyTfjsModelLoadsAndRuns() throws Exception {
        for (String name : List.of("tfjs/emotion/emotion.json", "tfjs/handlandmark-lite/handlandmark-lite.json",
                "tfjs/mobilenet_v2_mid/model.json")) {
            Path file = TestModels.get(name);
            assertTrue(loader.canLoad(file), name);
            try (LoadedModel model = loader.load(file, new NullProgressMonitor())) {
                Map<String, TensorData> outputs = runRamp(model);
                assertFalse(outputs.isEmpty(), name);
                for (TensorData t : outputs.values()) {
                    for (long i = 0; i < t.size(); i++) {
                        assertTrue(Double.isFinite(t.getDouble(i)), name + " " + t.name() + "[" + i + "]");
                    }
                }
            }
        }
    }

    @Test
    void quantizedMobilenetGivesProbabilities() throws Exception {
        try (LoadedModel model = loader.load(TestModels.get("tfjs/mobilenet_v2_mid/model.json"), new NullProgressMonitor())) {
            assertEquals(Shape.of(-1, 224, 224, 3), model.graph().defaultSignature().orElseThrow().inputs().get(0).tensor().shape());
            TensorData out = runRamp(model).get("Identity:0");
            assertEquals(5, out.size());
            double sum = 0;
            for (int i = 0; i < 5; i++) {
                sum += out.getDouble(i);
            }
            assertEquals(1.0, sum, 1e-4, "softmax over 5 classes");
        }
    }

    @Test
    void corruptModelJsonNamesTheFileAndTheProblem(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("model.json");
        String full = Files.readString(TestModels.get("tfjs/emotion/emotion.json"));
        Files.writeString(json, full.substring(0, full.length() / 2));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> loader.load(json, new NullProgressMonitor()));
        assertTrue(e.getMessage().startsWith(json + ": not valid JSON (truncated or corrupt)"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void shortOrMissingShardNamesTheProblem(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("emotion.json");
        Files.copy(TestModels.get("tfjs/emotion/emotion.json"), json);
        ModelLoadException missing = assertThrows(ModelLoadException.class, () -> loader.load(json, new NullProgressMonitor()));
        assertEquals(dir.resolve("emotion.bin") + ": missing (the model refers to it)", missing.getMessage());
        byte[] bin = Files.readAllBytes(TestModels.get("tfjs/emotion/emotion.bin"));
        Files.write(dir.resolve("emotion.bin"), java.util.Arrays.copyOf(bin, bin.length - 100));
        ModelLoadException shortShard = assertThrows(ModelLoadException.class, () -> loader.load(json, new NullProgressMonitor()));
        assertTrue(shortShard.getMessage().startsWith(json + ": the weight file emotion.bin has " + (bin.length - 100)
                + " bytes, the weights manifest declares " + bin.length + " (missing or truncated shard?)"),
                shortShard.getMessage());
    }

    static void assertOneLine(ModelLoadException e) {
        assertFalse(e.getMessage().contains("\n"), "message spans lines: " + e.getMessage());
        assertFalse(e.getMessage().contains("Exception"), "message shows an exception: " + e.getMessage());
    }

    static void assertTopological(ModelGraph graph) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (OpNode op : graph.ops()) {
            for (String input : op.inputs()) {
                assertTrue(seen.contains(input.substring(0, input.lastIndexOf(':'))),
                        op.name() + " comes before its input " + input);
            }
            seen.add(op.name());
        }
    }
}
