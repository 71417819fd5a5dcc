package org.tensorscope.tensorflow.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/** Which outputs of which batch norms {@link TrainingOnlyOutputs} names, from the GraphDef alone. */
class TrainingOnlyOutputsOfTest {

    private static NodeDef batchNorm(String name, String op, Boolean training) {
        NodeDef.Builder node = NodeDef.newBuilder().setName(name).setOp(op).addInput("x").addInput("s").addInput("o")
                .addInput("m").addInput("v");
        if (training != null) {
            node.putAttr("is_training", AttrValue.newBuilder().setB(training).build());
        }
        return node.build();
    }

    @Test
    void theReserveSpacesOfBatchNormsRunForInference() {
        GraphDef graph = GraphDef.newBuilder()
                .addNode(batchNorm("v1", "FusedBatchNorm", false))
                .addNode(batchNorm("v2", "FusedBatchNormV2", false))
                .addNode(batchNorm("v3", "FusedBatchNormV3", false))
                .addNode(batchNorm("training", "FusedBatchNormV3", true))
                // TensorFlow's default for is_training is true
                .addNode(batchNorm("unsaid", "FusedBatchNorm", null))
                .addNode(NodeDef.newBuilder().setName("relu").setOp("Relu").addInput("v3").addInput("^v1"))
                .build();
        assertEquals(Set.of("v1:3", "v1:4", "v2:3", "v2:4", "v3:3", "v3:4", "v3:5"),
                TrainingOnlyOutputs.of(graph).keySet());
    }
}
