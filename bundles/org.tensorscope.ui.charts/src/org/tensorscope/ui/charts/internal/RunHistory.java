package org.tensorscope.ui.charts.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.tensorscope.core.tensor.TensorData;

/**
 * Tensors seen in the current run and kept from the previous one, so a view can lay the same
 * op of two runs over each other. Holds at most a byte budget; the oldest go first.
 */
final class RunHistory {

    private Object model;
    private Object currentRun;
    private Map<String, TensorData> current = new LinkedHashMap<>();
    private Map<String, TensorData> previous = new LinkedHashMap<>();

    /**
     * Records a tensor of a run of a model; a new run turns the current one into the previous,
     * another model forgets both.
     */
    void record(Object runModel, Object run, TensorData tensor, long budgetBytes) {
        if (!Objects.equals(runModel, model)) {
            model = runModel;
            currentRun = null;
            current = new LinkedHashMap<>();
            previous = new LinkedHashMap<>();
        }
        if (run != currentRun) {
            if (currentRun != null) {
                previous = current;
            }
            current = new LinkedHashMap<>();
            currentRun = run;
        }
        current.put(tensor.name(), tensor);
        trim(budgetBytes);
    }

    /** The same tensor in the previous run, if it was looked at then. */
    Optional<TensorData> previous(String tensorName) {
        return Optional.ofNullable(previous.get(tensorName));
    }

    private void trim(long budgetBytes) {
        while (bytes(previous) + bytes(current) > budgetBytes && !previous.isEmpty()) {
            previous.remove(previous.keySet().iterator().next());
        }
        while (bytes(current) > budgetBytes && current.size() > 1) {
            current.remove(current.keySet().iterator().next());
        }
    }

    private static long bytes(Map<String, TensorData> tensors) {
        return tensors.values().stream().mapToLong(t -> t.bytes().remaining()).sum();
    }
}
