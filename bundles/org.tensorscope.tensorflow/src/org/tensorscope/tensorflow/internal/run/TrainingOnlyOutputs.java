package org.tensorscope.tensorflow.internal.run;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * Outputs an op fills only for training, whose values are undefined when the model runs for inference: a
 * FusedBatchNorm with {@code is_training} false copies the moving mean and variance it is given to its batch
 * statistics (outputs 1 and 2) but leaves its reserve spaces (3 and up) as its kernel finds them; oneDNN's kernels
 * leave whatever memory they were given, NaN in some runs. Checking them would report NaN in a healthy model. A run
 * none of whose ops reads one does not use its values, so the trace leaves it out and says why.
 */
final class TrainingOnlyOutputs {

    private static final Set<String> BATCH_NORMS = Set.of("FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3");

    private TrainingOnlyOutputs() {
    }

    /** Per tensor ("op:k"), why its values are undefined in inference. */
    static Map<String, String> of(GraphDef graph) {
        Map<String, String> undefined = new LinkedHashMap<>();
        for (NodeDef node : graph.getNodeList()) {
            // is_training is true unless the graph says otherwise
            if (!BATCH_NORMS.contains(node.getOp())
                    || node.getAttrOrDefault("is_training", AttrValue.newBuilder().setB(true).build()).getB()) {
                continue;
            }
            int outputs = node.getOp().equals("FusedBatchNormV3") ? 6 : 5;
            for (int k = 3; k < outputs; k++) {
                undefined.put(node.getName() + ":" + k, "a reserve space of " + node.getOp() + ", which it fills only"
                        + " in training (undefined in inference), and no op of this run reads it");
            }
        }
        return undefined;
    }
}
