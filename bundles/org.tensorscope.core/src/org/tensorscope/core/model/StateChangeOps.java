package org.tensorscope.core.model;

import java.util.List;
import java.util.Set;

/**
 * Ops that change the model's own state (variables, lookup tables), such as a counter's
 * {@code AssignAdd} or an optimizer's {@code ApplyAdam}. Unlike {@link SideEffectOps} they reach
 * nothing outside the model: each run applies them once, starting from the model's saved values,
 * so runs stay repeatable. They are listed so the user knows a run is more than a pure function.
 */
public final class StateChangeOps {

    private static final Set<String> TYPES = Set.of("Assign", "AssignAdd", "AssignSub", "AssignVariableOp",
            "AssignAddVariableOp", "AssignSubVariableOp", "CountUpTo", "ResourceCountUpTo", "ScatterUpdate",
            "ScatterAdd", "ScatterSub", "ScatterMul", "ScatterDiv", "ScatterMin", "ScatterMax", "ScatterNdUpdate",
            "ScatterNdAdd", "ScatterNdSub", "ScatterNdMin", "ScatterNdMax", "ResourceScatterUpdate",
            "ResourceScatterAdd", "ResourceScatterSub", "ResourceScatterMul", "ResourceScatterDiv",
            "ResourceScatterMin", "ResourceScatterMax", "ResourceScatterNdUpdate", "ResourceScatterNdAdd",
            "ResourceScatterNdSub", "ResourceScatterNdMin", "ResourceScatterNdMax", "StridedSliceAssign",
            "ResourceStridedSliceAssign", "LookupTableInsert", "LookupTableInsertV2", "LookupTableImport",
            "LookupTableImportV2", "LookupTableRemoveV2");

    /** Optimizer updates: ApplyAdam, ResourceApplyAdam, SparseApplyFtrl, ... */
    private static final List<String> PREFIXES = List.of("Apply", "ResourceApply", "SparseApply",
            "ResourceSparseApply");

    private StateChangeOps() {
    }

    public static boolean isStateChange(String opType) {
        return TYPES.contains(opType) || PREFIXES.stream().anyMatch(opType::startsWith);
    }

    /** The model's ops that change its state, in topological order. */
    public static List<OpNode> in(ModelGraph graph) {
        return graph.ops().stream().filter(op -> isStateChange(op.canonicalType())).toList();
    }

    /** The op whose state an op changes (its first input: the variable or table), or "" if unknown. */
    public static String target(OpNode op) {
        return op.inputs().isEmpty() ? "" : TensorSpec.opNameOf(op.inputs().get(0));
    }
}
