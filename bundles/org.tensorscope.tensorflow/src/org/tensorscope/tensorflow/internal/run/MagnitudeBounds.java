package org.tensorscope.tensorflow.internal.run;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * Upper bounds on the magnitude of float32 tensors, from the largest magnitude of the fed tensors and the values
 * of the constants: |x + y| <= |x| + |y|, |x·W| <= max|x| · (the largest sum of |W| over one output channel), a
 * Relu6 or Sigmoid of a finite tensor lies in [0, 6] or [0, 1], and so on. Sums, products and quotients by
 * non-zero constants of finite values cannot make NaN, and stay finite while their magnitudes stay below
 * float32's largest value; so a tensor whose bound lies far below it is finite, and a CURT pass need not probe
 * it, nor break the fusion of the kernels that make it.
 * <p>
 * Bounds grow with depth, so where a bound would grow past {@value #SEAT_AT} (for inputs of magnitude
 * {@value #PLANNED_INPUT}) the tensor's largest magnitude is measured in the run (two reductions, see
 * {@code TfSession#magnitudes}) and the bounds after it start from that "seat" instead.
 * <p>
 * Ops without a rule here (exponentials, logarithms, square roots, divisions by computed values, variables...)
 * have no bound; their tensors are checked by probes as before, and a Relu6 or Sigmoid of such a tensor is
 * bounded only when its probe finds it finite.
 */
final class MagnitudeBounds {

    /**
     * Below this a bound is taken as proof of finiteness: float32's largest value over 2^20, room for the rounding
     * of float32 sums and for kernels (Winograd convolutions) whose intermediate values exceed the exact ones.
     */
    static final double SAFE = Float.MAX_VALUE / (1 << 20);
    /** The magnitude planned for fed tensors and seats when choosing the seats. */
    static final double PLANNED_INPUT = 1e3;
    /** The planned bound past which a tensor becomes a seat. */
    static final double SEAT_AT = 1e20;

    private static final Set<String> SAME_BOUND = Set.of("Identity", "Snapshot", "StopGradient", "PreventGradient",
            "EnsureShape", "Reshape", "Squeeze", "ExpandDims", "Transpose", "DepthToSpace", "SpaceToDepth", "MaxPool",
            "Max", "Min", "Relu", "ResizeBilinear", "ResizeNearestNeighbor", "Slice",
            "StridedSlice", "Gather", "GatherV2", "GatherNd", "Tile", "BroadcastTo", "Neg", "Abs", "Unpack",
            "SplitV", "ReverseV2", "SpaceToBatchND", "BatchToSpaceND", "MirrorPad", "Pad");
    /** Ops whose output lies within a fixed magnitude whenever their input is finite. */
    private static final Map<String, Double> CLIPPING = Map.of("Relu6", 6.0, "Sigmoid", 1.0, "Tanh", 1.0,
            "Softmax", 1.0, "Softsign", 1.0);
    private static final Set<DataType> INTEGERS = Set.of(DataType.DT_INT8, DataType.DT_INT16, DataType.DT_INT32,
            DataType.DT_INT64, DataType.DT_UINT8, DataType.DT_UINT16, DataType.DT_UINT32, DataType.DT_UINT64,
            DataType.DT_BOOL);

    private final Map<String, NodeDef> nodes = new HashMap<>();
    private final ControlFlow flow;
    /** Tensors a seat's reductions may not read: a second reader would stop grappler fusing their kernels. */
    private final Set<String> unseatable;
    /** The largest magnitude of each float32 constant, and the largest output-channel L1 of weights, by input. */
    private final Map<String, Double> constantMax = new HashMap<>();
    private final Map<String, Double> channelL1 = new HashMap<>();

    /** Which tensors are bounded (in topological order) and which of them are seats. */
    record Plan(List<String> bounded, List<String> seats) {
        static final Plan NONE = new Plan(List.of(), List.of());
    }

    private MagnitudeBounds(GraphDef graph, ControlFlow flow, Set<String> unseatable) {
        graph.getNodeList().forEach(node -> nodes.put(node.getName(), node));
        this.flow = flow;
        this.unseatable = Set.copyOf(unseatable);
    }

    static MagnitudeBounds of(GraphDef graph, ControlFlow flow, FusibleChains chains) {
        Set<String> unseatable = new HashSet<>();
        chains.all().forEach(c -> unseatable.addAll(c.inside()));
        Map<String, List<String>> readers = new HashMap<>();
        for (NodeDef node : graph.getNodeList()) {
            dataInputs(node).forEach(t -> readers.computeIfAbsent(t, k -> new ArrayList<>()).add(node.getOp()));
        }
        for (NodeDef node : graph.getNodeList()) {
            String tensor = node.getName() + ":0";
            List<String> read = readers.getOrDefault(tensor, List.of());
            // what grappler's remapper may fuse with its reader: a kernel's raw output, an addition an activation ends
            if (FUSED_INTO_READER.contains(node.getOp()) || (node.getOp().equals("Add") || node.getOp().equals("AddV2"))
                    && read.size() == 1 && ACTIVATIONS.contains(read.get(0))) {
                unseatable.add(tensor);
            }
        }
        return new MagnitudeBounds(graph, flow, unseatable);
    }

    private static final Set<String> FUSED_INTO_READER = Set.of("Conv2D", "DepthwiseConv2dNative", "MatMul", "BiasAdd",
            "FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3");
    private static final Set<String> ACTIVATIONS = Set.of("Relu", "Relu6", "Elu", "LeakyRelu", "Tanh", "Sigmoid");

    /**
     * The tensors that can be bounded, with the fed tensors and the seats at the planned magnitude.
     *
     * @param tensors the pass's float tensors, in topological order
     * @param fed     the fed tensors
     */
    Plan plan(List<String> tensors, Set<String> fed) {
        Map<String, Double> bounds = new HashMap<>();
        fed.forEach(t -> bounds.put(t, PLANNED_INPUT));
        // a clipping op is planned bounded when its input gets a row in the pass (a tensor left out of it, such as
        // a designed infinity, never would)
        Set<String> listed = Set.copyOf(tensors);
        List<String> bounded = new ArrayList<>();
        List<String> seats = new ArrayList<>();
        for (String tensor : tensors) {
            if (fed.contains(tensor)) {
                bounded.add(tensor); // its bound is its fed values' largest magnitude
                continue;
            }
            double bound = bound(tensor, bounds, t -> bounds.containsKey(t) || listed.contains(t));
            if (!(bound < SAFE)) {
                continue;
            }
            bounded.add(tensor);
            if (bound > SEAT_AT && !unseatable.contains(tensor)) {
                seats.add(tensor);
                bound = PLANNED_INPUT;
            }
            bounds.put(tensor, bound);
        }
        return new Plan(List.copyOf(bounded), List.copyOf(seats));
    }

    /**
     * Whether a tensor holds a constant's values (the Const's output, or an Identity of it): the bounds and the
     * fusible chains' proofs read such values from the graph, so a pass that feeds or overrides one cannot use them.
     */
    boolean isConstant(String tensor) {
        return FusibleChains.constNode(nodes, tensor) != null;
    }

    /**
     * The bounds of a plan's tensors in one run.
     *
     * @param fed      the largest magnitude of each fed tensor (infinite when it holds NaN or an infinity)
     * @param measured the largest magnitude the run measured of each seat
     * @param finite   whether a tensor outside the plan is known finite (its probe found it so)
     * @return the bound of each bounded tensor; infinite where none holds in this run
     */
    Map<String, Double> evaluate(Plan plan, Map<String, Double> fed, Map<String, Double> measured,
            Predicate<String> finite) {
        for (Evaluation last : evaluations) {
            if (last.answers(plan, fed, measured, finite)) {
                return last.bounds();
            }
        }
        Map<String, Boolean> asked = new LinkedHashMap<>();
        Map<String, Double> bounds = evaluateAsking(plan, fed, measured, t -> asked.computeIfAbsent(t, finite::test));
        if (evaluations.size() == EVALUATIONS_KEPT) {
            evaluations.remove(0);
        }
        evaluations.add(new Evaluation(plan, Map.copyOf(fed), Map.copyOf(measured), asked, bounds));
        return bounds;
    }

    /** The last evaluations: every pass on the same input evaluates the same bounds from the same facts. */
    private final List<Evaluation> evaluations = new ArrayList<>();
    private static final int EVALUATIONS_KEPT = 4;

    /**
     * One evaluation and the facts it was made from: the plan, the fed and measured magnitudes, and each tensor
     * outside the plan it asked about with the answer it got.
     */
    private record Evaluation(Plan plan, Map<String, Double> fed, Map<String, Double> measured,
            Map<String, Boolean> asked, Map<String, Double> bounds) {

        boolean answers(Plan p, Map<String, Double> f, Map<String, Double> m, Predicate<String> finite) {
            if (!plan.equals(p) || !fed.equals(f) || !measured.equals(m)) {
                return false;
            }
            for (Map.Entry<String, Boolean> question : asked.entrySet()) {
                if (finite.test(question.getKey()) != question.getValue()) {
                    return false;
                }
            }
            return true;
        }
    }

    private Map<String, Double> evaluateAsking(Plan plan, Map<String, Double> fed, Map<String, Double> measured,
            Function<String, Boolean> finite) {
        Map<String, Double> bounds = new LinkedHashMap<>(fed);
        Set<String> seats = Set.copyOf(plan.seats());
        for (String tensor : plan.bounded()) {
            double bound = fed.containsKey(tensor) ? fed.get(tensor) : bound(tensor, bounds, t -> {
                Double b = bounds.get(t);
                return b != null ? b < SAFE : finite.apply(t);
            });
            if (bound < SAFE && seats.contains(tensor)) {
                // the tensor is finite, so the reductions read every value: its measured magnitude is its bound
                double m = measured.getOrDefault(tensor, Double.NaN);
                bound = m == Double.NEGATIVE_INFINITY ? 0 : m >= 0 && m < Double.POSITIVE_INFINITY ? m : bound;
            }
            bounds.put(tensor, bound < SAFE ? bound : Double.POSITIVE_INFINITY);
        }
        Map<String, Double> result = new LinkedHashMap<>();
        plan.bounded().forEach(t -> result.put(t, bounds.get(t)));
        return java.util.Collections.unmodifiableMap(result);
    }

    /**
     * A tensor's bound by its op's rule, from its inputs' bounds (absent: none); infinite when no rule applies.
     *
     * @param finite whether an input is known finite, for the ops that clip any finite value
     */
    private double bound(String tensor, Map<String, Double> bounds, Predicate<String> finite) {
        return rules.computeIfAbsent(tensor, this::rule).bound(bounds, finite);
    }

    /**
     * How a tensor's bound follows from its inputs' bounds. Each pass evaluates every bounded tensor's rule, so the
     * graph's look-ups and the weights' sums are made once, when the rule is made, not per pass.
     */
    @FunctionalInterface
    private interface Rule {
        Rule NONE = (bounds, finite) -> Double.POSITIVE_INFINITY;

        double bound(Map<String, Double> bounds, Predicate<String> finite);
    }

    private final Map<String, Rule> rules = new HashMap<>();

    private Rule rule(String tensor) {
        int colon = tensor.lastIndexOf(':');
        NodeDef node = nodes.get(colon < 0 ? tensor : tensor.substring(0, colon));
        int output = colon < 0 ? 0 : Integer.parseInt(tensor.substring(colon + 1));
        if (node == null || !inRoot(tensor) || !isFloat32(node, output)) {
            return Rule.NONE;
        }
        List<String> in = dataInputs(node);
        String op = node.getOp();
        Double clip = CLIPPING.get(op);
        if (clip != null) {
            return in.isEmpty() ? Rule.NONE : (bounds, finite) -> finite.test(in.get(0)) ? clip : Double.POSITIVE_INFINITY;
        }
        if (output != 0 && !op.equals("Unpack") && !op.equals("SplitV") && !op.equals("Split")) {
            return Rule.NONE;
        }
        if (SAME_BOUND.contains(op)) {
            return in.isEmpty() ? Rule.NONE : (bounds, finite) -> of(bounds, in.get(0));
        }
        if (op.equals("Mean") || op.equals("AvgPool")) {
            // an average is no larger than its values, but float32 sums them first: up to 2^31 of them
            return in.isEmpty() ? Rule.NONE : (bounds, finite) -> {
                double b = of(bounds, in.get(0));
                return b * (1L << 31) < Float.MAX_VALUE ? b : Double.POSITIVE_INFINITY;
            };
        }
        return switch (op) {
            case "Const" -> {
                double max = constantMax(node.getName());
                yield (bounds, finite) -> max;
            }
            case "Split" -> in.size() < 2 ? Rule.NONE : (bounds, finite) -> of(bounds, in.get(1));
            case "Cast" -> castRule(node, in);
            case "Add", "AddV2", "Sub", "BiasAdd", "AddN" -> (bounds, finite) -> sum(bounds, in);
            case "Maximum", "Minimum", "Pack" -> (bounds, finite) -> max(bounds, in);
            case "ConcatV2" -> {
                List<String> values = in.subList(0, Math.max(0, in.size() - 1));
                yield (bounds, finite) -> max(bounds, values);
            }
            case "PadV2" -> in.size() < 3 ? Rule.NONE
                    : (bounds, finite) -> Math.max(of(bounds, in.get(0)), of(bounds, in.get(2)));
            case "Select", "SelectV2" -> in.size() < 3 ? Rule.NONE
                    : (bounds, finite) -> Math.max(of(bounds, in.get(1)), of(bounds, in.get(2)));
            case "Mul" -> in.size() != 2 ? Rule.NONE : (bounds, finite) -> of(bounds, in.get(0)) * of(bounds, in.get(1));
            case "Square" -> in.isEmpty() ? Rule.NONE : (bounds, finite) -> Math.pow(of(bounds, in.get(0)), 2);
            case "SquaredDifference" -> in.size() != 2 ? Rule.NONE
                    : (bounds, finite) -> Math.pow(of(bounds, in.get(0)) + of(bounds, in.get(1)), 2);
            case "RealDiv", "Div" -> {
                if (in.size() != 2) {
                    yield Rule.NONE;
                }
                double divisor = smallestConstant(in.get(1));
                yield (bounds, finite) -> of(bounds, in.get(0)) / divisor;
            }
            case "LeakyRelu" -> {
                double slope = Math.max(1, Math.abs(attrFloat(node, "alpha", 0.2f)));
                yield in.isEmpty() ? Rule.NONE : (bounds, finite) -> of(bounds, in.get(0)) * slope;
            }
            case "Elu" -> in.isEmpty() ? Rule.NONE : (bounds, finite) -> Math.max(of(bounds, in.get(0)), 1);
            case "Softplus" -> in.isEmpty() ? Rule.NONE : (bounds, finite) -> of(bounds, in.get(0)) + 1;
            case "Selu" -> in.isEmpty() ? Rule.NONE : (bounds, finite) -> 1.0508 * of(bounds, in.get(0)) + 1.7581;
            case "Conv2D", "DepthwiseConv2dNative" -> {
                if (in.size() != 2) {
                    yield Rule.NONE;
                }
                double weights = channelL1(in.get(1), op.equals("Conv2D") ? 1 : 2, false);
                yield (bounds, finite) -> of(bounds, in.get(0)) * weights;
            }
            case "MatMul" -> matMulRule(node, in);
            case "FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3" -> batchNormRule(node, in);
            default -> Rule.NONE;
        };
    }

    private static double of(Map<String, Double> bounds, String tensor) {
        Double b = bounds.get(tensor);
        return b == null ? Double.POSITIVE_INFINITY : b;
    }

    private static double sum(Map<String, Double> bounds, List<String> tensors) {
        double s = tensors.isEmpty() ? Double.POSITIVE_INFINITY : 0;
        for (String t : tensors) {
            s += of(bounds, t);
        }
        return s;
    }

    private static double max(Map<String, Double> bounds, List<String> tensors) {
        double m = tensors.isEmpty() ? Double.POSITIVE_INFINITY : 0;
        for (String t : tensors) {
            m = Math.max(m, of(bounds, t));
        }
        return m;
    }

    private Rule castRule(NodeDef node, List<String> in) {
        if (in.isEmpty()) {
            return Rule.NONE;
        }
        DataType source = node.containsAttr("SrcT") ? node.getAttrOrThrow("SrcT").getType() : DataType.DT_INVALID;
        if (source == DataType.DT_FLOAT || INTEGERS.contains(source)) {
            // integers: only a fed tensor's or a constant's magnitude is known
            return (bounds, finite) -> {
                Double known = bounds.get(in.get(0));
                return known != null ? known : constantMax(in.get(0));
            };
        }
        return Rule.NONE;
    }

    private Rule matMulRule(NodeDef node, List<String> in) {
        if (in.size() != 2) {
            return Rule.NONE;
        }
        boolean transposeA = node.containsAttr("transpose_a") && node.getAttrOrThrow("transpose_a").getB();
        boolean transposeB = node.containsAttr("transpose_b") && node.getAttrOrThrow("transpose_b").getB();
        double weightsB = channelL1(in.get(1), 1, transposeB);
        // weights on the left: out[i][j] = sum over k of a[i][k] · b[k][j], a row of a (a column when transposed)
        double weightsA = channelL1(in.get(0), 1, !transposeA);
        return (bounds, finite) -> Math.min(of(bounds, in.get(0)) * weightsB, of(bounds, in.get(1)) * weightsA);
    }

    /** Inference batch normalisation with constant parameters: |scale · (x - mean) / sqrt(var + eps) + offset|. */
    private Rule batchNormRule(NodeDef node, List<String> in) {
        // is_training is true unless the graph says otherwise (SavedModels may strip default attributes)
        if (in.size() < 5 || !node.containsAttr("is_training") || node.getAttrOrThrow("is_training").getB()) {
            return Rule.NONE;
        }
        double[] scale = values(in.get(1));
        double[] variance = values(in.get(4));
        if (scale == null || variance == null || scale.length != variance.length) {
            return Rule.NONE;
        }
        double epsilon = attrFloat(node, "epsilon", 1e-3f);
        double gain = 0;
        for (int c = 0; c < scale.length; c++) {
            double v = variance[c] + epsilon;
            if (!(v > 0)) {
                return Rule.NONE;
            }
            gain = Math.max(gain, Math.abs(scale[c]) / Math.sqrt(v));
        }
        double mean = constantMax(in.get(3));
        double offset = constantMax(in.get(2));
        double gainOfAll = gain;
        return (bounds, finite) -> gainOfAll * (of(bounds, in.get(0)) + mean) + offset;
    }

    /** The smallest magnitude of a float32 constant, 0 (so no bound) for anything else. */
    private double smallestConstant(String input) {
        double[] v = values(input);
        if (v == null || v.length == 0) {
            return 0;
        }
        double min = Double.POSITIVE_INFINITY;
        for (double x : v) {
            min = Math.min(min, Math.abs(x));
        }
        return Double.isFinite(min) ? min : 0;
    }

    /** The largest magnitude of a constant (float32 or integer), infinite for anything else or a non-finite one. */
    private double constantMax(String input) {
        return constantMax.computeIfAbsent(input, key -> {
            double[] v = values(key);
            if (v == null) {
                return Double.POSITIVE_INFINITY;
            }
            double max = 0;
            for (double x : v) {
                max = Math.max(max, Math.abs(x));
            }
            return Double.isFinite(max) && !Double.isNaN(max) && java.util.Arrays.stream(v).noneMatch(Double::isNaN)
                    ? max : Double.POSITIVE_INFINITY;
        });
    }

    /**
     * The largest sum of magnitudes of the weights that make one output value: those of one output channel, the
     * last {@code channelDims} dimensions (a Conv2D's output channel, a depthwise convolution's channel and
     * multiplier, a matrix's column), or, {@code transposed}, a matrix's row.
     */
    private double channelL1(String input, int channelDims, boolean transposed) {
        return channelL1.computeIfAbsent(input + "|" + channelDims + "|" + transposed, key -> {
            NodeDef node = constNode(input);
            double[] v = values(input);
            if (node == null || v == null) {
                return Double.POSITIVE_INFINITY;
            }
            List<Long> dims = node.getAttrOrThrow("value").getTensor().getTensorShape().getDimList().stream()
                    .map(d -> d.getSize()).toList();
            if (dims.isEmpty() || v.length == 0) {
                return 0.0;
            }
            // the values of one output channel: elements i with i % channels == c, or, transposed (a matrix's
            // rows are its channels), i / inner == c
            long channels = 1;
            for (int d = Math.max(0, dims.size() - channelDims); d < dims.size(); d++) {
                channels *= dims.get(d);
            }
            long inner = dims.get(dims.size() - 1);
            int count = (int) (transposed ? v.length / Math.max(1, inner) : channels);
            if (count <= 0) {
                return 0.0;
            }
            double[] sums = new double[count];
            for (int i = 0; i < v.length; i++) {
                int c = (int) (transposed ? i / inner : i % channels);
                sums[c] += Math.abs(v[i]);
            }
            double max = 0;
            for (double s : sums) {
                max = Math.max(max, s);
            }
            return Double.isNaN(max) ? Double.POSITIVE_INFINITY : max;
        });
    }

    private NodeDef constNode(String input) {
        return FusibleChains.constNode(nodes, input);
    }

    /** Every value of a float32 or integer constant; null otherwise. */
    private double[] values(String input) {
        return FusibleChains.constant(nodes, input, true);
    }

    private static float attrFloat(NodeDef node, String name, float otherwise) {
        AttrValue a = node.containsAttr(name) ? node.getAttrOrThrow(name) : null;
        return a == null ? otherwise : a.getF();
    }

    private static List<String> dataInputs(NodeDef node) {
        return node.getInputList().stream().filter(i -> !i.startsWith("^")).map(FusibleChains::canonical).toList();
    }

    /** Whether an op's output is float32 (the only type whose range the bounds assume). */
    private static boolean isFloat32(NodeDef node, int output) {
        for (String attr : List.of("T", "dtype", "DstT", "Tparams")) {
            if (node.containsAttr(attr)) {
                return node.getAttrOrThrow(attr).getType() == DataType.DT_FLOAT;
            }
        }
        return false;
    }

    private boolean inRoot(String tensor) {
        ControlFlow.Place place = flow.place(flow.source(tensor));
        return place != null && place.isRoot() && place.branches().isEmpty() && place.phase() == ControlFlow.Phase.ROOT;
    }
}
