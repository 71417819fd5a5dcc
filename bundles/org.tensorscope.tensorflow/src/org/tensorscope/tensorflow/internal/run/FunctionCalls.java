package org.tensorscope.tensorflow.internal.run;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.trace.UncheckedTensor;

/**
 * Ops that run a function of the model's library as a whole (TF2 functional control flow the
 * loader could not lower, calls it could not inline): their outputs are watched, the ops inside are not.
 */
final class FunctionCalls {

    private static final Map<String, String> WHAT = Map.of("While", "body and condition", "StatelessWhile",
            "body and condition", "If", "branches", "StatelessIf", "branches", "Case", "branches",
            "StatefulPartitionedCall", "function", "PartitionedCall", "function");

    private FunctionCalls() {
    }

    static List<UncheckedTensor> unchecked(Collection<OpNode> ops) {
        return ops.stream().filter(op -> WHAT.containsKey(op.type()))
                .map(op -> new UncheckedTensor(op.name(), "the ops of its " + WHAT.get(op.type()) + " (" + op.type()
                        + ") run inside TensorFlow as one function call, which Tensorscope cannot watch inside"))
                .toList();
    }
}
