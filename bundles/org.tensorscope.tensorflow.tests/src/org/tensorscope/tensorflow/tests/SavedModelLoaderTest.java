package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.tensorflow.internal.TensorFlowBackend;
import org.tensorscope.tensorflow.internal.load.SavedModelLoader;

class SavedModelLoaderTest {

    private final SavedModelLoader loader = new SavedModelLoader();

    private static Map<String, TensorData> run(LoadedModel model, Signature signature, List<String> inputs)
            throws Exception {
        PreparedInputs prepared = PreparedInputs.prepare(signature, inputs);
        try (InferenceSession session = new TensorFlowBackend().open(model, Device.CPU)) {
            return session.fetch(prepared.feeds(), signature.outputs().stream().map(o -> o.tensor().name()).toList(),
                    Map.of(), new NullProgressMonitor());
        }
    }

    private static String describe(ModelGraph graph) {
        return graph.signatures().stream().map(s -> s.key() + s.inputs().stream().map(i -> i.key() + "=" + i.tensor())
                .toList() + "->" + s.outputs().stream().map(o -> o.key() + "=" + o.tensor().name()).toList())
                .collect(Collectors.joining("; "));
    }

    @Test
    void tf1HalfPlusTwoComputesHalfOfXPlusTwo() throws Exception {
        Path dir = TestModels.get("savedmodel/tf1_half_plus_two");
        assertTrue(loader.canLoad(dir));
        try (LoadedModel model = loader.load(dir, new NullProgressMonitor())) {
            ModelGraph graph = model.graph();
            Signature serving = graph.defaultSignature().orElseThrow();
            assertEquals("serving_default", serving.key(), describe(graph));
            assertTrue(graph.ops().stream().noneMatch(op -> op.type().startsWith("Variable")), "variables frozen");
            assertTrue(graph.ops().stream().noneMatch(op -> op.type().equals("SaveV2")), "saver pruned");
            Path x = Files.createTempFile("x", ".npy");
            org.tensorscope.core.input.Npy.write(TensorData.ofFloats("x", org.tensorscope.core.model.Shape.of(3, 1), 1f, 2f, 3f), x);
            TensorData y = run(model, serving, List.of(x.toString())).values().iterator().next();
            assertEquals(2.5, y.getDouble(0), 1e-6);
            assertEquals(3.0, y.getDouble(1), 1e-6);
            assertEquals(3.5, y.getDouble(2), 1e-6);
            Files.delete(x);
        }
    }

    @Test
    void tf2FunctionsAreInlinedSoTheirOpsAreListed() throws Exception {
        Path dir = TestModels.get("savedmodel/tf2_python_functions");
        try (LoadedModel model = loader.load(dir, new NullProgressMonitor())) {
            ModelGraph graph = model.graph();
            assertTrue(graph.ops().stream().noneMatch(op -> op.type().endsWith("PartitionedCall")),
                    "calls left: " + graph.ops().stream().filter(op -> op.type().endsWith("PartitionedCall")).toList());
            assertEquals(List.of("add", "get_const_matrix", "get_const_scalar", "get_const_vector", "get_variable"),
                    graph.signatures().stream().map(Signature::key).sorted().toList(), describe(graph));
            assertTrue(graph.ops().stream().anyMatch(op -> op.name().startsWith("StatefulPartitionedCall") && op.name().contains("/")),
                    "ops from inside function bodies: " + graph.ops().stream().map(op -> op.name() + ":" + op.type()).toList());
            Signature scalar = graph.signature("get_const_scalar").orElseThrow();
            Path input = Files.createTempFile("scalar", ".npy");
            org.tensorscope.core.input.Npy.write(TensorData.ofFloats("input", org.tensorscope.core.model.Shape.of(), 0f), input);
            TensorData value = run(model, scalar, List.of(input.toString())).values().iterator().next();
            Files.delete(input);
            assertTrue(Double.isFinite(value.getDouble(0)), describe(graph));
        }
    }

    @Test
    void missingVariablesFolderIsReportedAtLoad(@TempDir Path dir) throws Exception {
        Files.copy(TestModels.get("savedmodel/tf1_half_plus_two/saved_model.pb"), dir.resolve("saved_model.pb"));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> loader.load(dir, new NullProgressMonitor()));
        assertEquals(dir + ": the variables/ folder is missing: the model's weights cannot be read", e.getMessage());
    }

    @Test
    void truncatedVariablesAreReportedAtLoad(@TempDir Path dir) throws Exception {
        Path source = TestModels.get("savedmodel/tf1_half_plus_two");
        Files.copy(source.resolve("saved_model.pb"), dir.resolve("saved_model.pb"));
        Files.createDirectories(dir.resolve("variables"));
        Files.copy(source.resolve("variables/variables.index"), dir.resolve("variables/variables.index"));
        byte[] data = Files.readAllBytes(source.resolve("variables/variables.data-00000-of-00001"));
        Files.write(dir.resolve("variables/variables.data-00000-of-00001"), java.util.Arrays.copyOf(data, data.length / 2));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> loader.load(dir, new NullProgressMonitor()));
        assertTrue(e.getMessage().startsWith(dir + ": TensorFlow cannot load the SavedModel"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void corruptSavedModelProtobufNamesTheFile(@TempDir Path dir) throws Exception {
        byte[] pb = Files.readAllBytes(TestModels.get("savedmodel/tf1_half_plus_two/saved_model.pb"));
        Files.write(dir.resolve("saved_model.pb"), java.util.Arrays.copyOf(pb, pb.length / 3));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> loader.load(dir, new NullProgressMonitor()));
        assertEquals(dir.resolve("saved_model.pb") + ": not a valid SavedModel (the protobuf is truncated or corrupt)",
                e.getMessage());
    }
}
