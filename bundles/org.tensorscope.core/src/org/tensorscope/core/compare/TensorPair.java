package org.tensorscope.core.compare;

import org.tensorscope.core.model.Shape;

/**
 * One tensor of side A matched with one of side B, and how far apart their values are.
 *
 * @param order    position of A's op in A's execution order (topological order of the ops the run needs)
 * @param tensorA  A's tensor, "op:k"
 * @param tensorB  B's tensor, "op:k"
 * @param opType   the type of A's op ("Conv2D")
 * @param input    whether the tensor is a fed input of A (inputs differ when the two runs get two inputs)
 * @param dtype    A's element type, e.g. "float32"
 * @param shapeA   the shape A computed (its static shape when not fetched)
 * @param shapeB   the shape B computed (its static shape when not fetched)
 * @param status   the outcome
 * @param metrics  the errors; null unless status is MATCH or DIVERGED
 * @param note     why a pair was not compared, or a remark (shapes differing in size-1 dimensions only); empty otherwise
 */
public record TensorPair(int order, String tensorA, String tensorB, String opType, boolean input, String dtype,
        Shape shapeA, Shape shapeB, PairStatus status, ErrorMetrics metrics, String note) {

    /** A's op name. */
    public String opA() {
        return org.tensorscope.core.model.TensorSpec.opNameOf(tensorA);
    }

    /** B's op name. */
    public String opB() {
        return org.tensorscope.core.model.TensorSpec.opNameOf(tensorB);
    }

    /** Whether this pair counts as a divergence: values beyond the tolerance or shapes that differ. */
    public boolean diverged() {
        return status == PairStatus.DIVERGED || status == PairStatus.SHAPE_MISMATCH;
    }

    /** The divergence measure ({@link ErrorMetrics#error()}), +Inf for NaN/Inf mismatches and shape mismatches, NaN when not compared. */
    public double error() {
        if (status == PairStatus.SHAPE_MISMATCH) {
            return Double.POSITIVE_INFINITY;
        }
        if (metrics == null) {
            return Double.NaN;
        }
        return metrics.nonFiniteMismatches() > 0 ? Double.POSITIVE_INFINITY : metrics.error();
    }
}
