package org.tensorscope.onnx.internal.load;

import org.tensorscope.core.model.Shape;

/**
 * A ValueInfoProto: a tensor's name with the element type and shape the file declares for it.
 *
 * @param elemType ONNX element type, 0 when the file does not say (or the value is not a tensor)
 */
public record OnnxValueInfo(String name, int elemType, Shape shape) {
}
