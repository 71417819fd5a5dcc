package org.tensorscope.tensorflow.internal.run;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorscope.core.model.Shape;

/**
 * The ops through which a NaN or an infinity in an input always reaches the output: arithmetic on it (x + y,
 * x * y, x / y for x, a sum, a convolution or matrix product that reads every element of it) gives NaN or an
 * infinity again (Inf * 0 and Inf - Inf are NaN), and padding or concatenating keeps it. So when such an op's
 * output is finite, so is that input, and a CURT pass need not probe the input: it "anchors" on the output.
 * Ops that can turn a non-finite value finite (Relu, Maximum, Sigmoid, comparisons, selections, x / Inf, a slice
 * or a strided convolution that skips it) are not here. An anchored tensor whose anchor turns out not finite is
 * probed by the pass's follow-up run.
 */
final class Propagation {

    /** Ops with the inputs (by index; -1: every data input but the last, ConcatV2's axis) that always reach output 0. */
    private static final Map<String, int[]> REACHING = Map.ofEntries(
            Map.entry("Add", new int[] { 0, 1 }), Map.entry("AddV2", new int[] { 0, 1 }),
            Map.entry("Sub", new int[] { 0, 1 }), Map.entry("Mul", new int[] { 0, 1 }),
            Map.entry("BiasAdd", new int[] { 0, 1 }), Map.entry("SquaredDifference", new int[] { 0, 1 }),
            Map.entry("RealDiv", new int[] { 0 }), Map.entry("Neg", new int[] { 0 }),
            Map.entry("Square", new int[] { 0 }), Map.entry("Abs", new int[] { 0 }),
            Map.entry("Sum", new int[] { 0 }), Map.entry("Mean", new int[] { 0 }),
            Map.entry("Pad", new int[] { 0 }), Map.entry("PadV2", new int[] { 0 }),
            Map.entry("MirrorPad", new int[] { 0 }), Map.entry("MatMul", new int[] { 0, 1 }),
            Map.entry("Conv2D", new int[] { 0 }), Map.entry("DepthwiseConv2dNative", new int[] { 0 }),
            Map.entry("ConcatV2", new int[] { -1 }), Map.entry("Pack", new int[] { -2 }),
            Map.entry("AddN", new int[] { -2 }));

    private static final Set<String> PRODUCTS = Set.of("Mul", "MatMul", "Conv2D", "DepthwiseConv2dNative");
    /** Ops whose output does not depend on their input's values, which grappler may fold to a constant. */
    private static final Set<String> VALUE_FREE = Set.of("ZerosLike", "OnesLike", "Shape", "ShapeN", "Size", "Rank");

    private final Map<String, NodeDef> nodes = new HashMap<>();
    /** Per tensor "op:k", the nodes reading it as data and at which input. */
    private final Map<String, List<Read>> readers = new HashMap<>();

    private record Read(NodeDef node, int input) {
    }

    private Propagation(GraphDef graph) {
        for (NodeDef node : graph.getNodeList()) {
            nodes.put(node.getName(), node);
            for (int i = 0; i < node.getInputCount(); i++) {
                String input = node.getInput(i);
                if (!input.startsWith("^")) {
                    readers.computeIfAbsent(FusibleChains.canonical(input), k -> new ArrayList<>()).add(new Read(node, i));
                }
            }
        }
    }

    static Propagation of(GraphDef graph) {
        return new Propagation(graph);
    }

    /**
     * For each tensor a CURT pass may leave unprobed, its anchor: the output of an op it always reaches, itself
     * probed or anchored (decided from the outputs back, so every chain of anchors ends at a probed tensor).
     *
     * @param tensors     the pass's float tensors in topological order
     * @param notAnchored tensors that are neither anchored nor anchors (fed, constants, copies, whose rows come
     *                    from elsewhere)
     * @param insides     the insides of fusible chains: anchored when they can be, never anchors otherwise
     * @param shapes      each tensor's static shape, with the fed tensors' shapes
     */
    Map<String, String> anchors(List<String> tensors, Set<String> notAnchored, Set<String> insides, ControlFlow flow,
            Function<String, Shape> shapes) {
        Set<String> listed = Set.copyOf(tensors);
        Map<String, String> anchors = new LinkedHashMap<>();
        for (int t = tensors.size() - 1; t >= 0; t--) {
            String tensor = tensors.get(t);
            if (notAnchored.contains(tensor) || !inRoot(flow, tensor)) {
                continue;
            }
            for (Read read : readers.getOrDefault(tensor, List.of())) {
                String output = read.node().getName() + ":0";
                boolean anchor = listed.contains(output) && !notAnchored.contains(output) && inRoot(flow, output)
                        && (!insides.contains(output) || anchors.containsKey(output));
                if (anchor && reaches(read, shapes)) {
                    anchors.put(tensor, output);
                    break;
                }
            }
        }
        return anchors;
    }

    /** Whether a NaN or infinity anywhere in the read input always shows in the output. */
    private boolean reaches(Read read, Function<String, Shape> shapes) {
        NodeDef node = read.node();
        int[] inputs = REACHING.get(node.getOp());
        if (inputs == null) {
            return false;
        }
        int dataInputs = (int) node.getInputList().stream().filter(i -> !i.startsWith("^")).count();
        boolean listedInput = switch (inputs[0]) {
            case -1 -> read.input() < dataInputs - 1;
            case -2 -> read.input() < dataInputs;
            default -> java.util.Arrays.stream(inputs).anyMatch(i -> i == read.input());
        };
        // an output with no element hides everything; a known, non-empty one holds every broadcast input element
        Shape output = shapes.apply(node.getName() + ":0");
        if (!listedInput || output == null || !output.isFullyDefined() || output.numElements() <= 0) {
            return false;
        }
        if (PRODUCTS.contains(node.getOp()) && node.getInputList().stream().filter(i -> !i.startsWith("^"))
                .anyMatch(this::mayFoldToZeros)) {
            return false; // grappler replaces a product with a constant of zeros by zeros, dropping the NaN
        }
        return switch (node.getOp()) {
            case "Conv2D", "DepthwiseConv2dNative" -> readsEveryElement(node, shapes);
            default -> true;
        };
    }

    /**
     * Whether grappler may see the input as constant zeros: a float Const (possibly behind Identity ops) of zeros,
     * or anything computed from constants alone other than such a Const (grappler folds it, then may find zeros).
     */
    private boolean mayFoldToZeros(String input) {
        double[] values = FusibleChains.constant(nodes, input);
        if (values != null) {
            return java.util.Arrays.stream(values).allMatch(v -> v == 0);
        }
        return fromConstantsOnly(nodeOf(input), new HashMap<>());
    }

    private NodeDef nodeOf(String input) {
        String name = input.startsWith("^") ? input.substring(1) : input;
        int colon = name.indexOf(':');
        return nodes.get(colon < 0 ? name : name.substring(0, colon));
    }

    /** Whether a node's value depends on constants only (no placeholder, variable or other source op). */
    private boolean fromConstantsOnly(NodeDef node, Map<String, Boolean> known) {
        if (node == null) {
            return false;
        }
        Boolean cached = known.get(node.getName());
        if (cached != null) {
            return cached;
        }
        known.put(node.getName(), false); // a cycle (loops) is not constant
        boolean constant;
        if (VALUE_FREE.contains(node.getOp())) {
            constant = true;
        } else if (node.getInputCount() == 0) {
            constant = node.getOp().equals("Const");
        } else {
            constant = node.getInputList().stream().filter(i -> !i.startsWith("^"))
                    .allMatch(i -> fromConstantsOnly(nodeOf(i), known));
        }
        known.put(node.getName(), constant);
        return constant;
    }

    /**
     * Whether a convolution reads every element of its input: no dilation, and each spatial stride is 1, or (SAME
     * padding) at most the filter's size, so that the windows leave no gap.
     */
    private static boolean readsEveryElement(NodeDef node, Function<String, Shape> shapes) {
        String padding = attr(node, "padding") == null ? "" : attr(node, "padding").getS().toStringUtf8();
        AttrValue strides = attr(node, "strides");
        AttrValue dilations = attr(node, "dilations");
        Shape filter = shapes.apply(FusibleChains.canonical(node.getInput(1)));
        if (strides == null || strides.getList().getICount() != 4 || filter == null || !filter.isFullyDefined()
                || filter.rank() != 4 || !(padding.equals("SAME") || padding.equals("VALID"))) {
            return false;
        }
        if (dilations != null && dilations.getList().getIList().stream().anyMatch(d -> d != 1)) {
            return false;
        }
        AttrValue format = attr(node, "data_format");
        boolean nchw = format != null && format.getS().toStringUtf8().equals("NCHW");
        long[] stride = nchw ? new long[] { strides.getList().getI(2), strides.getList().getI(3) }
                : new long[] { strides.getList().getI(1), strides.getList().getI(2) };
        for (int d = 0; d < 2; d++) {
            if (stride[d] != 1 && !(padding.equals("SAME") && filter.dim(d) >= stride[d])) {
                return false;
            }
        }
        return true;
    }

    private static AttrValue attr(NodeDef node, String name) {
        return node.containsAttr(name) ? node.getAttrOrThrow(name) : null;
    }

    private static boolean inRoot(ControlFlow flow, String tensor) {
        ControlFlow.Place place = flow.place(flow.source(tensor));
        return place != null && place.isRoot() && place.branches().isEmpty() && place.phase() == ControlFlow.Phase.ROOT;
    }
}
