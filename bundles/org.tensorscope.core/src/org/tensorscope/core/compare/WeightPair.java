package org.tensorscope.core.compare;

import org.tensorscope.core.model.Shape;

/**
 * One weight (constant or variable) of side A matched with one of side B.
 *
 * @param order          position of the weight among A's weights (graph order)
 * @param weightA        A's weight op
 * @param weightB        B's weight op
 * @param dtype          A's element type, e.g. "float32"
 * @param shapeA         A's shape
 * @param shapeB         B's shape
 * @param status         the outcome
 * @param metrics        the errors; null unless status is MATCH or DIVERGED
 * @param relativeChange ||b - a|| / ||a|| over the elements finite on both sides (how much the weight changed;
 *                       +Inf when a is all zero and b is not), NaN when not compared
 * @param note           why a pair was not compared; empty otherwise
 */
public record WeightPair(int order, String weightA, String weightB, String dtype, Shape shapeA, Shape shapeB,
        PairStatus status, ErrorMetrics metrics, double relativeChange, String note) {

    /** NaN and ±Inf elements in B (the later checkpoint when comparing a training run), -1 when not compared. */
    public long nonFiniteB() {
        return metrics == null ? -1 : metrics.nanB() + metrics.infB();
    }

    /** NaN and ±Inf elements in A, -1 when not compared. */
    public long nonFiniteA() {
        return metrics == null ? -1 : metrics.nanA() + metrics.infA();
    }

    /** Whether this pair counts as a divergence: values beyond the tolerance or shapes that differ. */
    public boolean diverged() {
        return status == PairStatus.DIVERGED || status == PairStatus.SHAPE_MISMATCH;
    }
}
