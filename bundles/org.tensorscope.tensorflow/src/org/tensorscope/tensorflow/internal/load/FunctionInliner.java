package org.tensorscope.tensorflow.internal.load;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tensorflow.TensorFlow;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;

/**
 * Inlines the functions that TF2 models written by Python call through
 * {@code StatefulPartitionedCall}/{@code PartitionedCall}, so that every op inside becomes a node
 * of the graph that a session can watch and fetch. The call node is replaced by an
 * {@code IdentityN} of the same name, so its consumers keep working.
 * <p>
 * Inside a FunctionDef, inputs read {@code arg} (a function argument) or {@code node:out_arg:index};
 * the latter is resolved to {@code node:k} through the op's OpDef output arguments.
 */
final class FunctionInliner {

    private static final Set<String> CALLS = Set.of("StatefulPartitionedCall", "PartitionedCall");

    private final Map<String, FunctionDef> functions = new HashMap<>();
    private final Map<String, OpDef> opDefs = new HashMap<>();

    FunctionInliner(GraphDef graph) {
        graph.getLibrary().getFunctionList().forEach(f -> functions.put(f.getSignature().getName(), f));
        TensorFlow.registeredOpList().getOpList().forEach(op -> opDefs.put(op.getName(), op));
        functions.values().forEach(f -> opDefs.put(f.getSignature().getName(), f.getSignature()));
    }

    static boolean hasCalls(GraphDef graph) {
        return graph.getNodeList().stream().anyMatch(n -> CALLS.contains(n.getOp()));
    }

    /** The graph with every call inlined, recursively, and no function library left. */
    GraphDef inline(GraphDef graph) {
        List<NodeDef> nodes = new ArrayList<>(graph.getNodeList());
        boolean changed = true;
        for (int depth = 0; changed && depth < 64; depth++) {
            changed = false;
            List<NodeDef> next = new ArrayList<>();
            for (NodeDef node : nodes) {
                FunctionDef function = CALLS.contains(node.getOp()) ? functions.get(called(node)) : null;
                if (function == null) {
                    next.add(node);
                } else {
                    next.addAll(expand(node, function));
                    changed = true;
                }
            }
            nodes = next;
        }
        return graph.toBuilder().clearNode().addAllNode(nodes).clearLibrary().build();
    }

    private static String called(NodeDef call) {
        return call.getAttrOrDefault("f", AttrValue.getDefaultInstance()).getFunc().getName();
    }

    private List<NodeDef> expand(NodeDef call, FunctionDef function) {
        String prefix = call.getName() + "/";
        List<String> callInputs = call.getInputList().stream().filter(i -> !i.startsWith("^")).toList();
        Map<String, String> args = new HashMap<>();
        List<OpDef.ArgDef> inputArgs = function.getSignature().getInputArgList();
        for (int i = 0; i < inputArgs.size() && i < callInputs.size(); i++) {
            args.put(inputArgs.get(i).getName(), callInputs.get(i));
        }
        Map<String, NodeDef> inner = new HashMap<>();
        function.getNodeDefList().forEach(n -> inner.put(n.getName(), n));
        List<NodeDef> expanded = new ArrayList<>();
        for (NodeDef node : function.getNodeDefList()) {
            NodeDef.Builder copy = node.toBuilder().setName(prefix + node.getName()).clearInput().clearDevice();
            for (String input : node.getInputList()) {
                copy.addInput(resolve(input, prefix, args, inner));
            }
            expanded.add(copy.build());
        }
        NodeDef.Builder outputs = NodeDef.newBuilder().setName(call.getName()).setOp("IdentityN");
        AttrValue.ListValue.Builder types = AttrValue.ListValue.newBuilder();
        List<OpDef.ArgDef> outputArgs = function.getSignature().getOutputArgList();
        List<org.tensorflow.proto.DataType> tout = call.getAttrOrDefault("Tout", AttrValue.getDefaultInstance()).getList()
                .getTypeList();
        for (int i = 0; i < outputArgs.size(); i++) {
            OpDef.ArgDef arg = outputArgs.get(i);
            outputs.addInput(resolve(function.getRetOrThrow(arg.getName()), prefix, args, inner));
            types.addType(i < tout.size() ? tout.get(i) : arg.getType());
        }
        // a call runs its function's stateful ops even when no output depends on them (control_ret)
        function.getControlRetMap().values().forEach(node -> outputs.addInput("^" + prefix + node));
        if (outputArgs.isEmpty()) {
            // a call with no outputs (an initialiser): keep an empty group so control edges still resolve
            outputs.setOp("NoOp");
        } else {
            outputs.putAttr("T", AttrValue.newBuilder().setList(types).build());
        }
        expanded.add(outputs.build());
        return expanded;
    }

    private String resolve(String input, String prefix, Map<String, String> args, Map<String, NodeDef> inner) {
        if (input.startsWith("^")) {
            String target = input.substring(1);
            if (args.containsKey(target)) {
                String arg = args.get(target);
                return "^" + (arg.contains(":") ? arg.substring(0, arg.indexOf(':')) : arg);
            }
            return "^" + prefix + target;
        }
        String[] parts = input.split(":");
        if (parts.length == 1) {
            return args.containsKey(input) ? args.get(input) : prefix + input;
        }
        if (parts.length == 2) {
            // "arg:0"-style references are rare; treat as node:k
            return args.containsKey(parts[0]) ? args.get(parts[0]) : prefix + parts[0] + ":" + parts[1];
        }
        NodeDef producer = inner.get(parts[0]);
        int index = Integer.parseInt(parts[2]);
        return prefix + parts[0] + ":" + (outputOffset(producer, parts[1]) + index);
    }

    /** The position of an op's named output argument among its flat outputs. */
    private int outputOffset(NodeDef node, String argName) {
        OpDef def = node == null ? null : opDefs.get(node.getOp());
        if (def == null) {
            return 0;
        }
        int offset = 0;
        for (OpDef.ArgDef arg : def.getOutputArgList()) {
            if (arg.getName().equals(argName)) {
                return offset;
            }
            offset += length(node, arg);
        }
        return 0;
    }

    private static int length(NodeDef node, OpDef.ArgDef arg) {
        if (!arg.getNumberAttr().isEmpty()) {
            return (int) node.getAttrOrDefault(arg.getNumberAttr(), AttrValue.getDefaultInstance()).getI();
        }
        if (!arg.getTypeListAttr().isEmpty()) {
            return node.getAttrOrDefault(arg.getTypeListAttr(), AttrValue.getDefaultInstance()).getList().getTypeCount();
        }
        return 1;
    }
}
