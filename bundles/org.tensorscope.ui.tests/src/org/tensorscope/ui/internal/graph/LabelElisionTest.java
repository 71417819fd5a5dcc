package org.tensorscope.ui.internal.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tensorscope.core.model.CollapsedGraph;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.TensorSpec;

/** Graph boxes shorten long names in the middle and give the whole name on hover. */
class LabelElisionTest {

    private static final String NAME = "batch_normalization_12/FusedBatchNormV3";

    @Test
    void aLongNameKeepsItsStartAndItsEnd() {
        String shown = LabelElision.middle(NAME, 17, String::length);
        assertEquals(17, shown.length());
        assertEquals("batch_no…chNormV3", shown);
    }

    @Test
    void aNameThatFitsIsLeftAlone() {
        assertEquals("Conv2D", LabelElision.middle("Conv2D", 17, String::length));
        assertEquals(NAME, LabelElision.middle(NAME, NAME.length(), String::length));
    }

    @Test
    void nothingButTheEllipsisWhenNoCharacterFits() {
        assertEquals("…", LabelElision.middle(NAME, 1, String::length));
    }

    @Test
    void hoveringABoxGivesTheWholeNameAndType() {
        OpNode op = new OpNode("model/block_12/batch_normalization_12/FusedBatchNormV3", "FusedBatchNormV3", "",
                Map.of(), List.of(), List.of(new TensorSpec("model/block_12/batch_normalization_12/FusedBatchNormV3:0",
                        DType.FLOAT32, Shape.of(1, 8))));
        var box = new GraphDrawing.Box(new CollapsedGraph.Node(op.name(), "FusedBatchNormV3", op.type(), op, null, 1),
                0, 0, 100, 40);
        assertEquals("model/block_12/batch_normalization_12/FusedBatchNormV3\nFusedBatchNormV3", GraphCanvas.tooltip(box));
    }
}
