package org.tensorscope.core.trace;

/**
 * A tensor the health pass could not check, and why. A trace that has any of these must never
 * claim that every tensor is finite.
 *
 * @param tensor tensor name ("op:k"), or the op or subgraph name when a whole body went unchecked
 * @param reason why it was not checked, in words a user reads ("inside the body of Loop 'x', which
 *               ONNX Runtime cannot expose")
 */
public record UncheckedTensor(String tensor, String reason) {

    /** The words of every reason given for a tensor that holds an infinity on purpose (a -inf padding, say). */
    public static final String BY_DESIGN = "by design";

    /**
     * Whether the tensor was left out because it holds an infinity on purpose: a weight left out for any other reason
     * (a branch the pass cannot follow, say) and holding NaN or infinity is still a broken weight.
     */
    public boolean byDesign() {
        return reason.contains(BY_DESIGN);
    }
}
