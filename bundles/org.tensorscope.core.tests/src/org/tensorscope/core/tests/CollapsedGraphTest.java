package org.tensorscope.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.tensorscope.core.model.CollapsedGraph;
import org.tensorscope.core.model.CollapsedGraph.Edge;
import org.tensorscope.core.model.CollapsedGraph.Node;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;

class CollapsedGraphTest {

    private static OpNode op(String name, String type, String... inputs) {
        return new OpNode(name, type, "", Map.of(), List.of(inputs), List.of());
    }

    private static final ModelGraph GRAPH = new ModelGraph(Path.of("m"), "test",
            List.of(op("input", "Placeholder"),
                    op("block1/conv/Conv2D", "Conv2D", "input:0"),
                    op("block1/conv", "BiasAdd", "block1/conv/Conv2D:0"),
                    op("block1/relu", "Relu", "block1/conv:0"),
                    op("block2/conv/Conv2D", "Conv2D", "block1/relu:0"),
                    op("out", "Identity", "block2/conv/Conv2D:0", "block1/relu:0")),
            List.of(), List.of());

    @Test
    void collapsedScopesBecomeOneBoxJoinedByTheEdgesCrossingThem() {
        CollapsedGraph drawn = CollapsedGraph.of(GRAPH, Set.of());
        assertEquals(List.of("input", "scope:block1", "scope:block2", "out"),
                drawn.nodes().stream().map(Node::id).toList());
        Node block1 = drawn.node("scope:block1").orElseThrow();
        assertEquals(3, block1.opCount());
        assertEquals("block1", block1.scope());
        assertEquals(List.of(new Edge("input", "scope:block1", 1), new Edge("scope:block1", "scope:block2", 1),
                new Edge("scope:block2", "out", 1), new Edge("scope:block1", "out", 1)), drawn.edges());
        assertEquals("scope:block1", drawn.nodeOf("block1/conv/Conv2D").orElseThrow());
        assertEquals(Set.of("block1/conv/Conv2D", "block1/conv", "block1/relu"), drawn.opsOf("scope:block1"));
    }

    @Test
    void expandingAScopeShowsItsOpsAndAnOpThatIsAlsoAScopeFoldsWithIt() {
        CollapsedGraph drawn = CollapsedGraph.of(GRAPH, Set.of("block1"));
        assertEquals(List.of("input", "scope:block1/conv", "block1/relu", "scope:block2", "out"),
                drawn.nodes().stream().map(Node::id).toList());
        assertEquals("scope:block1/conv", drawn.nodeOf("block1/conv").orElseThrow(),
                "the BiasAdd named like its scope is drawn inside that scope's box");
        assertTrue(drawn.edges().contains(new Edge("scope:block1/conv", "block1/relu", 1)));
    }

    @Test
    void togglingExpandsEnclosingScopesAndFoldsNestedOnes() {
        CollapsedGraph drawn = CollapsedGraph.of(GRAPH, Set.of());
        assertEquals(Set.of("block1", "block1/conv"), drawn.toggled("block1/conv"));
        CollapsedGraph open = CollapsedGraph.of(GRAPH, Set.of("block1", "block1/conv"));
        assertEquals(Set.of(), open.toggled("block1"));
        assertEquals("block1/conv/Conv2D", open.nodeOf("block1/conv/Conv2D").orElseThrow());
        CollapsedGraph revealed = CollapsedGraph.of(GRAPH, drawn.revealing("block1/conv"));
        assertEquals("block1/conv", revealed.nodeOf("block1/conv").orElseThrow(),
                "an op that is also a scope gets its own box when revealed");
    }

    @Test
    void aThousandOpModelIsFoldedToAReadableNumberOfBoxes() {
        List<OpNode> ops = new ArrayList<>();
        ops.add(op("input", "Placeholder"));
        String previous = "input:0";
        for (int block = 0; block < 50; block++) {
            for (int layer = 0; layer < 20; layer++) {
                String name = "block" + block + "/layer" + layer + "/op";
                ops.add(op(name, "Relu", previous));
                previous = name + ":0";
            }
        }
        ModelGraph big = new ModelGraph(Path.of("big"), "test", ops, List.of(), List.of());
        CollapsedGraph drawn = CollapsedGraph.readable(big, 150);
        assertTrue(drawn.nodes().size() <= 150, drawn.nodes().size() + " boxes");
        assertEquals(1001, drawn.nodes().stream().mapToInt(Node::opCount).sum(), "every op is in some box");
        assertEquals(drawn.nodes().size() - 1, drawn.edges().size(), "a chain stays a chain");
    }

    @Test
    void opsNamedFromTheRootAsOnnxExportersDoCanBeRevealedAndFolded() {
        ModelGraph onnx = new ModelGraph(Path.of("m.onnx"), "test", List.of(op("input", "Input"),
                op("/features/conv/Conv", "Conv", "input:0"), op("/features/relu/Relu", "Relu", "/features/conv/Conv:0")),
                List.of(), List.of());
        CollapsedGraph folded = CollapsedGraph.of(onnx, Set.of());
        assertEquals(List.of("input", "scope:"), folded.nodes().stream().map(Node::id).toList());
        CollapsedGraph revealed = CollapsedGraph.of(onnx, folded.revealing("/features/relu/Relu"));
        assertEquals("/features/relu/Relu", revealed.nodeOf("/features/relu/Relu").orElseThrow());
        assertEquals(Set.of("", "/features"), folded.toggled("/features"));
    }

    @Test
    void aModelWrappedInOneScopeIsOpenedEvenPastTheLimit() {
        List<OpNode> ops = new ArrayList<>();
        ops.add(op("input", "Placeholder"));
        String previous = "input:0";
        for (int layer = 0; layer < 200; layer++) {
            String name = "StatefulPartitionedCall/model/layer" + layer;
            ops.add(op(name, "Relu", previous));
            previous = name + ":0";
        }
        ops.add(op("Identity", "Identity", previous));
        ModelGraph wrapped = new ModelGraph(Path.of("wrapped"), "test", ops, List.of(), List.of());
        CollapsedGraph drawn = CollapsedGraph.readable(wrapped, 120);
        assertEquals(202, drawn.nodes().size(), "one box per layer rather than one box for the whole model");
    }

    @Test
    void scopesNestedTwentyThousandDeepAreFoldedWithoutOverflowingTheStack() {
        String deep = "s/".repeat(20_000) + "leaf";
        ModelGraph graph = new ModelGraph(Path.of("m"), "test",
                List.of(op("input", "Placeholder"), op(deep, "Identity", "input:0"), op("out", "Identity", deep + ":0")),
                List.of(), List.of());
        CollapsedGraph folded = CollapsedGraph.of(graph, Set.of());
        assertEquals(List.of("input", "scope:s", "out"), folded.nodes().stream().map(Node::id).toList());
        assertEquals(1, folded.node("scope:s").orElseThrow().opCount());
        Set<String> every = CollapsedGraph.everyScope(graph);
        assertEquals(20_000, every.size());
        CollapsedGraph open = CollapsedGraph.of(graph, every);
        assertEquals(List.of("input", deep, "out"), open.nodes().stream().map(Node::id).toList());
    }
}
