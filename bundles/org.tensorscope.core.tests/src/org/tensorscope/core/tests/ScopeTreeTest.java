package org.tensorscope.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.ScopeTree;

class ScopeTreeTest {

    private static OpNode op(String name, String type) {
        return new OpNode(name, type, "", Map.of(), List.of(), List.of());
    }

    private static final ModelGraph GRAPH = new ModelGraph(Path.of("m"), "test",
            List.of(op("input", "Placeholder"), op("block1/conv/Conv2D", "Conv2D"), op("block1/conv", "BiasAdd"),
                    op("block1/relu", "Relu"), op("block2/conv/Conv2D", "Conv2D"), op("out", "Identity")),
            List.of(), List.of());

    @Test
    void groupsOpsByScopeKeepingTheirOrder() {
        ScopeTree root = ScopeTree.of(GRAPH, op -> true);
        assertEquals(List.of("input", "block1", "block2", "out"), root.children().stream().map(ScopeTree::name).toList());
        ScopeTree block1 = root.children().get(1);
        assertNull(block1.op(), "block1 is only a scope");
        assertEquals(3, block1.opCount());
        ScopeTree conv = block1.children().get(0);
        assertEquals("block1/conv", conv.path());
        assertEquals("BiasAdd", conv.op().type(), "an op can also be a scope");
        assertEquals("Conv2D", conv.children().get(0).op().type());
    }

    @Test
    void filterKeepsOnlyMatchingOpsAndTheirScopes() {
        ScopeTree root = ScopeTree.of(GRAPH, op -> op.type().equals("Conv2D"));
        assertEquals(List.of("block1", "block2"), root.children().stream().map(ScopeTree::name).toList());
        assertEquals(2, root.opCount());
    }
}
