package org.tensorscope.onnx.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorscope.core.model.SideEffectOps;
import org.tensorscope.onnx.internal.OnnxModel;
import org.tensorscope.onnx.internal.load.OnnxModelLoader;
import org.tensorscope.onnx.tests.TinyOnnxModels.Attribute;

/** The op guard on ONNX: ops of custom domains run code Tensorscope cannot inspect, in subgraphs too. */
class OnnxOpGuardTest {

    @TempDir
    Path folder;

    private final OnnxModelLoader loader = new OnnxModelLoader();

    private List<String> flagged(Path file) throws Exception {
        try (OnnxModel model = loader.load(file, new NullProgressMonitor())) {
            return SideEffectOps.in(model.graph()).stream().map(SideEffectOps::describe).toList();
        }
    }

    @Test
    void anOpOfACustomDomainIsFlaggedAndOneOnnxRuntimeImplementsIsNot() throws Exception {
        Path custom = new TinyOnnxModels().input("x", 2).customNode("load", "com.example.io", "FileLoader",
                List.of("x"), "y").output("y", 2).write(folder, "custom");
        assertEquals(List.of("load (FileLoader: custom op from domain com.example.io: runs code Tensorscope cannot "
                + "inspect)"), flagged(custom));
        Path builtIn = new TinyOnnxModels().input("x", 2).customNode("gelu", "com.microsoft", "Gelu", List.of("x"), "y")
                .output("y", 2).write(folder, "contrib");
        assertEquals(List.of(), flagged(builtIn));
    }

    @Test
    void anOpOfACustomDomainInsideAnIfBranchIsFlagged() throws Exception {
        TinyOnnxModels then = new TinyOnnxModels().customNode("peek", "org.evil", "Peek", List.of("x"), "y_then")
                .output("y_then", 2);
        TinyOnnxModels otherwise = new TinyOnnxModels().node("root", "Sqrt", List.of("x"), "y_else").output("y_else", 2);
        Path file = new TinyOnnxModels().input("x", 2).scalarInitializer("zero", 0f)
                .node("max", "ReduceMax", List.of("x"), List.of("m"), Attribute.integer("keepdims", 0))
                .node("positive", "Greater", List.of("m", "zero"), "cond")
                .node("choose", "If", List.of("cond"), List.of("y"), Attribute.graph("then_branch", then),
                        Attribute.graph("else_branch", otherwise))
                .output("y", 2).write(folder, "custom_in_branch");
        assertEquals(List.of("choose/then_branch/peek (Peek: custom op from domain org.evil: runs code Tensorscope "
                + "cannot inspect)"), flagged(file));
    }

    @Test
    void realModelsHoldNothingTheGuardRefuses() throws Exception {
        assertEquals(List.of(), flagged(OnnxModelLoaderTest.CLASSIFIER));
        assertEquals(List.of(), flagged(OnnxSubgraphTest.SILERO));
    }
}
