package org.tensorscope.onnx.internal.load;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A NodeProto. Input names may be empty: ONNX marks a left-out optional input that way.
 *
 * @param offset where the NodeProto message starts in the file
 * @param length its length in bytes
 */
public record OnnxNode(String name, String opType, String domain, List<String> inputs, List<String> outputs,
        List<OnnxAttribute> attributes, int offset, int length) {

    public OnnxNode {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = List.copyOf(attributes);
    }

    /** Whether this is an op of the default ("ai.onnx") domain of the given type. */
    public boolean is(String type) {
        return opType.equals(type) && (domain.isEmpty() || domain.equals("ai.onnx"));
    }

    /** The graph held by an attribute of this name (If's then_branch, Loop's body), if any. */
    public Optional<OnnxGraph> subgraph(String attribute) {
        return attributes.stream().filter(a -> a.name().equals(attribute) && a.subgraphs().size() == 1)
                .map(a -> a.subgraphs().get(0)).findFirst();
    }

    /** The graph-valued attributes of this node, by attribute name, in file order. */
    public Map<String, OnnxGraph> subgraphs() {
        Map<String, OnnxGraph> graphs = new java.util.LinkedHashMap<>();
        for (OnnxAttribute a : attributes) {
            for (int i = 0; i < a.subgraphs().size(); i++) {
                graphs.put(a.subgraphs().size() == 1 ? a.name() : a.name() + "_" + i, a.subgraphs().get(i));
            }
        }
        return graphs;
    }
}
