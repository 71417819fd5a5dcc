package org.tensorscope.tensorflow.internal.run;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorscope.core.model.TensorSpec;

/**
 * Outputs an op fills only for training, whose values are undefined when the model runs for inference: a
 * FusedBatchNorm with {@code is_training} false copies the moving mean and variance it is given to its batch
 * statistics (outputs 1 and 2) but leaves its reserve spaces (3 and up) as its kernel finds them: with oneDNN they
 * hold whatever memory they were given, NaN in some runs. Checking them would report NaN in a healthy model; when no
 * op reads them they are not values of the model's computation (a plain run fuses the batch norm into the op before
 * it and computes none of them), so the trace leaves them out and says why. One that an op reads, or that is fetched,
 * is checked.
 */
final class TrainingOnlyOutputs {

    private static final Set<String> BATCH_NORMS = Set.of("FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3");

    private TrainingOnlyOutputs() {
    }

    /** Per tensor ("op:k"), why its values are undefined in inference. */
    static Map<String, String> of(GraphDef graph) {
        Set<String> read = new HashSet<>();
        for (NodeDef node : graph.getNodeList()) {
            for (String input : node.getInputList()) {
                if (!input.startsWith("^")) {
                    read.add(TensorSpec.tensorName(input));
                }
            }
        }
        Map<String, String> undefined = new LinkedHashMap<>();
        for (NodeDef node : graph.getNodeList()) {
            // is_training is true unless the graph says otherwise
            if (!BATCH_NORMS.contains(node.getOp())
                    || node.getAttrOrDefault("is_training", AttrValue.newBuilder().setB(true).build()).getB()) {
                continue;
            }
            int outputs = node.getOp().equals("FusedBatchNormV3") ? 6 : 5;
            for (int k = 3; k < outputs; k++) {
                String tensor = node.getName() + ":" + k;
                if (!read.contains(tensor)) {
                    undefined.put(tensor, "a reserve space of " + node.getOp() + ", which it fills only in training"
                            + " (in inference it holds whatever memory it was given), and no op reads it");
                }
            }
        }
        return undefined;
    }
}
