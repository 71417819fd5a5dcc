package org.tensorscope.tensorflow.internal.run;

import java.util.List;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat64;
import org.tensorscope.tensorflow.internal.run.ControlFlow.Branch;

/**
 * Keeps probe rows of tensors inside cond branches alive. A tensor of an untaken branch is dead: its
 * probe is dead, and so is anything joined with it. Each branch a value depends on, innermost first,
 * is closed with a Merge of the value and a marker let through the same Switch predicate's other
 * side, the way a cond's own Merge joins its branches: exactly one of the two is live whenever the
 * enclosing branches are.
 */
final class DeadBranchGuard {

    private DeadBranchGuard() {
    }

    /**
     * @param tf       ops bound to the value's frame (the marker constant needs a control input there)
     * @param branches outermost first; each predicate must be live whenever the branches before it are
     * @param marker   the rows standing for "not computed", of the value's shape
     */
    @SuppressWarnings("unchecked")
    static Output<TFloat64> live(Graph graph, Ops tf, Output<TFloat64> value, List<Branch> branches, double[][] marker) {
        if (branches.isEmpty()) {
            return value;
        }
        Operand<TFloat64> markerRows = tf.constant(marker);
        Output<TFloat64> live = value;
        for (int i = branches.size() - 1; i >= 0; i--) {
            Branch branch = branches.get(i);
            Output<TBool> predicate = (Output<TBool>) graph.outputOrThrow(branch.predicate());
            var other = tf.switchCond(markerRows, predicate);
            live = tf.merge(List.of(live, branch.branch() == 1 ? other.outputFalse() : other.outputTrue())).output();
        }
        return live;
    }

    /**
     * The branches in an order where each predicate is computed outside the branches after it, or
     * null when there is none (or a branch is not a two-way Switch).
     */
    static List<Branch> ordered(List<Branch> branches, ControlFlow flow) {
        List<Branch> ordered = new java.util.ArrayList<>();
        List<Branch> left = new java.util.ArrayList<>(branches);
        while (!left.isEmpty()) {
            Branch next = left.stream()
                    .filter(b -> ordered.containsAll(flow.place(b.predicate()).branches())
                            && flow.node(b.switchOp()).map(n -> !n.getOp().equals("_SwitchN")).orElse(false))
                    .findFirst().orElse(null);
            if (next == null) {
                return null;
            }
            ordered.add(next);
            left.remove(next);
        }
        return ordered;
    }
}
