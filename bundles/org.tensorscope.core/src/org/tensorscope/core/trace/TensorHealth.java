package org.tensorscope.core.trace;

/**
 * The health summary of one float tensor after a run: what the health pass computes in-graph
 * for every op output, without bringing the tensor itself into Java.
 *
 * @param tensor   tensor name, "op:k"
 * @param opType   type of the producing op
 * @param device   device the op ran on ("CPU:0"), empty when unknown
 * @param elements number of elements
 * @param nanCount NaN elements
 * @param negInfCount -Inf elements
 * @param posInfCount +Inf elements
 * @param min      smallest finite value (NaN when there is none or the mode does not compute it)
 * @param max      largest finite value (NaN when there is none or the mode does not compute it)
 * @param mean     mean of the finite values (NaN when there is none or the mode does not compute it)
 * @param std      standard deviation of the finite values (NaN when there is none or the mode does not compute it)
 * @param micros   time the op took in microseconds, -1 when not measured
 * @param zeroCount elements equal to zero, -1 when the mode does not count them
 */
public record TensorHealth(String tensor, String opType, String device, long elements, long nanCount,
        long negInfCount, long posInfCount, double min, double max, double mean, double std, long micros, long zeroCount) {

    public String opName() {
        int colon = tensor.lastIndexOf(':');
        return colon < 0 ? tensor : tensor.substring(0, colon);
    }

    public long nonFiniteCount() {
        return nanCount + negInfCount + posInfCount;
    }

    public boolean isFinite() {
        return nonFiniteCount() == 0;
    }

    public boolean hasNan() {
        return nanCount > 0;
    }

    public boolean hasInf() {
        return negInfCount + posInfCount > 0;
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
