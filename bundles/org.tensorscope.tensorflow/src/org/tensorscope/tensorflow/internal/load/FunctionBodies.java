package org.tensorscope.tensorflow.internal.load;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorscope.core.model.OpNode;

/**
 * The ops inside a graph's function library, for the side-effect guard: a function called through
 * {@code StatefulPartitionedCall}, a {@code While} body or an {@code If} branch runs its ops as
 * surely as the main graph does.
 */
final class FunctionBodies {

    private FunctionBodies() {
    }

    /** Every node of every function in the library, named "function/node". */
    static List<OpNode> of(GraphDef graph) {
        List<OpNode> ops = new ArrayList<>();
        graph.getLibrary().getFunctionList().forEach(f -> ops.addAll(of(f)));
        return ops;
    }

    static List<OpNode> of(FunctionDef function) {
        String prefix = function.getSignature().getName() + "/";
        return function.getNodeDefList().stream().map(n -> op(prefix + n.getName(), n)).toList();
    }

    static OpNode op(String name, NodeDef node) {
        return new OpNode(name, node.getOp(), node.getDevice(), AttributeSummary.of(node.getAttrMap()), List.of(),
                List.of());
    }

    /** Functions a node calls: as its op type, or in attributes (a call's f, a While's body, an If's branches). */
    static Set<String> called(NodeDef node) {
        Set<String> called = new HashSet<>();
        called.add(node.getOp());
        for (AttrValue value : node.getAttrMap().values()) {
            if (value.hasFunc()) {
                called.add(value.getFunc().getName());
            }
            value.getList().getFuncList().forEach(f -> called.add(f.getName()));
        }
        return called;
    }
}
