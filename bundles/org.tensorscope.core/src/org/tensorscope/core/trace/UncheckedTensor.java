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
}
