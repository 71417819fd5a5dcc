package org.tensorscope.core.trace;

/**
 * The health summary of one float tensor after a run: what the health pass computes in-graph
 * for every op output, without bringing the tensor itself into Java.
 *
 * @param tensor   tensor name, "op:k"
 * @param opType   type of the producing op
 * @param device   device the op ran on ("CPU:0"), empty when unknown
 * @param elements number of elements, -1 when not counted
 * @param nanCount NaN elements; {@link #NOT_COUNTED} when the tensor holds NaN but they were not counted
 * @param negInfCount -Inf elements; {@link #NOT_COUNTED} when it holds -Inf but they were not counted
 * @param posInfCount +Inf elements; {@link #NOT_COUNTED} when it holds +Inf but they were not counted
 * @param min      smallest finite value (NaN when there is none or the mode does not compute it)
 * @param max      largest finite value (NaN when there is none or the mode does not compute it)
 * @param mean     mean of the finite values (NaN when there is none or the mode does not compute it)
 * @param std      standard deviation of the finite values (NaN when there is none or the mode does not compute it)
 * @param micros   time the op took in microseconds, -1 when not measured
 * @param zeroCount elements equal to zero, -1 when the mode does not count them
 */
public record TensorHealth(String tensor, String opType, String device, long elements, long nanCount,
        long negInfCount, long posInfCount, double min, double max, double mean, double std, long micros, long zeroCount) {

    /**
     * The count of a kind of non-finite value that the tensor holds but that was not counted: a CURT pass
     * counts NaN and infinities only where they start (see {@link HealthMode#CURT}).
     */
    public static final long NOT_COUNTED = -1;

    public String opName() {
        int colon = tensor.lastIndexOf(':');
        return colon < 0 ? tensor : tensor.substring(0, colon);
    }

    /** NaN and ±Inf elements; only meaningful when {@link #isCounted()}. */
    public long nonFiniteCount() {
        return nanCount + negInfCount + posInfCount;
    }

    /** Whether no element is NaN or infinite (a row whose non-finite values were not counted is not finite). */
    public boolean isFinite() {
        return nanCount == 0 && negInfCount == 0 && posInfCount == 0;
    }

    /** A count as a user reads it: the number, or "present, not counted" for {@link #NOT_COUNTED}. */
    public static String countText(long count) {
        return count == NOT_COUNTED ? "present, not counted" : Long.toString(count);
    }

    /** Whether the NaN and ±Inf counts are known: false for a non-finite row whose counts were not computed. */
    public boolean isCounted() {
        return nanCount != NOT_COUNTED && negInfCount != NOT_COUNTED && posInfCount != NOT_COUNTED;
    }

    public boolean hasNan() {
        return nanCount != 0;
    }

    public boolean hasInf() {
        return negInfCount != 0 || posInfCount != 0;
    }

    /** The fraction of elements equal to zero, NaN when not counted. */
    public double zeroFraction() {
        return zeroCount < 0 || elements <= 0 ? Double.NaN : (double) zeroCount / elements;
    }

    /** max(|min|, |max|) over finite values, NaN when unknown. */
    public double maxAbs() {
        return Math.max(Math.abs(min), Math.abs(max));
    }
}
