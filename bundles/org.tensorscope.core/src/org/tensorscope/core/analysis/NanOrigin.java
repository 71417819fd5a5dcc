package org.tensorscope.core.analysis;

import java.util.List;

import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.trace.TensorHealth;

/**
 * Where non-finite values start in one run.
 *
 * @param op          the first op (topological order) with a non-finite output and finite float inputs
 * @param row         its non-finite output's health row
 * @param kind        whether the input, the weights or the computation is to blame
 * @param firstInf    the first row holding ±Inf, null when none
 * @param firstNan    the first row holding NaN, null when none
 * @param propagation later rows whose non-finite outputs their non-finite inputs explain, in execution order
 * @param others      later rows that are origins of their own (non-finite output, finite inputs), in execution
 *                    order: each needs its own fix
 */
public record NanOrigin(OpNode op, TensorHealth row, Kind kind, TensorHealth firstInf, TensorHealth firstNan,
        List<TensorHealth> propagation, List<TensorHealth> others) {

    public NanOrigin {
        propagation = List.copyOf(propagation);
        others = others == null ? List.of() : List.copyOf(others);
    }

    /** An origin with no other independent origin. */
    public NanOrigin(OpNode op, TensorHealth row, Kind kind, TensorHealth firstInf, TensorHealth firstNan,
            List<TensorHealth> propagation) {
        this(op, row, kind, firstInf, firstNan, propagation, List.of());
    }

    /** Where the non-finite values come from. */
    public enum Kind {
        /** A fed input already holds NaN or infinity. */
        INPUT,
        /** A weight (constant or variable) already holds NaN or infinity. */
        WEIGHTS,
        /** An op computed NaN or infinity from finite inputs. */
        COMPUTATION;

        public String displayName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
