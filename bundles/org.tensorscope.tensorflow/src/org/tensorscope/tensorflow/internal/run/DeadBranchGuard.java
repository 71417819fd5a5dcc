package org.tensorscope.tensorflow.internal.run;

import java.util.ArrayList;
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
 * probe is dead, and so is anything joined with it. A marker standing for "not computed" is let
 * through the Switch predicates of the value's branches, outermost first: its side of the first
 * branch not taken is live exactly when the value is dead, and one Merge of the value with those
 * sides gives whichever is live, the way a cond's own Merge joins its branches.
 */
final class DeadBranchGuard {

    private DeadBranchGuard() {
    }

    /**
     * @param tf       ops bound to the value's frame (the marker constant needs a control input there)
     * @param branches outermost first; each predicate must be live whenever the branches before it are taken
     * @param marker   the rows standing for "not computed", of the value's shape
     */
    @SuppressWarnings("unchecked")
    static Output<TFloat64> live(Graph graph, Ops tf, Output<TFloat64> value, List<Branch> branches, double[][] marker) {
        if (branches.isEmpty()) {
            return value;
        }
        List<Operand<TFloat64>> inputs = new ArrayList<>();
        inputs.add(value);
        // live while every branch so far is taken
        Operand<TFloat64> passed = tf.constant(marker);
        for (Branch branch : branches) {
            Output<TBool> predicate = (Output<TBool>) graph.outputOrThrow(branch.predicate());
            var split = tf.switchCond(passed, predicate);
            inputs.add(branch.branch() == 1 ? split.outputFalse() : split.outputTrue());
            passed = branch.branch() == 1 ? split.outputTrue() : split.outputFalse();
        }
        return tf.merge(inputs).output();
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
