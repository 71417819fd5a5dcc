package org.tensorscope.tensorflow.internal.load;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.SignatureTensor;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.model.WeightInfo;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.tensorflow.internal.run.TfTensors;

/**
 * Turns a frozen GraphDef into the framework-free {@link ModelGraph}: output types and static
 * shapes come from importing it into a throwaway TensorFlow graph, which also proves that every op
 * is known to this TensorFlow.
 */
public final class GraphDefConverter {

    private static final Set<String> NOT_OUTPUTS = Set.of("Const", "NoOp", "Assert", "Placeholder", "VarHandleOp",
            "VariableV2", "SaveV2", "RestoreV2");

    private static final Set<String> LOOP_MERGES = Set.of("Merge", "RefMerge");
    private static final Set<String> LOOP_BACK_EDGES = Set.of("NextIteration", "RefNextIteration");

    private GraphDefConverter() {
    }

    /**
     * @param signatures the model's signatures; when empty, one "serving_default" signature is made
     *                   of the placeholders and the ops nothing consumes
     */
    public static ModelGraph convert(Path source, String format, GraphDef graphDef, List<Signature> signatures)
            throws ModelLoadException {
        if (graphDef.getNodeCount() == 0) {
            throw new ModelLoadException(source, "the graph has no ops");
        }
        GraphLimits.check(source, graphDef);
        try (Graph graph = new Graph()) {
            try {
                graph.importGraphDef(graphDef);
            } catch (IllegalArgumentException | TensorFlowException e) {
                throw new ModelLoadException(source, "TensorFlow cannot build the graph: " + problem(e.getMessage()), e);
            }
            Map<String, OpNode> ops = new LinkedHashMap<>();
            List<WeightInfo> weights = new ArrayList<>();
            for (NodeDef node : graphDef.getNodeList()) {
                GraphOperation operation = graph.operation(node.getName());
                List<TensorSpec> outputs = new ArrayList<>();
                for (int i = 0; operation != null && i < operation.numOutputs(); i++) {
                    Output<?> out = operation.output(i);
                    outputs.add(new TensorSpec(node.getName() + ":" + i, TfTensors.dtype(out.dataType()), shape(out)));
                }
                ops.put(node.getName(), new OpNode(node.getName(), node.getOp(), node.getDevice(),
                        AttributeSummary.of(node.getAttrMap()), dataInputs(node), outputs, TfOpRoles.of(node.getOp())));
                if (node.getOp().equals("Const") && node.containsAttr("value")) {
                    var value = node.getAttrOrThrow("value").getTensor();
                    weights.add(new WeightInfo(node.getName(), TfTensors.dtype(value.getDtype()),
                            outputs.isEmpty() ? Shape.unknownRank() : outputs.get(0).shape(), ConstValues.bytes(value),
                            ConstValues.nonFinite(value)));
                }
            }
            List<OpNode> ordered = topologicalOrder(ops);
            List<Signature> sigs = signatures.isEmpty() ? List.of(inferSignature(ordered, controlConsumed(graphDef)))
                    : signatures;
            return new ModelGraph(source, format, ordered, sigs, weights);
        }
    }

    private static Shape shape(Output<?> output) {
        org.tensorflow.ndarray.Shape shape = output.shape();
        return shape.isUnknown() ? Shape.unknownRank() : Shape.of(shape.asArray());
    }

    /** Input tensor names "op:k", without control inputs ("^op"). */
    static List<String> dataInputs(NodeDef node) {
        List<String> inputs = new ArrayList<>();
        for (String input : node.getInputList()) {
            if (!input.startsWith("^")) {
                inputs.add(TensorSpec.tensorName(input));
            }
        }
        return inputs;
    }

    /**
     * Kahn's algorithm, keeping the file's order among ops that are ready together. A loop's back
     * edges (NextIteration into Merge) are left out, so a loop's ops come in the order one iteration
     * runs them.
     */
    static List<OpNode> topologicalOrder(Map<String, OpNode> ops) {
        Map<String, Integer> pending = new HashMap<>();
        Map<String, List<String>> consumers = new HashMap<>();
        for (OpNode op : ops.values()) {
            Set<String> producers = new HashSet<>();
            for (String input : op.inputs()) {
                String producer = input.substring(0, input.lastIndexOf(':'));
                boolean backEdge = LOOP_MERGES.contains(op.type()) && ops.containsKey(producer)
                        && LOOP_BACK_EDGES.contains(ops.get(producer).type());
                if (ops.containsKey(producer) && !backEdge) {
                    producers.add(producer);
                }
            }
            pending.put(op.name(), producers.size());
            producers.forEach(p -> consumers.computeIfAbsent(p, k -> new ArrayList<>()).add(op.name()));
        }
        List<OpNode> order = new ArrayList<>(ops.size());
        Deque<String> ready = new ArrayDeque<>();
        ops.keySet().stream().filter(name -> pending.get(name) == 0).forEach(ready::add);
        while (!ready.isEmpty()) {
            String name = ready.poll();
            order.add(ops.get(name));
            for (String consumer : consumers.getOrDefault(name, List.of())) {
                if (pending.merge(consumer, -1, Integer::sum) == 0) {
                    ready.add(consumer);
                }
            }
        }
        if (order.size() < ops.size()) {
            // a cycle (control flow loops): keep the rest in file order
            Set<OpNode> placed = new HashSet<>(order);
            ops.values().stream().filter(op -> !placed.contains(op)).forEach(order::add);
        }
        return order;
    }

    /** Ops some other op waits for through a control edge ("^op"), such as a lowered cond's branch_executed. */
    private static Set<String> controlConsumed(GraphDef graphDef) {
        Set<String> consumed = new HashSet<>();
        graphDef.getNodeList().forEach(n -> n.getInputList().stream().filter(i -> i.startsWith("^"))
                .forEach(i -> consumed.add(i.substring(1))));
        return consumed;
    }

    private static Signature inferSignature(List<OpNode> ops, Set<String> controlConsumed) {
        Set<String> consumed = new HashSet<>(controlConsumed);
        ops.forEach(op -> op.inputs().forEach(i -> consumed.add(i.substring(0, i.lastIndexOf(':')))));
        List<SignatureTensor> inputs = ops.stream().filter(op -> op.type().equals("Placeholder"))
                .map(op -> new SignatureTensor(op.name(), op.outputs().get(0))).toList();
        List<SignatureTensor> outputs = ops.stream()
                .filter(op -> !consumed.contains(op.name()) && !NOT_OUTPUTS.contains(op.type()) && !op.outputs().isEmpty())
                .map(op -> new SignatureTensor(op.name(), op.outputs().get(0))).toList();
        return new Signature(Signature.DEFAULT_KEY, inputs, outputs);
    }

    private static final java.util.regex.Pattern UNKNOWN_OP = java.util.regex.Pattern
            .compile("Op type not registered '([^']*)'");

    /** TensorFlow's message, cut to what a user needs. */
    static String problem(String message) {
        java.util.regex.Matcher unknown = UNKNOWN_OP.matcher(message == null ? "" : message);
        if (unknown.find()) {
            // the natives are loaded by now: the message names the TensorFlow that refused the op
            return "unknown op type '" + unknown.group(1) + "' (this TensorFlow, " + org.tensorflow.TensorFlow.version()
                    + ", has no such op)";
        }
        return firstLine(message);
    }

    static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).trim();
    }
}
