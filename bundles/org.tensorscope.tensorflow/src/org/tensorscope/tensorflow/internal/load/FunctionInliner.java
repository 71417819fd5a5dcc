package org.tensorscope.tensorflow.internal.load;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tensorflow.TensorFlow;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NameAttrList;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

import com.google.protobuf.ByteString;

/**
 * Inlines the functions that TF2 models written by Python call through
 * {@code StatefulPartitionedCall}/{@code PartitionedCall}, so that every op inside becomes a node
 * of the graph that a session can watch and fetch. The call node is replaced by an
 * {@code IdentityN} of the same name, so its consumers keep working.
 * <p>
 * TF2's functional control flow is lowered the way TensorFlow's own lowering pass does it, so the ops
 * of its branches and bodies become graph nodes too: {@code If}/{@code StatelessIf} to Switch, both
 * branches inlined, and Merge; {@code Case} to a chain of such conds; {@code While}/{@code StatelessWhile}
 * to a loop frame (Enter, Merge, LoopCond, Switch, NextIteration, Exit) around the inlined condition
 * and body. What cannot be lowered stays a function call, and the library stays with it.
 * <p>
 * Inside a FunctionDef, inputs read {@code arg} (a function argument) or {@code node:out_arg:index};
 * the latter is resolved to {@code node:k} through the op's OpDef output arguments.
 */
public final class FunctionInliner {

    private static final Set<String> CALLS = Set.of("StatefulPartitionedCall", "PartitionedCall");
    private static final Set<String> IFS = Set.of("If", "StatelessIf");
    private static final Set<String> WHILES = Set.of("While", "StatelessWhile");
    private static final Set<String> CASES = Set.of("Case", "StatelessCase");

    private final Map<String, FunctionDef> functions = new HashMap<>();
    private final Map<String, OpDef> opDefs = new HashMap<>();

    public FunctionInliner(GraphDef graph) {
        graph.getLibrary().getFunctionList().forEach(f -> functions.put(f.getSignature().getName(), f));
        TensorFlow.registeredOpList().getOpList().forEach(op -> opDefs.put(op.getName(), op));
        functions.values().forEach(f -> opDefs.put(f.getSignature().getName(), f.getSignature()));
    }

    /** Whether the graph calls functions of its library (calls or functional control flow). */
    public static boolean hasCalls(GraphDef graph) {
        return graph.getNodeList().stream().anyMatch(n -> callsFunction(n.getOp()));
    }

    private static boolean callsFunction(String op) {
        return CALLS.contains(op) || IFS.contains(op) || WHILES.contains(op) || CASES.contains(op);
    }

    /**
     * The graph with every call inlined and every functional cond and loop lowered, recursively; the
     * function library is dropped when nothing calls it any more.
     */
    public GraphDef inline(GraphDef graph) {
        List<NodeDef> nodes = new ArrayList<>(graph.getNodeList());
        boolean changed = true;
        for (int depth = 0; changed && depth < 64; depth++) {
            changed = false;
            List<NodeDef> next = new ArrayList<>();
            for (NodeDef node : nodes) {
                List<NodeDef> replaced = replace(node);
                if (replaced == null) {
                    next.add(node);
                } else {
                    next.addAll(replaced);
                    changed = true;
                }
            }
            nodes = next;
        }
        GraphDef.Builder inlined = graph.toBuilder().clearNode().addAllNode(nodes);
        return nodes.stream().anyMatch(n -> callsFunction(n.getOp())) ? inlined.build() : inlined.clearLibrary().build();
    }

    /** The nodes standing for a call or functional op, or null to keep it as it is. */
    private List<NodeDef> replace(NodeDef node) {
        String op = node.getOp();
        if (CALLS.contains(op)) {
            FunctionDef function = functions.get(function(node, "f"));
            return function == null ? null : expand(node, function);
        }
        if (IFS.contains(op)) {
            FunctionDef then = functions.get(function(node, "then_branch"));
            FunctionDef otherwise = functions.get(function(node, "else_branch"));
            boolean boolCond = !node.containsAttr("Tcond") || node.getAttrOrThrow("Tcond").getType() == DataType.DT_BOOL;
            return then == null || otherwise == null || !boolCond ? null : lowerIf(node, then, otherwise);
        }
        if (CASES.contains(op)) {
            List<FunctionDef> branches = new ArrayList<>();
            for (NameAttrList f : node.getAttrOrDefault("branches", AttrValue.getDefaultInstance()).getList().getFuncList()) {
                branches.add(functions.get(f.getName()));
            }
            return branches.isEmpty() || branches.contains(null) ? null : lowerCase(node, branches);
        }
        if (WHILES.contains(op)) {
            FunctionDef cond = functions.get(function(node, "cond"));
            FunctionDef body = functions.get(function(node, "body"));
            boolean boolCond = cond != null && cond.getSignature().getOutputArgCount() == 1
                    && cond.getSignature().getOutputArg(0).getType() == DataType.DT_BOOL;
            return body == null || !boolCond || dataInputs(node).isEmpty() ? null : lowerWhile(node, cond, body);
        }
        return null;
    }

    private static String function(NodeDef node, String attr) {
        return node.getAttrOrDefault(attr, AttrValue.getDefaultInstance()).getFunc().getName();
    }

    private static List<String> dataInputs(NodeDef node) {
        return node.getInputList().stream().filter(i -> !i.startsWith("^")).toList();
    }

    private static List<String> controlInputs(NodeDef node) {
        return node.getInputList().stream().filter(i -> i.startsWith("^")).toList();
    }

    /** A function's nodes copied under a prefix, with its arguments bound and its results resolved. */
    private record Inlined(List<NodeDef> nodes, List<String> results, List<String> controlResults) {
    }

    /**
     * @param pivot a node whose control edge every input-less node gets, so that it runs in the
     *              pivot's frame and branch; null for none
     */
    private Inlined inlineBody(FunctionDef function, String prefix, List<String> argValues, String pivot) {
        Map<String, String> args = new HashMap<>();
        List<OpDef.ArgDef> inputArgs = function.getSignature().getInputArgList();
        for (int i = 0; i < inputArgs.size() && i < argValues.size(); i++) {
            args.put(inputArgs.get(i).getName(), argValues.get(i));
        }
        Map<String, NodeDef> inner = new HashMap<>();
        function.getNodeDefList().forEach(n -> inner.put(n.getName(), n));
        List<NodeDef> nodes = new ArrayList<>();
        for (NodeDef node : function.getNodeDefList()) {
            NodeDef.Builder copy = node.toBuilder().setName(prefix + node.getName()).clearInput().clearDevice();
            for (String input : node.getInputList()) {
                copy.addInput(resolve(input, prefix, args, inner));
            }
            if (pivot != null && copy.getInputCount() == 0) {
                copy.addInput("^" + pivot);
            }
            nodes.add(copy.build());
        }
        List<String> results = new ArrayList<>();
        for (OpDef.ArgDef arg : function.getSignature().getOutputArgList()) {
            if (!function.containsRet(arg.getName())) {
                throw new IllegalArgumentException("function " + function.getSignature().getName() + " declares output "
                        + arg.getName() + " but returns no value for it");
            }
            results.add(resolve(function.getRetOrThrow(arg.getName()), prefix, args, inner));
        }
        List<String> controlResults = function.getControlRetMap().values().stream().map(n -> "^" + prefix + n).toList();
        return new Inlined(nodes, results, controlResults);
    }

    private List<NodeDef> expand(NodeDef call, FunctionDef function) {
        String prefix = call.getName() + "/";
        List<NodeDef> expanded = new ArrayList<>();
        String pivot = null;
        boolean inputless = function.getNodeDefList().stream().anyMatch(n -> n.getInputCount() == 0);
        if (inputless && !call.getInputList().isEmpty()) {
            // as TensorFlow's inliner does: the body's constants run where the call's inputs are (a loop frame, a branch)
            pivot = prefix + "input_control_node";
            NodeDef.Builder control = NodeDef.newBuilder().setName(pivot).setOp("NoOp");
            call.getInputList().forEach(i -> control.addInput("^" + opOf(i)));
            expanded.add(control.build());
        }
        Inlined body = inlineBody(function, prefix, dataInputs(call), pivot);
        expanded.addAll(body.nodes());
        NodeDef.Builder outputs = NodeDef.newBuilder().setName(call.getName()).setOp("IdentityN");
        AttrValue.ListValue.Builder types = AttrValue.ListValue.newBuilder();
        List<OpDef.ArgDef> outputArgs = function.getSignature().getOutputArgList();
        List<DataType> tout = call.getAttrOrDefault("Tout", AttrValue.getDefaultInstance()).getList().getTypeList();
        for (int i = 0; i < outputArgs.size(); i++) {
            outputs.addInput(body.results().get(i));
            types.addType(i < tout.size() ? tout.get(i) : outputArgs.get(i).getType());
        }
        // a call runs its function's stateful ops even when no output depends on them (control_ret)
        body.controlResults().forEach(outputs::addInput);
        if (outputArgs.isEmpty()) {
            // a call with no outputs (an initialiser): keep an empty group so control edges still resolve
            outputs.setOp("NoOp");
        } else {
            outputs.putAttr("T", AttrValue.newBuilder().setList(types).build());
        }
        expanded.add(outputs.build());
        return expanded;
    }

    /** If(cond, args): Switch every argument on cond, inline both branches, Merge their results. */
    private List<NodeDef> lowerIf(NodeDef node, FunctionDef then, FunctionDef otherwise) {
        List<String> args = dataInputs(node);
        List<DataType> types = node.getAttrOrDefault("Tin", AttrValue.getDefaultInstance()).getList().getTypeList();
        List<DataType> tout = node.getAttrOrDefault("Tout", AttrValue.getDefaultInstance()).getList().getTypeList();
        List<NodeDef> nodes = new ArrayList<>();
        String results = cond(nodes, node.getName(), args.get(0), args.subList(1, args.size()), types,
                List.of(then, otherwise), tout, controlInputs(node));
        nodes.add(identityN(node.getName(), outputsOf(results, tout.size()), tout));
        return nodes;
    }

    /**
     * Case(index, args): a chain of conds, "index == k" choosing branch k, the last branch taking
     * every other index (as Case does for an index out of range).
     */
    private List<NodeDef> lowerCase(NodeDef node, List<FunctionDef> branches) {
        List<String> args = dataInputs(node);
        List<DataType> types = node.getAttrOrDefault("Tin", AttrValue.getDefaultInstance()).getList().getTypeList();
        List<DataType> tout = node.getAttrOrDefault("Tout", AttrValue.getDefaultInstance()).getList().getTypeList();
        List<NodeDef> nodes = new ArrayList<>();
        String results = caseFrom(nodes, node.getName(), 0, args.get(0), args.subList(1, args.size()), types, branches,
                tout, controlInputs(node), null);
        nodes.add(identityN(node.getName(), outputsOf(results, tout.size()), tout));
        return nodes;
    }

    /**
     * @param pivot the node whose control edge input-less nodes of the branches get (the enclosing
     *              branch's pivot), null at the top
     */
    private String caseFrom(List<NodeDef> nodes, String name, int k, String index, List<String> args, List<DataType> types,
            List<FunctionDef> branches, List<DataType> tout, List<String> control, String pivot) {
        if (k == branches.size() - 1) {
            String prefix = name + "/branch_" + k + "/";
            Inlined body = inlineBody(branches.get(k), prefix, args, pivot);
            nodes.addAll(body.nodes());
            nodes.add(identityN(name + "/branch_" + k + "_results", body.results(), tout).toBuilder()
                    .addAllInput(body.controlResults()).build());
            return name + "/branch_" + k + "_results";
        }
        String level = name + "/case_" + k;
        // in the index's frame and branch, as the index is
        nodes.add(constant(level + "/k", k).toBuilder().addInput("^" + opOf(index)).build());
        nodes.add(NodeDef.newBuilder().setName(level + "/pred").setOp("Equal").addInput(index).addInput(level + "/k")
                .putAttr("T", type(DataType.DT_INT32)).addAllInput(control).build());
        // the other branches become the false side of this level: an inner cond, inlined here
        return condWith(nodes, level, level + "/pred", args, types, tout, control,
                (prefix, branchArgs, branchPivot) -> inlineBody(branches.get(k), prefix, branchArgs, branchPivot),
                (prefix, branchArgs, branchPivot) -> {
                    List<NodeDef> inner = new ArrayList<>();
                    String innerResults = caseFrom(inner, prefix + "rest", k + 1, index, branchArgs, types, branches, tout,
                            List.of("^" + branchPivot), branchPivot);
                    return new Inlined(inner, outputsOf(innerResults, tout.size()), List.of());
                });
    }

    private static List<String> outputsOf(String node, int count) {
        List<String> outputs = new ArrayList<>();
        for (int j = 0; j < count; j++) {
            outputs.add(node + ":" + j);
        }
        return outputs;
    }

    private static String opOf(String input) {
        String name = input.startsWith("^") ? input.substring(1) : input;
        return name.contains(":") ? name.substring(0, name.lastIndexOf(':')) : name;
    }

    private interface Branch {
        Inlined inline(String prefix, List<String> args, String pivot);
    }

    private String cond(List<NodeDef> nodes, String name, String predicate, List<String> args, List<DataType> types,
            List<FunctionDef> branches, List<DataType> tout, List<String> control) {
        return condWith(nodes, name, predicate, args, types, tout, control,
                (prefix, branchArgs, pivot) -> inlineBody(branches.get(0), prefix, branchArgs, pivot),
                (prefix, branchArgs, pivot) -> inlineBody(branches.get(1), prefix, branchArgs, pivot));
    }

    /** Builds a TF1 cond; returns the name of an IdentityN holding its results. */
    private String condWith(List<NodeDef> nodes, String name, String predicate, List<String> args, List<DataType> types,
            List<DataType> tout, List<String> control, Branch then, Branch otherwise) {
        nodes.add(NodeDef.newBuilder().setName(name + "/switch_pred").setOp("Switch").addInput(predicate)
                .addInput(predicate).putAttr("T", type(DataType.DT_BOOL)).addAllInput(control).build());
        nodes.add(identity(name + "/pivot_t", name + "/switch_pred:1", DataType.DT_BOOL));
        nodes.add(identity(name + "/pivot_f", name + "/switch_pred", DataType.DT_BOOL));
        List<String> thenArgs = new ArrayList<>();
        List<String> elseArgs = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String sw = name + "/input_" + i;
            nodes.add(NodeDef.newBuilder().setName(sw).setOp("Switch").addInput(args.get(i)).addInput(predicate)
                    .putAttr("T", type(i < types.size() ? types.get(i) : DataType.DT_FLOAT)).addAllInput(control).build());
            thenArgs.add(sw + ":1");
            elseArgs.add(sw);
        }
        Inlined thenBody = then.inline(name + "/then/", thenArgs, name + "/pivot_t");
        Inlined elseBody = otherwise.inline(name + "/else/", elseArgs, name + "/pivot_f");
        nodes.addAll(thenBody.nodes());
        nodes.addAll(elseBody.nodes());
        // the branch that ran, once its stateful ops (control results) are done: live on either side
        nodes.add(identity(name + "/then_done", name + "/pivot_t", DataType.DT_BOOL).toBuilder()
                .addAllInput(thenBody.controlResults()).build());
        nodes.add(identity(name + "/else_done", name + "/pivot_f", DataType.DT_BOOL).toBuilder()
                .addAllInput(elseBody.controlResults()).build());
        nodes.add(merge(name + "/branch_executed", name + "/then_done", name + "/else_done", DataType.DT_BOOL));
        List<String> results = new ArrayList<>();
        for (int j = 0; j < tout.size(); j++) {
            nodes.add(merge(name + "/output_" + j, thenBody.results().get(j), elseBody.results().get(j), tout.get(j)));
            results.add(name + "/output_" + j);
        }
        NodeDef outputs = identityN(name + "/results", results, tout).toBuilder().addInput("^" + name + "/branch_executed")
                .build();
        nodes.add(outputs);
        return outputs.getName();
    }

    /** While(args): a TF1 loop frame named after the node around the inlined condition and body. */
    private List<NodeDef> lowerWhile(NodeDef node, FunctionDef cond, FunctionDef body) {
        String name = node.getName();
        List<String> args = dataInputs(node);
        List<DataType> types = node.getAttrOrDefault("T", AttrValue.getDefaultInstance()).getList().getTypeList();
        long parallel = node.getAttrOrDefault("parallel_iterations", AttrValue.newBuilder().setI(10).build()).getI();
        List<NodeDef> nodes = new ArrayList<>();
        List<String> merges = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            DataType t = types.get(i);
            nodes.add(NodeDef.newBuilder().setName(name + "/enter_" + i).setOp("Enter").addInput(args.get(i))
                    .addAllInput(controlInputs(node)).putAttr("T", type(t))
                    .putAttr("frame_name", AttrValue.newBuilder().setS(ByteString.copyFromUtf8(name)).build())
                    .putAttr("is_constant", AttrValue.newBuilder().setB(false).build())
                    .putAttr("parallel_iterations", AttrValue.newBuilder().setI(parallel).build()).build());
            nodes.add(merge(name + "/merge_" + i, name + "/enter_" + i, name + "/next_iteration_" + i, t));
            merges.add(name + "/merge_" + i);
        }
        Inlined condition = inlineBody(cond, name + "/cond/", merges, merges.get(0));
        nodes.addAll(condition.nodes());
        nodes.add(NodeDef.newBuilder().setName(name + "/loop_cond").setOp("LoopCond").addInput(condition.results().get(0))
                .build());
        List<String> bodyArgs = new ArrayList<>();
        List<String> exits = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            DataType t = types.get(i);
            nodes.add(NodeDef.newBuilder().setName(name + "/switch_" + i).setOp("Switch").addInput(merges.get(i))
                    .addInput(name + "/loop_cond").putAttr("T", type(t)).build());
            nodes.add(NodeDef.newBuilder().setName(name + "/exit_" + i).setOp("Exit").addInput(name + "/switch_" + i)
                    .putAttr("T", type(t)).build());
            nodes.add(identity(name + "/body_input_" + i, name + "/switch_" + i + ":1", t));
            bodyArgs.add(name + "/body_input_" + i);
            exits.add(name + "/exit_" + i);
        }
        Inlined loopBody = inlineBody(body, name + "/body/", bodyArgs, bodyArgs.get(0));
        nodes.addAll(loopBody.nodes());
        for (int i = 0; i < args.size(); i++) {
            nodes.add(NodeDef.newBuilder().setName(name + "/next_iteration_" + i).setOp("NextIteration")
                    .addInput(loopBody.results().get(i)).addAllInput(loopBody.controlResults()).putAttr("T", type(types.get(i)))
                    .build());
        }
        nodes.add(identityN(name, exits, types));
        return nodes;
    }

    private static NodeDef identityN(String name, List<String> inputs, List<DataType> types) {
        if (inputs.isEmpty()) {
            return NodeDef.newBuilder().setName(name).setOp("NoOp").build();
        }
        return NodeDef.newBuilder().setName(name).setOp("IdentityN").addAllInput(inputs)
                .putAttr("T", AttrValue.newBuilder().setList(AttrValue.ListValue.newBuilder().addAllType(types)).build())
                .build();
    }

    private static NodeDef identity(String name, String input, DataType t) {
        return NodeDef.newBuilder().setName(name).setOp("Identity").addInput(input).putAttr("T", type(t)).build();
    }

    private static NodeDef merge(String name, String a, String b, DataType t) {
        return NodeDef.newBuilder().setName(name).setOp("Merge").addInput(a).addInput(b).putAttr("T", type(t))
                .putAttr("N", AttrValue.newBuilder().setI(2).build()).build();
    }

    private static NodeDef constant(String name, int value) {
        return NodeDef.newBuilder().setName(name).setOp("Const").putAttr("dtype", type(DataType.DT_INT32))
                .putAttr("value", AttrValue.newBuilder().setTensor(TensorProto.newBuilder().setDtype(DataType.DT_INT32)
                        .setTensorShape(TensorShapeProto.getDefaultInstance()).addIntVal(value)).build())
                .build();
    }

    private static AttrValue type(DataType t) {
        return AttrValue.newBuilder().setType(t).build();
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
        int index;
        try {
            index = Integer.parseInt(parts[2]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a function body refers to '" + input
                    + "', which is not of the form node:output:index", e);
        }
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
