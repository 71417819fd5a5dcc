package org.tensorscope.core.compare;

/**
 * How to compare two runs.
 *
 * @param tolerance   a tensor diverges when {@link ErrorMetrics#error()} exceeds it
 * @param map         names of A's tensors or ops mapped to B's; {@link NameMap#EMPTY} to match by name or position
 * @param weightsOnly compare the two models' weights without running them
 */
public record CompareOptions(double tolerance, NameMap map, boolean weightsOnly) {

    /** The tolerance when none is given. */
    public static final double DEFAULT_TOLERANCE = 1e-4;

    public CompareOptions {
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new IllegalArgumentException("the tolerance must be a number of 0 or more, not " + tolerance);
        }
        java.util.Objects.requireNonNull(map, "map");
    }

    public static CompareOptions defaults() {
        return new CompareOptions(DEFAULT_TOLERANCE, NameMap.EMPTY, false);
    }
}
