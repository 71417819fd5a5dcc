package org.tensorscope.onnx.internal.load;

import java.util.List;

/**
 * A GraphProto: nodes in file order (ONNX requires a topological one), initializers, the declared
 * inputs and outputs, and the value infos that give intermediate tensors a type and shape. A
 * subgraph (an If branch, a Loop or Scan body) may also read values of the graphs enclosing it.
 *
 * @param offset where the GraphProto message starts in the file
 * @param length its length in bytes
 */
public record OnnxGraph(String name, List<OnnxNode> nodes, List<StoredTensor> initializers, List<OnnxValueInfo> inputs,
        List<OnnxValueInfo> outputs, List<OnnxValueInfo> valueInfos, int offset, int length) {

    public OnnxGraph {
        nodes = List.copyOf(nodes);
        initializers = List.copyOf(initializers);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        valueInfos = List.copyOf(valueInfos);
    }
}
