package org.tensorscope.tensorflow.internal.run;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorscope.core.model.TensorSpec;

/**
 * Constants that hold an infinity on purpose: a score threshold of -inf tells NonMaxSuppression to
 * keep every box (tf.image.non_max_suppression's default). They are not where NaN or Inf goes wrong,
 * so the trace leaves them out of the NaN search and says why.
 */
final class DesignedInfinities {

    /** Ops and the input index that takes a threshold, for which an infinity means "no threshold". */
    private static final Map<String, Integer> THRESHOLDS = Map.of("NonMaxSuppressionV3", 4, "NonMaxSuppressionV4", 4,
            "NonMaxSuppressionV5", 4, "CombinedNonMaxSuppression", 5);

    private DesignedInfinities() {
    }

    /** Per tensor ("op:0"), why it holds an infinity on purpose. */
    static Map<String, String> of(GraphDef graph) {
        Map<String, List<String>> uses = new HashMap<>();
        Map<String, Boolean> onlyThresholds = new HashMap<>();
        for (NodeDef node : graph.getNodeList()) {
            int index = 0;
            for (String input : node.getInputList()) {
                if (input.startsWith("^")) {
                    continue;
                }
                String tensor = TensorSpec.tensorName(input);
                boolean threshold = THRESHOLDS.getOrDefault(node.getOp(), -1) == index++;
                onlyThresholds.merge(tensor, threshold, Boolean::logicalAnd);
                if (threshold) {
                    uses.computeIfAbsent(tensor, k -> new ArrayList<>()).add(node.getOp() + " " + node.getName());
                }
            }
        }
        Map<String, String> designed = new LinkedHashMap<>();
        for (NodeDef node : graph.getNodeList()) {
            String tensor = node.getName() + ":0";
            if (node.getOp().equals("Const") && onlyThresholds.getOrDefault(tensor, false) && node.containsAttr("value")
                    && allInfinite(node.getAttrOrThrow("value").getTensor())) {
                designed.put(tensor, "holds an infinity by design: it is the score threshold of "
                        + String.join(", ", uses.get(tensor)) + ", where -inf keeps every score");
            }
        }
        return designed;
    }

    private static boolean allInfinite(TensorProto value) {
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
                return false;
            }
        }
        return !values.isEmpty() && values.stream().allMatch(v -> Double.isInfinite(v));
    }
}
