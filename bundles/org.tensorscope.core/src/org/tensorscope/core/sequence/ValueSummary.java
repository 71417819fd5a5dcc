package org.tensorscope.core.sequence;

/**
 * One output or fed-back state of one step, summarised: what a sequence keeps instead of the tensor.
 *
 * @param name     the signature key ("r1o"), or the tensor name when it has none
 * @param tensor   the graph tensor ("Identity:0")
 * @param shape    the tensor's shape as text, e.g. [1,64,64,16]
 * @param elements number of elements
 * @param norm     L2 norm of the finite values
 * @param maxAbs   largest |x| over the finite values, NaN when none is finite
 * @param nan      NaN elements
 * @param negInf   -Inf elements
 * @param posInf   +Inf elements
 */
public record ValueSummary(String name, String tensor, String shape, long elements, double norm, double maxAbs,
        long nan, long negInf, long posInf) {

    public long nonFinite() {
        return nan + negInf + posInf;
    }

    /** The norm over the square root of the element count: comparable across tensors of different sizes. */
    public double rms() {
        return elements == 0 ? 0 : norm / Math.sqrt(elements);
    }
}
