package org.tensorscope.core.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.OpRole;
import org.tensorscope.core.trace.LoopHealth;
import org.tensorscope.core.trace.TensorHealth;
import org.tensorscope.core.trace.Trace;

/**
 * Finds the op where NaN/Inf first appears: the first in topological order whose output is
 * non-finite while all its float inputs are finite. Every later op of that kind is an independent
 * origin too (two unguarded divisions by zero each need their own fix); only ops whose non-finite
 * inputs explain them propagate. Inputs without a health row (integer
 * tensors) count as finite. TensorFlow's CheckNumerics cannot do this: ops run in parallel and it
 * reports whichever check fails first, often a later op.
 */
public final class NanOriginFinder {

    public Optional<NanOrigin> find(Trace trace) {
        ModelGraph graph = trace.graph();
        NanOrigin.Kind kind = null;
        OpNode originOp = null;
        TensorHealth originRow = null;
        TensorHealth firstInf = null;
        TensorHealth firstNan = null;
        List<TensorHealth> propagation = new ArrayList<>();
        List<TensorHealth> others = new ArrayList<>();
        for (TensorHealth row : trace.rows()) {
            if (row.isFinite()) {
                continue;
            }
            if (firstInf == null && row.hasInf()) {
                firstInf = row;
            }
            if (firstNan == null && row.hasNan()) {
                firstNan = row;
            }
            Optional<OpNode> op = graph.op(row.opName());
            boolean inputsFinite = op.map(o -> o.inputs().stream()
                    .allMatch(input -> finiteWhen(trace, input, row))).orElse(true);
            if (originRow != null) {
                (inputsFinite && !explainedByItsBody(op, row, originRow, others, propagation) ? others : propagation)
                        .add(row);
                continue;
            }
            if (inputsFinite) {
                originRow = row;
                originOp = op.orElse(null);
                kind = op.map(NanOriginFinder::kindOf).orElse(NanOrigin.Kind.COMPUTATION);
            }
        }
        if (originRow == null) {
            return Optional.empty();
        }
        if (originOp == null) {
            originOp = new OpNode(originRow.opName(), originRow.opType(), originRow.device(), java.util.Map.of(),
                    List.of(), List.of());
        }
        return Optional.of(new NanOrigin(originOp, originRow, kind, firstInf, firstNan, propagation, others));
    }

    /**
     * Whether a later row is a control-flow op (If, Loop, a function call) whose output comes from a body
     * already traced: its declared inputs are finite, yet the non-finite values it returns were made inside.
     */
    private static boolean explainedByItsBody(Optional<OpNode> op, TensorHealth row, TensorHealth origin,
            List<TensorHealth> others, List<TensorHealth> propagation) {
        if (op.isPresent() && op.get().role() == OpRole.CONTROL_FLOW) {
            return true;
        }
        String scope = row.opName() + "/";
        return origin.opName().startsWith(scope) || others.stream().anyMatch(r -> r.opName().startsWith(scope))
                || propagation.stream().anyMatch(r -> r.opName().startsWith(scope));
    }

    /**
     * Whether an input was finite when the row's op turned non-finite. Inside a loop body both rows
     * sum every iteration: the input counts as finite if it turned non-finite only in a later iteration.
     */
    private static boolean finiteWhen(Trace trace, String input, TensorHealth row) {
        Optional<TensorHealth> inputRow = trace.row(input);
        if (inputRow.isEmpty() || inputRow.get().isFinite()) {
            return true;
        }
        Optional<LoopHealth> inputLoop = trace.loop(input);
        Optional<LoopHealth> rowLoop = trace.loop(row.tensor());
        return inputLoop.isPresent() && rowLoop.isPresent() && inputLoop.get().loop().equals(rowLoop.get().loop())
                && rowLoop.get().firstNonFiniteIteration() >= 0
                && inputLoop.get().firstNonFiniteIteration() > rowLoop.get().firstNonFiniteIteration();
    }

    /** Whether the op is a fed input, a weight (or constant), or a computation, by the role its loader gave it. */
    public static NanOrigin.Kind kindOf(OpNode op) {
        return switch (op.role()) {
            case INPUT -> NanOrigin.Kind.INPUT;
            case WEIGHT, CONSTANT -> NanOrigin.Kind.WEIGHTS;
            case CONTROL_FLOW, COMPUTATION -> NanOrigin.Kind.COMPUTATION;
        };
    }
}
