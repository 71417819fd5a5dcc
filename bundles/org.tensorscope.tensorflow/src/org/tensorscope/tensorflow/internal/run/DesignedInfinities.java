package org.tensorscope.tensorflow.internal.run;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorscope.core.analysis.TensorStats;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.UncheckedTensor;

/**
 * Tensors that hold an infinity on purpose. A score threshold of -inf tells NonMaxSuppression to keep every box
 * (tf.image.non_max_suppression's default). A border of -inf padded around the input of a max pooling (how ONNX's
 * and PyTorch's padded MaxPool are written in TensorFlow: PadV2 with -inf, then a VALID MaxPool, often through a
 * Transpose) never wins a max. They are not where NaN or Inf goes wrong, so the trace leaves them out of the NaN
 * search and says why; a run that gives the constant other values makes them ordinary tensors again.
 */
final class DesignedInfinities {

    /** Ops and the input index that takes a threshold, for which an infinity means "no threshold". */
    private static final Map<String, Integer> THRESHOLDS = Map.of("NonMaxSuppressionV3", 4, "NonMaxSuppressionV4", 4,
            "NonMaxSuppressionV5", 4, "CombinedNonMaxSuppression", 5);
    private static final Set<String> MAX_POOLS = Set.of("MaxPool", "MaxPoolV2", "MaxPool3D");
    /** Ops that move values without computing with them, between a padding and its max pooling. */
    private static final Set<String> LAYOUT_OPS = Set.of("Transpose", "Reshape", "Identity", "ExpandDims", "Squeeze");

    private static final DesignedInfinities NONE = new DesignedInfinities(Map.of(), Map.of(), Set.of());

    /** Per tensor ("op:0"), why it holds an infinity on purpose. */
    private final Map<String, String> reasons;
    /** Per tensor, the constant whose infinity it holds (a constant maps to itself). */
    private final Map<String, String> constants;
    /** The constants whose design is -inf alone (paddings), not any infinity (score thresholds). */
    private final Set<String> minusInfinityOnly;

    private DesignedInfinities(Map<String, String> reasons, Map<String, String> constants,
            Set<String> minusInfinityOnly) {
        this.reasons = reasons;
        this.constants = constants;
        this.minusInfinityOnly = minusInfinityOnly;
    }

    boolean isEmpty() {
        return reasons.isEmpty();
    }

    /**
     * Why the tensor holds an infinity by design, or null when it does not or when the constant that gives it the
     * infinity is one of the redesigned (given other values in this run).
     */
    String reason(String tensor, Set<String> redesigned) {
        String constant = constants.get(tensor);
        return constant == null || redesigned.contains(constant) || redesigned.contains(tensor) ? null
                : reasons.get(tensor);
    }

    /**
     * Whether a run that gives the tensor these values no longer holds it as designed: a padding of -inf must stay
     * all -inf (+inf would win every max), a score threshold all infinite.
     */
    boolean redesignedBy(String tensor, TensorData values) {
        String constant = constants.get(tensor);
        if (constant == null) {
            return false;
        }
        if (!constant.equals(tensor) || !values.dtype().isFloating() || values.size() == 0) {
            return true; // a computed tensor given values of its own is checked whatever they are
        }
        TensorStats stats = TensorStats.of(values);
        long asDesigned = minusInfinityOnly.contains(constant) ? stats.negInf() : stats.posInf() + stats.negInf();
        return asDesigned != values.size();
    }

    static DesignedInfinities of(GraphDef graph) {
        Map<String, NodeDef> byName = new HashMap<>();
        Map<String, List<NodeDef>> readers = new HashMap<>();
        Map<String, List<String>> uses = new HashMap<>();
        Map<String, Boolean> onlyThresholds = new HashMap<>();
        for (NodeDef node : graph.getNodeList()) {
            byName.put(node.getName(), node);
            int index = 0;
            for (String input : node.getInputList()) {
                if (input.startsWith("^")) {
                    continue;
                }
                String tensor = TensorSpec.tensorName(input);
                readers.computeIfAbsent(tensor, k -> new ArrayList<>()).add(node);
                boolean threshold = THRESHOLDS.getOrDefault(node.getOp(), -1) == index++;
                onlyThresholds.merge(tensor, threshold, Boolean::logicalAnd);
                if (threshold) {
                    uses.computeIfAbsent(tensor, k -> new ArrayList<>()).add(node.getOp() + " " + node.getName());
                }
            }
        }
        Map<String, String> reasons = new LinkedHashMap<>();
        Map<String, String> constants = new HashMap<>();
        Set<String> minusInfinityOnly = new HashSet<>();
        for (NodeDef node : graph.getNodeList()) {
            String tensor = node.getName() + ":0";
            if (node.getOp().equals("Const") && onlyThresholds.getOrDefault(tensor, false) && allInfinite(node)) {
                reasons.put(tensor, "holds an infinity " + UncheckedTensor.BY_DESIGN
                        + ": it is the score threshold of "
                        + String.join(", ", uses.get(tensor)) + ", where -inf keeps every score");
                constants.put(tensor, tensor);
            }
            if (node.getOp().equals("PadV2") && node.getInputCount() >= 3) {
                paddedMaxPool(node, byName, readers, reasons, constants, minusInfinityOnly);
            }
        }
        return reasons.isEmpty() ? NONE : new DesignedInfinities(reasons, constants, minusInfinityOnly);
    }

    /**
     * A constant of -inf that only PadV2s read as their padding value, each of whose output only max pooling reads,
     * through layout ops: the constant and each border. One constant may pad several poolings (converters and
     * grappler merge equal constants: SPPF's three pools share one).
     */
    private static void paddedMaxPool(NodeDef pad, Map<String, NodeDef> byName, Map<String, List<NodeDef>> readers,
            Map<String, String> reasons, Map<String, String> constants, Set<String> minusInfinityOnly) {
        String constant = TensorSpec.tensorName(pad.getInput(2));
        NodeDef value = byName.get(constant.substring(0, constant.lastIndexOf(':')));
        if (reasons.containsKey(constant) || value == null || !value.getOp().equals("Const")
                || !allMinusInfinity(value)) {
            return;
        }
        List<NodeDef> pads = readers.getOrDefault(constant, List.of());
        Map<NodeDef, List<String>> carriers = new LinkedHashMap<>();
        Map<NodeDef, List<String>> pools = new LinkedHashMap<>();
        for (NodeDef reader : pads) {
            if (!reader.getOp().equals("PadV2") || reader.getInputCount() < 3
                    || !TensorSpec.tensorName(reader.getInput(2)).equals(constant)
                    || reader.getInputList().subList(0, 2).stream()
                            .anyMatch(i -> TensorSpec.tensorName(i).equals(constant))
                    || !bordersOnlyPooled(reader, readers, carriers, pools)) {
                return;
            }
        }
        List<String> padNames = pads.stream().map(NodeDef::getName).toList();
        List<String> allPools = pools.values().stream().flatMap(List::stream).toList();
        reasons.put(constant, "holds an infinity " + UncheckedTensor.BY_DESIGN + ": PadV2 "
                + String.join(", ", padNames) + (pads.size() == 1 ? " pads the input of " : " pad the inputs of ")
                + String.join(", ", allPools) + " with this -inf, which never wins a max");
        constants.put(constant, constant);
        minusInfinityOnly.add(constant);
        for (NodeDef padding : pads) {
            String pooled = String.join(", ", pools.get(padding));
            for (String carrier : carriers.get(padding)) {
                reasons.put(carrier, "holds -inf " + UncheckedTensor.BY_DESIGN + " in the border that PadV2 "
                        + padding.getName() + " adds around the input of " + pooled + ", where -inf never wins a max");
                constants.put(carrier, constant);
            }
        }
    }

    /** Whether only max pooling reads the pad's output, through layout ops; fills its carriers and poolings. */
    private static boolean bordersOnlyPooled(NodeDef pad, Map<String, List<NodeDef>> readers,
            Map<NodeDef, List<String>> carriers, Map<NodeDef, List<String>> pools) {
        List<String> carried = carriers.computeIfAbsent(pad, p -> new ArrayList<>());
        List<String> pooled = pools.computeIfAbsent(pad, p -> new ArrayList<>());
        ArrayDeque<String> pending = new ArrayDeque<>(List.of(pad.getName() + ":0"));
        while (!pending.isEmpty()) {
            String tensor = pending.pop();
            carried.add(tensor);
            List<NodeDef> reading = readers.getOrDefault(tensor, List.of());
            if (reading.isEmpty()) {
                return false; // an output of the model: the application reads the -inf border
            }
            for (NodeDef reader : reading) {
                if (MAX_POOLS.contains(reader.getOp()) && TensorSpec.tensorName(reader.getInput(0)).equals(tensor)) {
                    pooled.add(reader.getOp() + " " + reader.getName());
                } else if (LAYOUT_OPS.contains(reader.getOp())
                        && TensorSpec.tensorName(reader.getInput(0)).equals(tensor)) {
                    pending.push(reader.getName() + ":0");
                } else {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean allInfinite(NodeDef constant) {
        return constant.containsAttr("value") && allInfinite(constant.getAttrOrThrow("value").getTensor());
    }

    private static boolean allMinusInfinity(NodeDef constant) {
        List<Double> values = constant.containsAttr("value") ? values(constant.getAttrOrThrow("value").getTensor()) : null;
        return values != null && !values.isEmpty() && values.stream().allMatch(v -> v == Double.NEGATIVE_INFINITY);
    }

    private static boolean allInfinite(TensorProto value) {
        List<Double> values = values(value);
        return values != null && !values.isEmpty() && values.stream().allMatch(v -> Double.isInfinite(v));
    }

    /** The values of a float constant, or null for another type. */
    private static List<Double> values(TensorProto value) {
        List<Double> values = new ArrayList<>();
        ByteBuffer content = value.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        switch (value.getDtype()) {
            case DT_FLOAT -> {
                while (content.remaining() >= 4) {
                    values.add((double) content.getFloat());
                }
                value.getFloatValList().forEach(v -> values.add((double) v));
            }
            case DT_DOUBLE -> {
                while (content.remaining() >= 8) {
                    values.add(content.getDouble());
                }
                values.addAll(value.getDoubleValList());
            }
            case DT_HALF -> {
                while (content.remaining() >= 2) {
                    values.add((double) Float.float16ToFloat(content.getShort()));
                }
                value.getHalfValList().forEach(v -> values.add((double) Float.float16ToFloat(v.shortValue())));
            }
            default -> {
                return null;
            }
        }
        return values;
    }
}
