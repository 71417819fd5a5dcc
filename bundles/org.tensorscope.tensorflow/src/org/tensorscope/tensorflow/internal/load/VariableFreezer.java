package org.tensorscope.tensorflow.internal.load;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.StateChangeOps;
import org.tensorscope.core.model.TensorSpec;

/**
 * Turns a SavedModel's variables into constants holding their checkpoint values, so the graph
 * runs in a session of its own with nothing to restore. A variable that the model changes (a
 * counter's {@code AssignAdd}, an optimizer step), or a resource variable read by an op other than
 * {@code ReadVariableOp} (an embedding's {@code ResourceGather}), stays a live variable: an assign
 * added here sets it to its checkpoint value at the start of every run, and every op using the
 * variable waits for that assign. Each run then applies a change once, from the saved value, so
 * runs stay repeatable (a trace and a plain run of the same input see the same state).
 */
final class VariableFreezer {

    static final Set<String> VARIABLES = Set.of("VarHandleOp", "VariableV2", "Variable");

    private static final String VALUE = "/checkpoint_value";
    private static final String RESTORE = "/restore_checkpoint";

    private VariableFreezer() {
    }

    /**
     * The variables among the given nodes that must stay live: those a state-changing op writes,
     * and resource variables whose handle an op other than ReadVariableOp uses.
     */
    static Set<String> liveVariables(Collection<NodeDef> nodes) {
        Set<String> variables = new HashSet<>();
        Set<String> handles = new HashSet<>();
        for (NodeDef node : nodes) {
            if (VARIABLES.contains(node.getOp())) {
                variables.add(node.getName());
                if (node.getOp().equals("VarHandleOp")) {
                    handles.add(node.getName());
                }
            }
        }
        Set<String> live = new LinkedHashSet<>();
        for (NodeDef node : nodes) {
            Set<String> used = StateChangeOps.isStateChange(node.getOp()) ? variables
                    : node.getOp().equals("ReadVariableOp") ? Set.of() : handles;
            node.getInputList().stream().filter(i -> !i.startsWith("^")).map(VariableFreezer::opName)
                    .filter(used::contains).forEach(live::add);
        }
        return live;
    }

    /**
     * @param values  checkpoint values by variable name; variables without one are left as they are
     *                (they are pruned: nothing a signature computes reads them)
     * @param live the variables to keep as variables, set from the checkpoint at every run
     */
    static GraphDef freeze(GraphDef graph, Map<String, TensorProto> values, Set<String> live) {
        Map<String, NodeDef> byName = new HashMap<>();
        graph.getNodeList().forEach(n -> byName.put(n.getName(), n));
        GraphDef.Builder out = graph.toBuilder().clearNode();
        for (NodeDef node : graph.getNodeList()) {
            String name = node.getName();
            TensorProto value = values.get(name);
            if (VARIABLES.contains(node.getOp()) && value != null && live.contains(name)) {
                out.addNode(constant(name + VALUE, value));
                out.addNode(node);
                out.addNode(restore(node));
            } else if (VARIABLES.contains(node.getOp()) && !node.getOp().equals("VarHandleOp") && value != null) {
                out.addNode(constant(name, value));
            } else if (node.getOp().equals("ReadVariableOp") && node.getInputCount() > 0
                    && isFrozenHandle(byName.get(opName(node.getInput(0))), values, live)) {
                out.addNode(constant(name, values.get(opName(node.getInput(0)))));
            } else {
                out.addNode(waitingForRestores(node, values, live));
            }
        }
        return out.build();
    }

    private static boolean isFrozenHandle(NodeDef handle, Map<String, TensorProto> values, Set<String> live) {
        return handle != null && handle.getOp().equals("VarHandleOp") && values.containsKey(handle.getName())
                && !live.contains(handle.getName());
    }

    /** A node using a live variable gets a control input on the variable's restore. */
    private static NodeDef waitingForRestores(NodeDef node, Map<String, TensorProto> values, Set<String> live) {
        Set<String> restores = new LinkedHashSet<>();
        for (String input : node.getInputList()) {
            String producer = opName(input);
            if (!input.startsWith("^") && live.contains(producer) && values.containsKey(producer)) {
                restores.add("^" + producer + RESTORE);
            }
        }
        restores.removeAll(node.getInputList());
        return restores.isEmpty() ? node : node.toBuilder().addAllInput(restores).build();
    }

    private static NodeDef restore(NodeDef variable) {
        AttrValue dtype = variable.getAttrOrThrow("dtype");
        NodeDef.Builder assign = NodeDef.newBuilder().setName(variable.getName() + RESTORE)
                .addInput(variable.getName()).addInput(variable.getName() + VALUE);
        if (variable.getOp().equals("VarHandleOp")) {
            return assign.setOp("AssignVariableOp").putAttr("dtype", dtype).build();
        }
        return assign.setOp("Assign").putAttr("T", dtype)
                .putAttr("validate_shape", AttrValue.newBuilder().setB(true).build())
                .putAttr("use_locking", AttrValue.newBuilder().setB(true).build()).build();
    }

    static NodeDef constant(String name, TensorProto value) {
        return NodeDef.newBuilder().setName(name).setOp("Const")
                .putAttr("dtype", AttrValue.newBuilder().setType(value.getDtype()).build())
                .putAttr("value", AttrValue.newBuilder().setTensor(value).build()).build();
    }

    /**
     * The graph as users see it: the restoring assigns are the loader's plumbing and are left
     * out; a live variable shows its checkpoint value as its input instead. The variable's own
     * output is typed {@link DType#OTHER} so that nothing watches it apart from its assigns: a probe
     * could read it before the restore has run; the checkpoint value it starts from is checked.
     */
    static ModelGraph presented(ModelGraph graph, Set<String> live) {
        if (live.isEmpty()) {
            return graph;
        }
        Set<String> hidden = new HashSet<>();
        live.forEach(v -> hidden.add(v + RESTORE));
        List<OpNode> ops = graph.ops().stream().filter(op -> !hidden.contains(op.name()))
                .map(op -> live.contains(op.name()) && graph.op(op.name() + VALUE).isPresent()
                        ? new OpNode(op.name(), op.type(), op.device(), op.attributes(), List.of(op.name() + VALUE + ":0"),
                                op.outputs().stream().map(t -> new TensorSpec(t.name(), DType.OTHER, t.shape())).toList(),
                                op.role(), op.canonicalType())
                        : op)
                .toList();
        return new ModelGraph(graph.source(), graph.format(), ops, graph.signatures(), graph.weights());
    }

    private static String opName(String input) {
        String name = input.startsWith("^") ? input.substring(1) : input;
        int colon = name.indexOf(':');
        return colon < 0 ? name : name.substring(0, colon);
    }
}
