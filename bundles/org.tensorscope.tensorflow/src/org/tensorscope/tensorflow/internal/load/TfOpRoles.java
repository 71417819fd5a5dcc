package org.tensorscope.tensorflow.internal.load;

import java.util.Set;

import org.tensorscope.core.model.OpRole;

/** What a TensorFlow op is to its model, by its type: every TensorFlow loader's graph goes through here. */
final class TfOpRoles {

    private static final Set<String> INPUTS = Set.of("Placeholder", "PlaceholderWithDefault");
    private static final Set<String> WEIGHTS = Set.of("VariableV2", "Variable", "VarHandleOp", "ReadVariableOp");
    private static final Set<String> CONSTANTS = Set.of("Const", "HostConst");
    /** Functional control flow and function calls: their outputs are what a body computes. */
    private static final Set<String> CONTROL_FLOW = Set.of("If", "StatelessIf", "While", "StatelessWhile", "Case",
            "StatelessCase", "PartitionedCall", "StatefulPartitionedCall");

    private TfOpRoles() {
    }

    static OpRole of(String opType) {
        if (INPUTS.contains(opType)) {
            return OpRole.INPUT;
        }
        if (WEIGHTS.contains(opType)) {
            return OpRole.WEIGHT;
        }
        if (CONSTANTS.contains(opType)) {
            return OpRole.CONSTANT;
        }
        return CONTROL_FLOW.contains(opType) ? OpRole.CONTROL_FLOW : OpRole.COMPUTATION;
    }
}
