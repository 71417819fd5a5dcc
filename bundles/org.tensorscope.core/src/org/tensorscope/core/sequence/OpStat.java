package org.tensorscope.core.sequence;

import org.tensorscope.core.trace.TensorHealth;

/**
 * The health of one op output in one step, as the step's health pass computed it (stats, not the tensor).
 *
 * @param tensor tensor name, "op:k"
 * @param opType type of the producing op
 * @param nan    NaN elements ({@link TensorHealth#NOT_COUNTED} when present but not counted, as in CURT mode)
 * @param negInf -Inf elements (the same)
 * @param posInf +Inf elements (the same)
 * @param maxAbs largest |x| over the finite values, NaN when none is finite or the health mode does not compute it
 */
public record OpStat(String tensor, String opType, long nan, long negInf, long posInf, double maxAbs) {

    public String opName() {
        int colon = tensor.lastIndexOf(':');
        return colon < 0 ? tensor : tensor.substring(0, colon);
    }

    /** NaN and ±Inf elements, or {@link TensorHealth#NOT_COUNTED} when the step's health pass did not count them. */
    public long nonFinite() {
        if (nan == TensorHealth.NOT_COUNTED || negInf == TensorHealth.NOT_COUNTED || posInf == TensorHealth.NOT_COUNTED) {
            return TensorHealth.NOT_COUNTED;
        }
        return nan + negInf + posInf;
    }
}
