package org.tensorscope.core.compare;

import java.util.List;

/**
 * How far one tensor of side B is from the same tensor of side A, element by element. Errors are
 * taken over the elements finite on both sides; an element NaN or infinite on one side only is
 * counted in {@link #nonFiniteMismatches}, never hidden in an error value.
 *
 * @param elements            elements compared
 * @param maxAbsError         max |a - b|
 * @param maxRelError         max |a - b| / |a| over the elements where a is not zero
 * @param error               the divergence measure, max |a - b| / (1 + |a|): the tensor diverges when it
 *                            exceeds the tolerance (numpy's isclose with atol = rtol = tolerance)
 * @param cosine              cosine similarity of a and b over the finite elements (1 when both are all zero,
 *                            0 when only one is)
 * @param nanA                NaN elements in A
 * @param infA                ±Inf elements in A
 * @param nanB                NaN elements in B
 * @param infB                ±Inf elements in B
 * @param nonFiniteMismatches elements NaN or infinite on one side and not the same on the other
 * @param beyondTolerance     finite elements whose |a - b| exceeds tolerance * (1 + |a|)
 * @param worstPosition       the first NaN/Inf mismatch, else where {@link #error} is largest (row-major indices);
 *                            empty when no element differs
 * @param worstA              A's value there (NaN when no element differs)
 * @param worstB              B's value there (NaN when no element differs)
 */
public record ErrorMetrics(long elements, double maxAbsError, double maxRelError, double error, double cosine,
        long nanA, long infA, long nanB, long infB, long nonFiniteMismatches, long beyondTolerance,
        List<Long> worstPosition, double worstA, double worstB) {

    public ErrorMetrics {
        worstPosition = List.copyOf(worstPosition);
    }

    /** Whether the two sides differ beyond the tolerance the metrics were computed with. */
    public boolean diverges() {
        return nonFiniteMismatches > 0 || beyondTolerance > 0;
    }

    /** Whether both sides hold exactly the same values (NaN matching NaN). */
    public boolean identical() {
        return maxAbsError == 0 && nonFiniteMismatches == 0;
    }
}
