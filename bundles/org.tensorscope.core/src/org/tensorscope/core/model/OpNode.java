package org.tensorscope.core.model;

import java.util.List;
import java.util.Map;

/**
 * One op of a model graph.
 *
 * @param name       unique name, with its name scope ("block1/conv/Conv2D")
 * @param type       op type ("Conv2D")
 * @param device     requested device, empty when unplaced
 * @param attributes readable attribute summary, attribute name to value text
 * @param inputs     input tensor names ("op:k"), without control inputs
 * @param outputs    output tensors
 */
public record OpNode(String name, String type, String device, Map<String, String> attributes,
        List<String> inputs, List<TensorSpec> outputs) {

    public OpNode {
        attributes = Map.copyOf(attributes);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /** The name scope of this op ("block1/conv"), empty at the top level. */
    public String scope() {
        int slash = name.lastIndexOf('/');
        return slash < 0 ? "" : name.substring(0, slash);
    }
}
