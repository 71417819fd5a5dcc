package org.tensorscope.onnx.internal.run;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tensorscope.core.trace.UncheckedTensor;
import org.tensorscope.onnx.internal.OnnxModel;
import org.tensorscope.onnx.internal.load.OnnxGraph;
import org.tensorscope.onnx.internal.load.OnnxNode;
import org.tensorscope.onnx.internal.load.OnnxValueInfo;
import org.tensorscope.onnx.internal.load.ScopedGraph;
import org.tensorscope.onnx.internal.load.StoredTensor;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;

/**
 * Rewrites a model so that ONNX Runtime returns the values inside its subgraphs, which it never
 * returns otherwise:
 * <ul>
 * <li>an If whose branch is chosen is replaced by that branch's nodes (and initializers), followed
 * by an Identity per output giving the branch's output the If's output name; branches nested in it
 * are treated the same way once their own condition is known;</li>
 * <li>a Loop or Scan body also returns, as extra scan outputs, the values of its nodes and inputs,
 * which the Loop or Scan stacks along a new first axis, one slice per iteration.</li>
 * </ul>
 * Node and value names are kept: ONNX requires them unique in a graph and the graphs nested in it,
 * so a branch's nodes fit in the graph that held the If. Every value is then a graph output, or those asked for
 * besides the file's outputs, or (for a CURT pass) their sums.
 */
final class SubgraphInliner {

    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_OUTPUT = 12;
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int ATTRIBUTE_NAME = 1;
    private static final int ATTRIBUTE_GRAPH = 6;
    private static final int ATTRIBUTE_INTS = 8;
    private static final int ATTRIBUTE_I = 3;
    private static final int ATTRIBUTE_TYPE = 20;
    private static final int ATTRIBUTE_TYPE_INT = 2;
    private static final int ELEMENT_TYPE_FLOAT = 1;
    private static final int ELEMENT_TYPE_INT64 = 7;
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    private static final int VALUE_INFO_NAME = 1;
    /** Names this class gives what it adds; the prefix keeps them apart from the model's. */
    private static final String PREFIX = "tensorscope::";

    private final OnnxModel model;
    private final byte[] file;
    private final Map<String, Boolean> choices;
    private final boolean exposeLoops;
    private final String loopsNotExposed;
    /** The values the model returns besides the file's own outputs; null for every value. */
    private final Set<String> returnedOnly;
    /** Values whose sums the model returns instead, in order, by ONNX name: true for those cast to float first. */
    private final Map<String, Boolean> summed;
    /** Values whose element and non-finite counts the model returns, in order, by ONNX name. */
    private final List<String> counted;
    /** Whether only the counted values' element counts are returned ({@link #sizing}), not their non-finite counts. */
    private final boolean sizesOnly;

    private final ProtoMessage nodes = new ProtoMessage();
    private final ProtoMessage initializers = new ProtoMessage();
    private final Set<String> defined = new HashSet<>();
    private final Map<String, String> computed = new LinkedHashMap<>();
    private final List<String> stackedOutputs = new ArrayList<>();
    private final List<InlinedModel.PendingIf> pending = new ArrayList<>();
    private final Map<String, InlinedModel.ExposedLoop> loops = new LinkedHashMap<>();
    private final Map<String, String> notComputed = new LinkedHashMap<>();
    private final List<UncheckedTensor> unchecked = new ArrayList<>();
    private final Deque<ScopedGraph> scopes = new ArrayDeque<>();
    private int added;

    private SubgraphInliner(OnnxModel model, Map<String, Boolean> choices, boolean exposeLoops, String loopsNotExposed,
            Set<String> returnedOnly, Map<String, Boolean> summed, List<String> counted) {
        this(model, choices, exposeLoops, loopsNotExposed, returnedOnly, summed, counted, false);
    }

    private SubgraphInliner(OnnxModel model, Map<String, Boolean> choices, boolean exposeLoops, String loopsNotExposed,
            Set<String> returnedOnly, Map<String, Boolean> summed, List<String> counted, boolean sizesOnly) {
        this.sizesOnly = sizesOnly;
        this.model = model;
        this.file = model.bytes();
        this.choices = choices;
        this.exposeLoops = exposeLoops;
        this.loopsNotExposed = loopsNotExposed;
        this.returnedOnly = returnedOnly;
        this.summed = summed;
        this.counted = counted;
    }

    /**
     * @param choices         the branch chosen for If ops, by op name: true for then_branch
     * @param exposeLoops     whether Loop and Scan bodies return their values
     * @param loopsNotExposed why loop bodies are not exposed, for the unchecked list, when {@code exposeLoops} is false
     */
    static InlinedModel inline(OnnxModel model, Map<String, Boolean> choices, boolean exposeLoops,
            String loopsNotExposed) throws IOException {
        return new SubgraphInliner(model, choices, exposeLoops, loopsNotExposed, null, Map.of(), List.of()).inline();
    }

    /**
     * The same model returning only these values (ONNX names) besides the file's own outputs: ONNX Runtime keeps
     * every output of a model until its run ends, even those a run does not ask for.
     */
    static InlinedModel inline(OnnxModel model, Map<String, Boolean> choices, boolean exposeLoops,
            String loopsNotExposed, Set<String> returnedOnly) throws IOException {
        return new SubgraphInliner(model, choices, exposeLoops, loopsNotExposed, Set.copyOf(returnedOnly), Map.of(),
                List.of()).inline();
    }

    /**
     * The same model returning, besides the file's own outputs and the {@code returned} values, one float tensor
     * {@link #SUMS} holding the sum of each of the {@code summed} values, in their order, instead of the values: a
     * float sum is NaN or infinite whenever a value it adds is, so one number tells that a value is finite, and the
     * values themselves are never copied out. A finite value can still sum to infinity (values near the float
     * range): the sum flags, it does not prove. Needs operator set 6 or later (Cast, Reshape and Concat as they are
     * now).
     *
     * @param summed the values summed, by ONNX name: true for those cast to float first (double, float16, bfloat16)
     */
    static InlinedModel summing(OnnxModel model, Map<String, Boolean> choices, boolean exposeLoops,
            String loopsNotExposed, Set<String> returned, LinkedHashMap<String, Boolean> summed) throws IOException {
        return new SubgraphInliner(model, choices, exposeLoops, loopsNotExposed, Set.copyOf(returned),
                new LinkedHashMap<>(summed), List.of()).inline();
    }

    /**
     * The same model returning, besides the file's own outputs, one int64 tensor {@link #COUNTS} holding for each
     * {@code counted} value, in their order, its element count and its NaN, -Inf and +Inf counts, instead of the
     * values. Float and double values only (IsInf); needs operator set 10 or later.
     */
    static InlinedModel counting(OnnxModel model, Map<String, Boolean> choices, boolean exposeLoops,
            String loopsNotExposed, List<String> counted) throws IOException {
        return new SubgraphInliner(model, choices, exposeLoops, loopsNotExposed, Set.of(), Map.of(),
                List.copyOf(counted)).inline();
    }

    /**
     * The same model returning, besides the file's own outputs, one int64 tensor {@link #SIZES} holding the element
     * count of each {@code sized} value, in their order, instead of the values: what a run returning the values would
     * hold, known before it when ONNX Runtime could not infer their shapes. Values of any tensor type; Size is in
     * every operator set.
     */
    static InlinedModel sizing(OnnxModel model, Map<String, Boolean> choices, boolean exposeLoops,
            String loopsNotExposed, List<String> sized) throws IOException {
        return new SubgraphInliner(model, choices, exposeLoops, loopsNotExposed, Set.of(), Map.of(),
                List.copyOf(sized), true).inline();
    }

    /** The output of a model made by {@link #sizing}: one element count per value. */
    static final String SIZES = PREFIX + "health/sizes";

    /** The output of a model made by {@link #counting}: four counts per value. */
    static final String COUNTS = PREFIX + "health/counts";

    /** The output of a model made by {@link #summing} that holds the sums. */
    static final String SUMS = PREFIX + "health/sums";

    private InlinedModel inline() throws IOException {
        ScopedGraph main = model.mainGraph();
        main.graph().inputs().forEach(i -> defined.add(i.name()));
        main.graph().initializers().forEach(t -> defined.add(t.name()));
        // a branch may not take a name the main graph gives a value, even one defined after the If
        main.graph().nodes().forEach(n -> defined.addAll(n.outputs()));
        emit(main);
        return new InlinedModel(modelBytes(main.graph()), computed, pending, loops, notComputed, unchecked);
    }

    private void emit(ScopedGraph graph) throws IOException {
        scopes.push(graph);
        if (!graph.isMain()) {
            for (StoredTensor initializer : graph.graph().initializers()) {
                initializers.bytes(GRAPH_INITIALIZER, file, initializer.offset(), initializer.length());
                defined.add(initializer.name());
            }
        }
        for (int i = 0; i < graph.graph().nodes().size(); i++) {
            OnnxNode node = graph.graph().nodes().get(i);
            String op = graph.opNames().get(i);
            Map<String, ScopedGraph> subgraphs = graph.subgraphs().get(i);
            if (node.is("If") && subgraphs.containsKey("then_branch") && subgraphs.containsKey("else_branch")) {
                emitIf(node, op, graph, subgraphs);
            } else if ((node.is("Loop") || node.is("Scan")) && subgraphs.containsKey("body") && exposeLoops) {
                emitExposedLoop(node, op, graph, subgraphs.get("body"));
            } else {
                copy(node, graph);
                for (ScopedGraph subgraph : subgraphs.values()) {
                    String reason = node.is("Loop") || node.is("Scan") ? loopsNotExposed
                            : "Tensorscope cannot look inside a subgraph of " + node.opType();
                    uncheckedInside(subgraph, "inside " + subgraph.describe(node.opType()) + ": " + reason);
                }
            }
        }
        scopes.pop();
    }

    private void emitIf(OnnxNode node, String op, ScopedGraph graph, Map<String, ScopedGraph> branches)
            throws IOException {
        Boolean choice = choices.get(op);
        if (choice == null) {
            copy(node, graph);
            pending.add(new InlinedModel.PendingIf(op, tensorOf(node.inputs().get(0)), node.inputs().get(0)));
            branches.values().forEach(b -> uncheckedInside(b, "inside " + b.describe("If")
                    + ": the branch taken is not known yet"));
            return;
        }
        ScopedGraph taken = branches.get(choice ? "then_branch" : "else_branch");
        ScopedGraph other = branches.get(choice ? "else_branch" : "then_branch");
        if (!fits(taken)) {
            copy(node, graph);
            uncheckedInside(taken, "inside " + taken.describe("If") + ": its values reuse names of the model, "
                    + "so Tensorscope cannot take the branch out of the If to check it");
            other.allTensors().forEach(t -> notComputed.put(t, notTaken(other)));
            return;
        }
        other.allTensors().forEach(t -> notComputed.put(t, notTaken(other)));
        emit(taken);
        for (int k = 0; k < node.outputs().size() && k < taken.graph().outputs().size(); k++) {
            String output = node.outputs().get(k);
            if (output.isEmpty()) {
                continue;
            }
            nodes.bytes(GRAPH_NODE, identity(taken.graph().outputs().get(k).name(), output));
            defined.add(output);
            computed.put(graph.tensors().get(output), output);
        }
    }

    private static String notTaken(ScopedGraph branch) {
        return "it is in " + branch.describe("If") + ", which this input does not take";
    }

    /** Whether a branch's values can join the graph without clashing with a name already there. */
    private boolean fits(ScopedGraph branch) {
        for (StoredTensor initializer : branch.graph().initializers()) {
            if (defined.contains(initializer.name())) {
                return false;
            }
        }
        for (OnnxNode node : branch.graph().nodes()) {
            for (String output : node.outputs()) {
                if (!output.isEmpty() && defined.contains(output)) {
                    return false;
                }
            }
        }
        return true;
    }

    private void emitExposedLoop(OnnxNode node, String op, ScopedGraph graph, ScopedGraph body) throws IOException {
        Map<String, String> stacked = new LinkedHashMap<>();
        List<String> exposed = new ArrayList<>();
        for (OnnxValueInfo input : body.graph().inputs()) {
            String tensor = body.tensors().get(input.name());
            if (input.elemType() != 0 && tensor != null && model.storedTensor(tensor).isEmpty()) {
                exposed.add(input.name());
                stacked.put(tensor, null);
            }
        }
        for (int j = 0; j < body.graph().nodes().size(); j++) {
            OnnxNode inner = body.graph().nodes().get(j);
            for (ScopedGraph nested : body.subgraphs().get(j).values()) {
                uncheckedInside(nested, "inside " + nested.describe(inner.opType()) + " in "
                        + body.describe(node.opType()) + ": ONNX Runtime cannot return the values of a subgraph "
                        + "inside a loop body");
            }
            if (returnsNonTensor(inner)) {
                continue;
            }
            for (String output : inner.outputs()) {
                String tensor = output.isEmpty() ? null : body.tensors().get(output);
                if (tensor != null && model.storedTensor(tensor).isEmpty()) {
                    exposed.add(output);
                    stacked.put(tensor, null);
                }
            }
        }
        ProtoMessage extraBody = new ProtoMessage();
        List<String> loopOutputs = new ArrayList<>();
        List<String> tensors = new ArrayList<>(stacked.keySet());
        for (int e = 0; e < exposed.size(); e++) {
            int n = added++;
            String perIteration = PREFIX + "iteration/" + n;
            String all = PREFIX + "iterations/" + n;
            extraBody.bytes(GRAPH_NODE, identity(exposed.get(e), perIteration));
            extraBody.bytes(GRAPH_OUTPUT, new ProtoMessage().string(VALUE_INFO_NAME, perIteration).toBytes());
            loopOutputs.add(all);
            stacked.put(tensors.get(e), all);
        }
        byte[] newBody = concat(file, body.graph().offset(), body.graph().length(), extraBody.toBytes());
        int carried = node.is("Loop") ? node.inputs().size() - 2 : node.inputs().size() - scanInputs(node);
        int scanOutputs = body.graph().outputs().size() - carried - (node.is("Loop") ? 1 : 0);
        nodes.bytes(GRAPH_NODE, loopNode(node, newBody, carried + scanOutputs, loopOutputs));
        define(node, graph);
        stackedOutputs.addAll(loopOutputs);
        defined.addAll(loopOutputs);
        loops.put(op, new InlinedModel.ExposedLoop(op, node.opType(), stacked));
    }

    /** Ops whose outputs are sequences or optionals, which a loop cannot stack. */
    private static boolean returnsNonTensor(OnnxNode node) {
        String type = node.opType();
        return type.startsWith("Optional") || type.equals("SplitToSequence")
                || (type.startsWith("Sequence") && !type.equals("SequenceAt") && !type.equals("SequenceLength"));
    }

    private static int scanInputs(OnnxNode scan) {
        return scan.attributes().stream().filter(a -> a.name().equals("num_scan_inputs")).findFirst()
                .map(a -> Integer.parseInt(a.summary())).orElse(0);
    }

    /**
     * The Loop or Scan node with its new body, its outputs padded to the body's and the stacked
     * outputs appended; a Scan's per-output axes and directions, when given, get the default (0) for them.
     */
    private byte[] loopNode(OnnxNode node, byte[] newBody, int outputs, List<String> added) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(file, node.offset(), node.length());
        ProtoMessage out = new ProtoMessage();
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(tag) != NODE_ATTRIBUTE) {
                out.copyField(tag, in);
                continue;
            }
            byte[] attribute = in.readByteArray();
            String name = attributeName(attribute);
            if (name.equals("body")) {
                out.bytes(NODE_ATTRIBUTE, withGraph(attribute, newBody));
            } else if (name.equals("scan_output_axes") || name.equals("scan_output_directions")) {
                ProtoMessage zeros = new ProtoMessage();
                for (int i = 0; i < added.size(); i++) {
                    zeros.varint(ATTRIBUTE_INTS, 0);
                }
                out.bytes(NODE_ATTRIBUTE, concat(attribute, 0, attribute.length, zeros.toBytes()));
            } else {
                out.bytes(NODE_ATTRIBUTE, attribute);
            }
        }
        for (int k = node.outputs().size(); k < outputs; k++) {
            out.string(NODE_OUTPUT, "");
        }
        for (String output : added) {
            out.string(NODE_OUTPUT, output);
        }
        return out.toBytes();
    }

    private static String attributeName(byte[] attribute) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(attribute);
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(tag) == ATTRIBUTE_NAME) {
                return in.readString();
            }
            in.skipField(tag);
        }
        return "";
    }

    private static byte[] withGraph(byte[] attribute, byte[] graph) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(attribute);
        ProtoMessage out = new ProtoMessage();
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(tag) == ATTRIBUTE_GRAPH) {
                in.skipField(tag);
            } else {
                out.copyField(tag, in);
            }
        }
        return out.bytes(ATTRIBUTE_GRAPH, graph).toBytes();
    }

    /**
     * Per summed value: a Cast to float if asked, a ReduceSum over every axis (no axes, in every operator set) to a
     * scalar, a Reshape to [1]; then one Concat of them all into {@link #SUMS}.
     */
    private void emitSums() throws IOException {
        String one = shapeOfOne();
        ProtoMessage concat = new ProtoMessage();
        int n = 0;
        for (Map.Entry<String, Boolean> value : summed.entrySet()) {
            String input = value.getKey();
            String stem = PREFIX + "health/sum/" + n++;
            if (value.getValue()) {
                nodes.bytes(GRAPH_NODE, node("Cast", stem + "/float", List.of(input), stem + "/float",
                        intAttribute("to", ELEMENT_TYPE_FLOAT)));
                input = stem + "/float";
            }
            nodes.bytes(GRAPH_NODE, node("ReduceSum", stem, List.of(input), stem, intAttribute("keepdims", 0)));
            nodes.bytes(GRAPH_NODE, node("Reshape", stem + "/1", List.of(stem, one), stem + "/1", null));
            concat.string(NODE_INPUT, stem + "/1");
        }
        nodes.bytes(GRAPH_NODE, concat.string(NODE_OUTPUT, SUMS).string(NODE_NAME, SUMS).string(NODE_OP_TYPE, "Concat")
                .bytes(NODE_ATTRIBUTE, intAttribute("axis", 0)).toBytes());
    }

    /**
     * Per counted value: Size, and IsNaN, IsInf of -Inf and IsInf of +Inf each cast to int64 and summed over every
     * axis; each count reshaped to [1], then one Concat of them all into {@link #COUNTS}. For {@link #sizing}, Size
     * alone, into {@link #SIZES}.
     */
    private void emitCounts() throws IOException {
        String one = shapeOfOne();
        ProtoMessage concat = new ProtoMessage();
        int n = 0;
        for (String value : counted) {
            String stem = PREFIX + "health/count/" + n++;
            nodes.bytes(GRAPH_NODE, node("Size", stem + "/size", List.of(value), stem + "/size", null));
            List<String> counts = new ArrayList<>(List.of(stem + "/size"));
            List<byte[][]> kinds = sizesOnly ? List.of() : List.of(new byte[][] {},
                    new byte[][] { intAttribute("detect_positive", 0) },
                    new byte[][] { intAttribute("detect_negative", 0) });
            for (int k = 0; k < kinds.size(); k++) {
                String kind = stem + "/" + k;
                ProtoMessage test = new ProtoMessage().string(NODE_INPUT, value).string(NODE_OUTPUT, kind + "/is")
                        .string(NODE_NAME, kind + "/is").string(NODE_OP_TYPE, k == 0 ? "IsNaN" : "IsInf");
                for (byte[] attribute : kinds.get(k)) {
                    test.bytes(NODE_ATTRIBUTE, attribute);
                }
                nodes.bytes(GRAPH_NODE, test.toBytes());
                nodes.bytes(GRAPH_NODE, node("Cast", kind + "/int", List.of(kind + "/is"), kind + "/int",
                        intAttribute("to", ELEMENT_TYPE_INT64)));
                nodes.bytes(GRAPH_NODE, node("ReduceSum", kind, List.of(kind + "/int"), kind,
                        intAttribute("keepdims", 0)));
                counts.add(kind);
            }
            for (String count : counts) {
                nodes.bytes(GRAPH_NODE, node("Reshape", count + "/1", List.of(count, one), count + "/1", null));
                concat.string(NODE_INPUT, count + "/1");
            }
        }
        String output = sizesOnly ? SIZES : COUNTS;
        nodes.bytes(GRAPH_NODE, concat.string(NODE_OUTPUT, output).string(NODE_NAME, output)
                .string(NODE_OP_TYPE, "Concat").bytes(NODE_ATTRIBUTE, intAttribute("axis", 0)).toBytes());
    }

    /** Adds the int64 initializer [1] a Reshape to one value takes as its shape; its name. */
    private String shapeOfOne() throws IOException {
        String one = PREFIX + "health/shape";
        initializers.bytes(GRAPH_INITIALIZER, new ProtoMessage().varint(TENSOR_DIMS, 1)
                .varint(TENSOR_DATA_TYPE, ELEMENT_TYPE_INT64).string(TENSOR_NAME, one)
                .bytes(TENSOR_RAW_DATA, new byte[] { 1, 0, 0, 0, 0, 0, 0, 0 }).toBytes());
        return one;
    }

    private static byte[] node(String type, String name, List<String> inputs, String output, byte[] attribute)
            throws IOException {
        ProtoMessage node = new ProtoMessage();
        for (String input : inputs) {
            node.string(NODE_INPUT, input);
        }
        node.string(NODE_OUTPUT, output).string(NODE_NAME, name).string(NODE_OP_TYPE, type);
        if (attribute != null) {
            node.bytes(NODE_ATTRIBUTE, attribute);
        }
        return node.toBytes();
    }

    private static byte[] intAttribute(String name, long value) throws IOException {
        return new ProtoMessage().string(ATTRIBUTE_NAME, name).varint(ATTRIBUTE_I, value)
                .varint(ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_INT).toBytes();
    }

    private static byte[] identity(String input, String output) throws IOException {
        return new ProtoMessage().string(NODE_INPUT, input).string(NODE_OUTPUT, output)
                .string(NODE_NAME, PREFIX + output).string(NODE_OP_TYPE, "Identity").toBytes();
    }

    private void copy(OnnxNode node, ScopedGraph graph) throws IOException {
        nodes.bytes(GRAPH_NODE, file, node.offset(), node.length());
        define(node, graph);
    }

    private void define(OnnxNode node, ScopedGraph graph) {
        for (String output : node.outputs()) {
            if (output.isEmpty()) {
                continue;
            }
            defined.add(output);
            String tensor = graph.tensors().get(output);
            if (tensor != null && model.storedTensor(tensor).isEmpty()) {
                computed.put(tensor, output);
            }
        }
    }

    private void uncheckedInside(ScopedGraph subgraph, String reason) {
        for (String tensor : subgraph.allTensors()) {
            if (model.storedTensor(tensor).isEmpty()
                    && !model.graph().op(org.tensorscope.core.model.TensorSpec.opNameOf(tensor))
                            .map(o -> o.type().equals(org.tensorscope.onnx.internal.load.OnnxGraphConverter.SUBGRAPH_INPUT_TYPE))
                            .orElse(false)) {
                unchecked.add(new UncheckedTensor(tensor, reason));
            }
        }
    }

    /** The tensor an ONNX name means where the node being emitted is: in its graph or an enclosing one. */
    private String tensorOf(String onnxName) {
        for (ScopedGraph scope : scopes) {
            String tensor = scope.tensors().get(onnxName);
            if (tensor != null) {
                return tensor;
            }
        }
        throw new IllegalStateException("no value named " + onnxName);
    }

    private static byte[] concat(byte[] source, int offset, int length, byte[] tail) {
        byte[] joined = new byte[length + tail.length];
        System.arraycopy(source, offset, joined, 0, length);
        System.arraycopy(tail, 0, joined, length, tail.length);
        return joined;
    }

    /** The ModelProto: the file's fields, with the main graph's nodes replaced and every value (or those asked for) an output. */
    private byte[] modelBytes(OnnxGraph main) throws IOException {
        Set<String> declared = new HashSet<>();
        main.outputs().forEach(o -> declared.add(o.name()));
        if (!summed.isEmpty()) {
            emitSums();
        }
        if (!counted.isEmpty()) {
            emitCounts();
        }
        ProtoMessage graph = new ProtoMessage().raw(nodes.toBytes());
        CodedInputStream in = CodedInputStream.newInstance(file, main.offset(), main.length());
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(tag) == GRAPH_NODE) {
                in.skipField(tag);
            } else {
                graph.copyField(tag, in);
            }
        }
        graph.raw(initializers.toBytes());
        List<String> outputs = new ArrayList<>(computed.values());
        outputs.addAll(stackedOutputs);
        for (String output : outputs) {
            if ((returnedOnly == null || returnedOnly.contains(output)) && declared.add(output)) {
                graph.bytes(GRAPH_OUTPUT, new ProtoMessage().string(VALUE_INFO_NAME, output).toBytes());
            }
        }
        if (!summed.isEmpty()) {
            graph.bytes(GRAPH_OUTPUT, new ProtoMessage().string(VALUE_INFO_NAME, SUMS).toBytes());
        }
        if (!counted.isEmpty()) {
            graph.bytes(GRAPH_OUTPUT, new ProtoMessage().string(VALUE_INFO_NAME, sizesOnly ? SIZES : COUNTS).toBytes());
        }
        CodedInputStream modelIn = CodedInputStream.newInstance(file);
        ProtoMessage modelOut = new ProtoMessage();
        while ((tag = modelIn.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(tag) == MODEL_GRAPH) {
                modelIn.skipField(tag);
                modelOut.bytes(MODEL_GRAPH, graph.toBytes());
            } else {
                modelOut.copyField(tag, modelIn);
            }
        }
        return modelOut.toBytes();
    }
}
