package org.tensorscope.onnx.internal.load;

import java.util.List;

/**
 * A NodeProto. Input names may be empty: ONNX marks a left-out optional input that way.
 */
public record OnnxNode(String name, String opType, String domain, List<String> inputs, List<String> outputs,
        List<OnnxAttribute> attributes) {

    public OnnxNode {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = List.copyOf(attributes);
    }
}
