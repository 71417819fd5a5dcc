package org.tensorscope.core.model;

/**
 * What an op is to the model, as its loader knows it from the format: core decides by the role whether a
 * non-finite value came from the input, the weights or the computation, without knowing any format's op names.
 */
public enum OpRole {
    /** Its value is fed by the caller (a TensorFlow placeholder, an ONNX graph input). */
    INPUT,
    /** A trained parameter stored with the model (a TensorFlow variable, an ONNX initializer). */
    WEIGHT,
    /** A value written into the graph itself (a TensorFlow Const, an ONNX Constant node). */
    CONSTANT,
    /**
     * Returns what a body computes: a branch, a loop body or a called function (TensorFlow's If, While and
     * function calls, ONNX If, Loop and Scan).
     */
    CONTROL_FLOW,
    /** Computes its outputs from its inputs. */
    COMPUTATION;

    /** Whether the op's value is stored in the model file rather than fed or computed. */
    public boolean isStored() {
        return this == WEIGHT || this == CONSTANT;
    }
}
