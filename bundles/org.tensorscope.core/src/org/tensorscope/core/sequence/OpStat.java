package org.tensorscope.core.sequence;

/**
 * The health of one op output in one step, as the step's health pass computed it (stats, not the tensor).
 *
 * @param tensor tensor name, "op:k"
 * @param opType type of the producing op
 * @param nan    NaN elements
 * @param negInf -Inf elements
 * @param posInf +Inf elements
 * @param maxAbs largest |x| over the finite values, NaN when none is finite or the health mode does not compute it
 */
public record OpStat(String tensor, String opType, long nan, long negInf, long posInf, double maxAbs) {

    public String opName() {
        int colon = tensor.lastIndexOf(':');
        return colon < 0 ? tensor : tensor.substring(0, colon);
    }

    public long nonFinite() {
        return nan + negInf + posInf;
    }
}
