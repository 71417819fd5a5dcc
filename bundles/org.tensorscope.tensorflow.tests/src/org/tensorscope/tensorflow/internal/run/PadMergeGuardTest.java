package org.tensorscope.tensorflow.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * Which Pads the guard writes as PadV2: those an Add or a convolution's side input reads, directly or through the
 * Identity-like ops grappler removes before TensorFlow's oneDNN pass merges Pads into convolutions; not those only
 * read as a convolution's input.
 */
class PadMergeGuardTest {

    @Test
    void aPadAnAddReadsThroughAnIdentityIsWrittenAsPadV2() {
        GraphDef guarded = PadMergeGuard.guard(graph(
                node("x", "Placeholder"), node("paddings", "Const"), node("pad", "Pad", "x", "paddings"),
                node("same", "Identity", "pad"), node("kept", "StopGradient", "same"),
                node("residual", "AddV2", "x", "kept")));
        NodeDef pad = find(guarded, "pad");
        assertEquals("PadV2", pad.getOp());
        assertEquals(List.of("x", "paddings", "pad/tensorscope_pad_value"), pad.getInputList());
        assertEquals("Const", find(guarded, "pad/tensorscope_pad_value").getOp());
    }

    @Test
    void aPadAConvolutionReadsAsItsSideInputThroughAnIdentityIsWrittenAsPadV2() {
        GraphDef guarded = PadMergeGuard.guard(graph(
                node("x", "Placeholder"), node("paddings", "Const"), node("pad", "Pad", "x", "paddings"),
                node("same", "Identity", "pad:0"), node("w", "Const"), node("conv", "Conv2D", "x", "same")));
        assertEquals("PadV2", find(guarded, "pad").getOp());
    }

    @Test
    void aPadOnlyAConvolutionReadsAsItsInputIsKept() {
        GraphDef graph = graph(node("x", "Placeholder"), node("paddings", "Const"), node("pad", "Pad", "x", "paddings"),
                node("same", "Identity", "pad"), node("w", "Const"), node("conv", "Conv2D", "same", "w"),
                node("pool", "MaxPool", "pad"));
        assertSame(graph, PadMergeGuard.guard(graph));
    }

    @Test
    void identitiesThatReadEachOtherEndTheSearch() {
        GraphDef graph = graph(node("x", "Placeholder"), node("paddings", "Const"), node("pad", "Pad", "x", "paddings"),
                node("a", "Identity", "b"), node("b", "Identity", "a"), node("residual", "AddV2", "x", "a"));
        assertSame(graph, PadMergeGuard.guard(graph));
    }

    private static GraphDef graph(NodeDef... nodes) {
        return GraphDef.newBuilder().addAllNode(List.of(nodes)).build();
    }

    private static NodeDef node(String name, String op, String... inputs) {
        return NodeDef.newBuilder().setName(name).setOp(op).addAllInput(List.of(inputs))
                .putAttr("T", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build()).build();
    }

    private static NodeDef find(GraphDef graph, String name) {
        return graph.getNodeList().stream().filter(n -> n.getName().equals(name)).findFirst().orElseThrow();
    }
}
