package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.SignatureTensor;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.tensorflow.internal.TensorFlowBackend;
import org.tensorscope.tensorflow.internal.load.TfjsGraphModelLoader;

class TfjsGraphModelLoaderTest {

    private final TfjsGraphModelLoader loader = new TfjsGraphModelLoader();

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
            assertEquals("AddV2", last.type(), "[BiasAdd, Prelu] ends in the PReLU sum");
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
}
