package org.tensorscope.core.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Op outputs whose values are undefined in the run a model is made for, though a fetch returns something for them:
 * a FusedBatchNorm with {@code is_training} false copies the moving mean and variance it is given to its batch
 * statistics (outputs 1 and 2) but leaves its reserve spaces (3 and up) as its kernel finds them; oneDNN's kernels
 * leave whatever memory they were given, NaN in some runs. Checking them would report NaN in a healthy model, and
 * showing them as values would mislead: the trace leaves out those no op of its run reads, and whoever shows one
 * says so.
 */
public final class UndefinedOutputs {

    private static final Set<String> BATCH_NORMS = Set.of("FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3");

    private UndefinedOutputs() {
    }

    /** Per tensor ("op:k"), why its values are undefined. */
    public static Map<String, String> of(ModelGraph graph) {
        Map<String, String> undefined = new LinkedHashMap<>();
        for (OpNode op : graph.ops()) {
            // is_training is true unless the graph says otherwise
            if (!BATCH_NORMS.contains(op.type()) || !"false".equals(op.attributes().get("is_training"))) {
                continue;
            }
            for (TensorSpec output : op.outputs()) {
                if (output.outputIndex() >= 3) {
                    undefined.put(output.name(), "a reserve space of " + op.type() + ", which it fills only in"
                            + " training: its values are undefined in inference");
                }
            }
        }
        return undefined;
    }
}
