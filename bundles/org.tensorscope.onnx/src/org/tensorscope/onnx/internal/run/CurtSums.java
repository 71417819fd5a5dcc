package org.tensorscope.onnx.internal.run;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.tensorscope.core.tensor.TensorData;

/**
 * The values a CURT pass sums instead of reading them ({@link SubgraphInliner#summing}), in the order of their sums,
 * and the sums one run returned.
 */
final class CurtSums {

    /** The operator set from which the ops a summing model adds are as {@link SubgraphInliner#summing} writes them. */
    private static final long MIN_OPSET = 6;

    private final LinkedHashMap<String, Boolean> summed;
    private final Set<String> notFloat;
    private final Map<String, Integer> index = new HashMap<>();
    private TensorData sums;

    private CurtSums(LinkedHashMap<String, Boolean> summed, Set<String> notFloat) {
        this.summed = summed;
        this.notFloat = notFloat;
        summed.keySet().forEach(v -> index.put(v, index.size()));
    }

    static CurtSums none() {
        return new CurtSums(new LinkedHashMap<>(), Set.of());
    }

    /**
     * The float and double values among those to check that ONNX Runtime computes at the model's top level, but
     * those whose values the pass returns anyway ({@code kept}). Float16 and bfloat16 values are read instead: ONNX
     * Runtime may compute a float16 op in float and drop the cast back to float16 and the cast a sum would add as a
     * pair, so an overflow to float16's infinity would not reach the sum.
     *
     * @param computed the ONNX names of the values computed at the top level
     * @param opset    the model's default operator set
     */
    static CurtSums of(ReturnedSizes sizes, Set<String> toCheck, Collection<String> computed, Set<String> kept,
            long opset) {
        LinkedHashMap<String, Boolean> summed = new LinkedHashMap<>();
        Set<String> notFloat = new HashSet<>();
        if (opset < MIN_OPSET) {
            return none();
        }
        Set<String> topLevel = new HashSet<>(computed);
        for (String value : toCheck) {
            if (!topLevel.contains(value) || kept.contains(value)) {
                continue;
            }
            switch (sizes.summable(value)) {
                case AS_IS -> summed.put(value, false);
                case AS_FLOAT -> summed.put(value, true);
                case NOT_FLOAT -> notFloat.add(value);
                case READ -> {
                }
            }
        }
        return new CurtSums(summed, notFloat);
    }

    /**
     * The values to check whose type the model's file did not say but ONNX Runtime inferred to be no float type
     * (the integers of a quantized model, for one): nothing to check, so not read.
     */
    Set<String> notFloat() {
        return notFloat;
    }

    boolean isEmpty() {
        return summed.isEmpty();
    }

    /** The values summed, in order: true for those cast to float first. */
    LinkedHashMap<String, Boolean> summed() {
        return summed;
    }

    boolean contains(String onnxName) {
        return onnxName != null && summed.containsKey(onnxName);
    }

    /** Takes the sums a run returned; false when they are not one per value summed. */
    boolean read(TensorData returned) {
        if (returned.size() != summed.size()) {
            return false;
        }
        sums = returned;
        return true;
    }

    /** Whether the value's sum is finite, which it is only when every value it adds is. */
    boolean isFinite(String onnxName) {
        return Double.isFinite(sums.getDouble(index.get(onnxName)));
    }
}
