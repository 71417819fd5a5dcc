package org.tensorscope.tensorflow.internal.run;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;

/**
 * The chains grappler fuses into one kernel on the CPU: a Conv2D, DepthwiseConv2dNative or MatMul whose
 * only consumer is a BiasAdd, optionally followed by an activation that is the BiasAdd's only consumer
 * (what TF.js's {@code _FusedConv2D} and friends are split into when loaded). A probe on a tensor inside
 * such a chain gives it a second consumer, and grappler then runs the chain as two or three kernels.
 * <p>
 * A CURT pass watches a chain's end and the largest magnitude of its input instead of its inside: with
 * constant weights, {@code |x·W + b| <= max|x| · sum|W| + max|b|}, so when that bound lies well inside
 * float32's range every tensor inside the chain is finite, whatever the activation at the end does to
 * it (an infinity that a Relu6 clips to 6 can only come from a chain whose bound fails). Only chains
 * whose end or input is not finite, or whose bound fails, are watched inside, by a second pass.
 */
final class FusibleChains {

    private static final Set<String> BASES = Set.of("Conv2D", "DepthwiseConv2dNative", "MatMul");
    private static final Set<String> ACTIVATIONS = Set.of("Relu", "Relu6", "Elu", "LeakyRelu", "Tanh", "Sigmoid");
    /** Margin for float32 rounding in the sums (at most (1 + 2^-24)^n, n the terms of one output value). */
    private static final double SAFE = Float.MAX_VALUE / 16;

    /**
     * @param input    the tensor the chain reads ("op:k")
     * @param inside   the chain's tensors that only the chain reads (the base op's output, the BiasAdd's when an
     *                 activation follows)
     * @param weightL1 the sum of the magnitudes of all weights (a bound on every output channel's)
     * @param biasMax  the largest bias magnitude
     */
    record Chain(String input, List<String> inside, double weightL1, double biasMax) {

        /** Whether an input of this largest magnitude keeps the inside of the chain finite. */
        boolean provablyFinite(double inputMax) {
            return Double.isFinite(inputMax) && inputMax * weightL1 + biasMax < SAFE;
        }
    }

    private final List<Chain> chains;

    private FusibleChains(List<Chain> chains) {
        this.chains = List.copyOf(chains);
    }

    List<Chain> all() {
        return chains;
    }

    static FusibleChains of(GraphDef graph, ControlFlow flow) {
        Map<String, NodeDef> nodes = new HashMap<>();
        Map<String, List<NodeDef>> readers = new HashMap<>();
        for (NodeDef node : graph.getNodeList()) {
            nodes.put(node.getName(), node);
        }
        for (NodeDef node : graph.getNodeList()) {
            for (String input : node.getInputList()) {
                // a control edge on a chain's op also stops grappler fusing it
                String tensor = input.startsWith("^") ? input.substring(1) + ":0" : canonical(input);
                readers.computeIfAbsent(tensor, k -> new ArrayList<>()).add(node);
            }
        }
        List<Chain> chains = new ArrayList<>();
        for (NodeDef base : graph.getNodeList()) {
            if (!BASES.contains(base.getOp()) || base.getInputCount() != 2 || !isFloat(base)
                    || base.getAttrOrDefault("transpose_a", null) != null && base.getOp().equals("MatMul")
                            && base.getAttrOrThrow("transpose_a").getB()) {
                continue;
            }
            NodeDef bias = onlyReader(readers, base.getName() + ":0");
            if (bias == null || !bias.getOp().equals("BiasAdd") || bias.getInputCount() != 2
                    || !canonical(bias.getInput(0)).equals(base.getName() + ":0")) {
                continue;
            }
            double[] weights = constant(nodes, base.getInput(1));
            double[] biases = constant(nodes, bias.getInput(1));
            if (weights == null || biases == null) {
                continue;
            }
            List<String> inside = new ArrayList<>(List.of(base.getName() + ":0"));
            NodeDef activation = onlyReader(readers, bias.getName() + ":0");
            if (activation != null && ACTIVATIONS.contains(activation.getOp())) {
                inside.add(bias.getName() + ":0");
            }
            String input = canonical(base.getInput(0));
            if (!inRoot(flow, input) || !inside.stream().allMatch(t -> inRoot(flow, t))) {
                continue;
            }
            double l1 = 0;
            for (double w : weights) {
                l1 += Math.abs(w);
            }
            double biasMax = 0;
            for (double b : biases) {
                biasMax = Math.max(biasMax, Math.abs(b));
            }
            if (Double.isFinite(l1) && Double.isFinite(biasMax)) {
                chains.add(new Chain(input, inside, l1, biasMax));
            }
        }
        return new FusibleChains(chains);
    }

    /** The chains none of whose tensors is fed or fetched, and whose inside tensors are all to be watched. */
    List<Chain> usable(Collection<String> watched, Collection<String> fedOrFetched) {
        Set<String> watch = Set.copyOf(watched);
        Set<String> excluded = Set.copyOf(fedOrFetched);
        return chains.stream()
                .filter(c -> c.inside().stream().allMatch(t -> watch.contains(t) && !excluded.contains(t)))
                .toList();
    }

    private static boolean inRoot(ControlFlow flow, String tensor) {
        ControlFlow.Place place = flow.place(flow.source(tensor));
        return place != null && place.frame().isRoot() && place.branches().isEmpty();
    }

    private static boolean isFloat(NodeDef node) {
        return node.containsAttr("T") && node.getAttrOrThrow("T").getType() == DataType.DT_FLOAT;
    }

    private static NodeDef onlyReader(Map<String, List<NodeDef>> readers, String tensor) {
        List<NodeDef> r = readers.getOrDefault(tensor, List.of());
        return r.size() == 1 ? r.get(0) : null;
    }

    static String canonical(String input) {
        return input.contains(":") ? input : input + ":0";
    }

    /** The values of a float32 Const, possibly behind Identity ops; null for anything else. */
    static double[] constant(Map<String, NodeDef> nodes, String input) {
        return constant(nodes, input, false);
    }

    /** The Const a tensor comes from, possibly behind Identity ops; null when it comes from anything else. */
    static NodeDef constNode(Map<String, NodeDef> nodes, String input) {
        NodeDef node = nodes.get(opName(input));
        for (int hops = 0; node != null && node.getOp().equals("Identity") && hops < 4; hops++) {
            node = nodes.get(opName(node.getInput(0)));
        }
        return node != null && node.getOp().equals("Const") && node.containsAttr("value") ? node : null;
    }

    private static String opName(String input) {
        String name = input.startsWith("^") ? input.substring(1) : input;
        int colon = name.indexOf(':');
        return colon < 0 ? name : name.substring(0, colon);
    }

    /**
     * Every value of a float32 (or, if asked, int32 or int64) Const, possibly behind Identity ops, a repeated last
     * value written out; null for anything else, or for a constant of more than 2^26 values.
     */
    static double[] constant(Map<String, NodeDef> nodes, String input, boolean integersToo) {
        NodeDef node = constNode(nodes, input);
        if (node == null) {
            return null;
        }
        TensorProto value = node.getAttrOrThrow("value").getTensor();
        DataType type = value.getDtype();
        if (type != DataType.DT_FLOAT && !(integersToo && (type == DataType.DT_INT32 || type == DataType.DT_INT64))) {
            return null;
        }
        long elements = 1;
        for (var dim : value.getTensorShape().getDimList()) {
            elements *= Math.max(dim.getSize(), 0);
        }
        if (elements > 1 << 26) {
            return null;
        }
        double[] out = new double[(int) elements];
        ByteBuffer content = value.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        boolean packed = !value.getTensorContent().isEmpty();
        int width = type == DataType.DT_INT64 ? 8 : 4;
        int given = packed ? content.remaining() / width : switch (type) {
            case DT_FLOAT -> value.getFloatValCount();
            case DT_INT32 -> value.getIntValCount();
            default -> value.getInt64ValCount();
        };
        for (int i = 0; i < Math.min(given, out.length); i++) {
            out[i] = switch (type) {
                case DT_FLOAT -> packed ? content.getFloat(4 * i) : value.getFloatVal(i);
                case DT_INT32 -> packed ? content.getInt(4 * i) : value.getIntVal(i);
                default -> packed ? content.getLong(8 * i) : value.getInt64Val(i);
            };
        }
        if (given < out.length) {
            // a repeated last value fills the rest of the tensor
            java.util.Arrays.fill(out, given, out.length, given == 0 ? 0 : out[given - 1]);
        }
        return out;
    }
}
