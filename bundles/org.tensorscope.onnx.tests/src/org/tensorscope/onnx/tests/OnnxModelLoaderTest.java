package org.tensorscope.onnx.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.WeightInfo;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.onnx.internal.OnnxModel;
import org.tensorscope.onnx.internal.load.OnnxModelLoader;

class OnnxModelLoaderTest {

    static final Path CLASSIFIER = Path.of("../../testdata/onnx/ch_ppocr_mobile_v2.0_cls_infer.onnx").toAbsolutePath()
            .normalize();

    @TempDir
    Path folder;

    private final OnnxModelLoader loader = new OnnxModelLoader();

    @Test
    void readsThePaddleOcrClassifier() throws Exception {
        try (OnnxModel model = loader.load(CLASSIFIER, new NullProgressMonitor())) {
            ModelGraph graph = model.graph();
            assertEquals("ONNX", graph.format());
            assertEquals(9, model.file().defaultOpset());
            // 471 nodes (250 of them Constant weights) plus the graph input
            assertEquals(472, graph.ops().size());
            assertEquals(53, graph.ops().stream().filter(op -> op.type().equals("Conv")).count());
            assertEquals(250, graph.weights().size());
            assertTrue(graph.weights().stream().allMatch(WeightInfo::isHealthy));
            Signature signature = graph.defaultSignature().orElseThrow();
            assertEquals("x", signature.inputs().get(0).key());
            assertEquals(DType.FLOAT32, signature.inputs().get(0).tensor().dtype());
            assertEquals(Shape.of(Shape.UNKNOWN, 3, Shape.UNKNOWN, Shape.UNKNOWN), signature.inputs().get(0).tensor().shape());
            assertEquals("softmax_0.tmp_0", signature.outputs().get(0).key());
            assertEquals(Shape.of(Shape.UNKNOWN, 2), signature.outputs().get(0).tensor().shape());
            OpNode last = graph.ops().get(graph.ops().size() - 1);
            assertEquals("Softmax", last.type());
            assertEquals("1", last.attributes().get("axis"));
            assertEquals(signature.outputs().get(0).tensor().name(), last.outputs().get(0).name());
        }
    }

    @Test
    void everyInputIsProducedBeforeItIsRead() throws Exception {
        try (OnnxModel model = loader.load(CLASSIFIER, new NullProgressMonitor())) {
            var produced = new java.util.HashSet<String>();
            for (OpNode op : model.graph().ops()) {
                for (String input : op.inputs()) {
                    assertTrue(produced.contains(input), op.name() + " reads " + input + " before it is produced");
                }
                op.outputs().forEach(t -> produced.add(t.name()));
            }
        }
    }

    @Test
    void recognisesOnnxFilesButNotTensorFlowOnes() throws Exception {
        assertTrue(loader.canLoad(CLASSIFIER));
        Path savedModel = Path.of("../../testdata/savedmodel/tf1_half_plus_two/saved_model.pb").toAbsolutePath();
        assertFalse(loader.canLoad(savedModel));
        Path renamed = folder.resolve("classifier.model");
        Files.copy(CLASSIFIER, renamed);
        assertTrue(loader.canLoad(renamed), "sniffed by its first bytes");
    }

    @Test
    void aTruncatedFileIsOneLineNamingTheFileAndTheProblem() throws Exception {
        byte[] bytes = Files.readAllBytes(CLASSIFIER);
        Path truncated = folder.resolve("truncated.onnx");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> loader.load(truncated, new NullProgressMonitor()));
        assertEquals(truncated + ": not a valid ONNX model: the file ends in the middle of a field (truncated?)",
                e.getMessage());
    }

    @Test
    void aCorruptFileIsOneLineNamingTheFileAndTheProblem() throws Exception {
        Path corrupt = folder.resolve("corrupt.onnx");
        Files.write(corrupt, new byte[] { 0x08, 0x08, 0x3a, 0x04, 0x0a, 0x02, 0x12, 0x00 });
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> loader.load(corrupt, new NullProgressMonitor()));
        assertTrue(e.getMessage().startsWith(corrupt + ": not a valid ONNX model: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void aNodeReadingAnUnknownTensorIsReported() throws Exception {
        Path file = new TinyOnnxModels().input("x", 2).node("log", "Log", java.util.List.of("nowhere"), "y")
                .output("y", 2).write(folder, "dangling");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> loader.load(file, new NullProgressMonitor()));
        assertEquals(file + ": not a valid ONNX model: node 'log' (Log) reads 'nowhere', which no earlier node, input "
                + "or initializer produces", e.getMessage());
    }

    /** Found by the fuzzer: eight-byte int64 values written into a float tensor's four-byte slots overflowed it. */
    @Test
    void valuesInAListOfAnotherTypeAreOneLineNamingTheTensor() throws Exception {
        Path file = new TinyOnnxModels().input("x", 2).floatInitializerInInt64Data("w", 1, 2)
                .node("add", "Add", java.util.List.of("x", "w"), "y").output("y", 2).write(folder, "mistyped");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> loader.load(file, new NullProgressMonitor()));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().endsWith("w is float32 but holds its values in int64_data, which cannot hold that type"),
                e.getMessage());
    }

    @Test
    void externalDataIsRefusedWithoutReadingIt() throws Exception {
        Path secret = java.nio.file.Files.writeString(folder.resolve("secret.bin"), "TOP-SECRET-BYTES");
        Path file = new TinyOnnxModels().input("x", 4).externalInitializer("w", 4, secret.toString())
                .node("add", "Add", java.util.List.of("x", "w"), "y").output("y", 4).write(folder, "external");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> loader.load(file, new NullProgressMonitor()));
        assertEquals(file + ": initializer w keeps its values in a separate file (ONNX external data), which Tensorscope "
                + "does not read; save the model with its data inside (onnx.save_model(model, path, "
                + "save_as_external_data=False))", e.getMessage());
    }

    @Test
    void sileroListsTheNodesOfItsBranchesUnderTheirIf() throws Exception {
        try (OnnxModel model = loader.load(OnnxSubgraphTest.SILERO, new NullProgressMonitor())) {
            ModelGraph graph = model.graph();
            // 5 nodes and 3 inputs in the main graph; the rest inside the branches of If_0 and the Ifs nested in them
            assertEquals(692, graph.ops().size());
            assertEquals(342, graph.ops().stream().filter(op -> op.name().startsWith("If_0/then_branch/")).count());
            assertEquals(342, graph.ops().stream().filter(op -> op.name().startsWith("If_0/else_branch/")).count());
            assertEquals(25, graph.ops().stream().filter(op -> op.type().equals("If")).count());
            assertEquals(4, graph.ops().stream().filter(op -> op.type().equals("LSTM")).count());
            OpNode pad = graph.op("If_0/then_branch/If_0_then_branch__Inline_0__/stft/padding/Pad").orElseThrow();
            assertEquals("input:0", pad.inputs().get(0), "a branch reads the main graph's input");
            OpNode parent = graph.op("If_0").orElseThrow();
            assertEquals(List.of("Equal_0:0"), parent.inputs());
            assertEquals(DType.FLOAT32, parent.outputs().get(0).dtype(), "an If output has its branches' type");
            assertTrue(graph.ops().indexOf(pad) < graph.ops().indexOf(parent), "a branch's nodes come before its If");
            Signature signature = graph.defaultSignature().orElseThrow();
            assertEquals("[?,?]", signature.inputs().get(0).tensor().shape().toString());
            assertEquals("[2,?,128]", signature.inputs().get(1).tensor().shape().toString());
            assertEquals(DType.INT64, signature.inputs().get(2).tensor().dtype());
            assertEquals(341, graph.weights().size(), "the Constant nodes of both branches");
            var produced = new java.util.HashSet<String>();
            for (OpNode op : graph.ops()) {
                for (String input : op.inputs()) {
                    assertTrue(produced.contains(input), op.name() + " reads " + input + " before it is produced");
                }
                op.outputs().forEach(t -> produced.add(t.name()));
            }
        }
    }
}
