package org.tensorscope.onnx.internal.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A graph of the model with the names Tensorscope gave its ops and values: the main graph, or a
 * subgraph (an If branch, a Loop or Scan body) whose ops are listed under their parent node's name,
 * e.g. "If_0/then_branch/Mul".
 *
 * @param parentOp  the op holding this subgraph, empty for the main graph
 * @param attribute the attribute holding it ("then_branch", "else_branch", "body"), empty for the main graph
 * @param graph     the graph as read
 * @param opNames   each node's op name, in node order
 * @param tensors   the tensor names ("op:k") of the values this graph defines (inputs, initializers, node
 *                  outputs), by ONNX name
 * @param outputs   the tensor names of the graph's outputs, in order
 * @param subgraphs each node's subgraphs by attribute name, in node order; empty for most nodes
 */
public record ScopedGraph(String parentOp, String attribute, OnnxGraph graph, List<String> opNames,
        Map<String, String> tensors, List<String> outputs, List<Map<String, ScopedGraph>> subgraphs) {

    public ScopedGraph {
        opNames = List.copyOf(opNames);
        tensors = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tensors));
        outputs = List.copyOf(outputs);
        subgraphs = List.copyOf(subgraphs);
    }

    public boolean isMain() {
        return parentOp.isEmpty();
    }

    /** How a user reads where this graph is: "the then_branch of If 'If_0'". */
    public String describe(String parentType) {
        return "the " + attribute + " of " + parentType + " '" + parentOp + "'";
    }

    /** The tensor names of every value defined in this graph and the subgraphs inside it. */
    public List<String> allTensors() {
        List<String> all = new ArrayList<>(tensors.values());
        for (Map<String, ScopedGraph> nested : subgraphs) {
            nested.values().forEach(g -> all.addAll(g.allTensors()));
        }
        return all;
    }
}
