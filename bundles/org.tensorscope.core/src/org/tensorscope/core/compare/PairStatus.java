package org.tensorscope.core.compare;

/** The outcome of comparing one matched pair of tensors. */
public enum PairStatus {
    /** Within the tolerance. */
    MATCH,
    /** Beyond the tolerance, or NaN/Inf on one side where the other has a finite value. */
    DIVERGED,
    /** The two tensors have different shapes: no values were compared. */
    SHAPE_MISMATCH,
    /** The values could not be fetched or are not floating point; the pair's note says why. */
    NOT_COMPARED;

    /** Lower-case name as the reports write it, e.g. "shape_mismatch". */
    public String displayName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
