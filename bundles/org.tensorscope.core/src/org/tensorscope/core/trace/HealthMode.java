package org.tensorscope.core.trace;

/**
 * How much the health pass computes per tensor (TensorFlow's DebugNumericSummaryV2 modes).
 */
public enum HealthMode {
    /**
     * Whether any element is NaN or infinite, and which of NaN, -Inf and +Inf. Cheapest. NaN and ±Inf are
     * counted only where they start (tensors whose inputs are finite) and in the first few non-finite tensors;
     * the counts of the others are {@link TensorHealth#NOT_COUNTED}.
     */
    CURT,
    /** Counts of NaN, -Inf and +Inf. */
    CONCISE,
    /** Counts plus finite min, max, mean and variance. */
    FULL;

    public static HealthMode parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown health mode '" + text + "': use curt, concise or full");
        }
    }
}
