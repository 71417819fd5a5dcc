package org.tensorscope.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.tensorscope.core.model.CollapsedGraph;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.ui.internal.graph.GraphDrawing;
import org.tensorscope.ui.internal.graph.GraphDrawing.Box;
import org.tensorscope.ui.internal.graph.GraphDrawing.Route;
import org.tensorscope.ui.internal.graph.GraphLayout;

/** ELK's layered layout of model graphs: data flows downwards and boxes never overlap. */
class GraphLayoutTest {

    /** 1,001 ops: an input, then 50 residual blocks of 20 ops each. */
    private static ModelGraph residualModel() {
        List<OpNode> ops = new ArrayList<>();
        ops.add(new OpNode("input", "Placeholder", "", Map.of(), List.of(), List.of()));
        String blockInput = "input:0";
        for (int block = 0; block < 50; block++) {
            String previous = blockInput;
            for (int layer = 0; layer < 19; layer++) {
                String name = "block" + block + "/layer" + layer;
                ops.add(new OpNode(name, layer % 2 == 0 ? "Conv2D" : "Relu", "", Map.of(), List.of(previous), List.of()));
                previous = name + ":0";
            }
            String add = "block" + block + "/add";
            ops.add(new OpNode(add, "AddV2", "", Map.of(), List.of(previous, blockInput), List.of()));
            blockInput = add + ":0";
        }
        return new ModelGraph(Path.of("residual"), "test", ops, List.of(), List.of());
    }

    @Test
    void everyOpOfAThousandOpModelGetsABoxAndEveryEdgeRunsDownwards() {
        ModelGraph model = residualModel();
        CollapsedGraph all = CollapsedGraph.of(model, CollapsedGraph.everyScope(model));
        GraphDrawing drawing = GraphLayout.layout(all, new NullProgressMonitor());

        assertEquals(1001, drawing.boxes().size());
        assertEquals(all.edges().size(), drawing.routes().size());
        for (Route route : drawing.routes()) {
            Box from = drawing.box(route.edge().from()).orElseThrow();
            Box to = drawing.box(route.edge().to()).orElseThrow();
            assertTrue(from.y() + from.height() <= to.y(), route.edge() + " does not run downwards");
        }
        assertNoOverlap(drawing.boxes());
        Box add = drawing.box("block3/add").orElseThrow();
        assertEquals(add, drawing.boxAt(add.centerX(), add.centerY()).orElseThrow(), "hit testing finds the box");
    }

    @Test
    void foldedModelLaysOutScopeBoxesWithTheirOpCounts() {
        CollapsedGraph folded = CollapsedGraph.readable(residualModel(), 120);
        GraphDrawing drawing = GraphLayout.layout(folded, new NullProgressMonitor());
        assertTrue(drawing.boxes().size() <= 120, drawing.boxes().size() + " boxes");
        assertTrue(drawing.boxes().stream().anyMatch(b -> b.node().isScope()), "some scopes stay folded");
        assertEquals(1001, drawing.boxes().stream().mapToInt(b -> b.node().opCount()).sum());
        assertNoOverlap(drawing.boxes());
    }

    private static void assertNoOverlap(List<Box> boxes) {
        for (int i = 0; i < boxes.size(); i++) {
            Box a = boxes.get(i);
            for (int j = i + 1; j < boxes.size(); j++) {
                Box b = boxes.get(j);
                boolean apart = a.x() + a.width() <= b.x() || b.x() + b.width() <= a.x()
                        || a.y() + a.height() <= b.y() || b.y() + b.height() <= a.y();
                assertTrue(apart, a.node().id() + " overlaps " + b.node().id());
            }
        }
    }
}
