package org.tensorscope.core.trace;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.tensor.TensorData;

/**
 * The recorded health of one run: one row per checked float op output, in execution
 * (topological) order, plus the tensors that could not be checked and why.
 */
public final class Trace {

    private final ModelGraph graph;
    private final List<TensorHealth> rows;
    private final List<UncheckedTensor> unchecked;
    private final Map<String, LoopHealth> loops;
    private final Map<String, TensorData> outputs;
    private final Map<String, String> notProbed;
    private final boolean outputsAsPlainRun;
    private final Map<String, TensorHealth> byTensor = new LinkedHashMap<>();

    public Trace(ModelGraph graph, List<TensorHealth> rows) {
        this(graph, rows, List.of(), Map.of(), Map.of());
    }

    /**
     * @param unchecked tensors the pass could not check, with the reason
     * @param loops     for rows computed inside a loop body, by tensor name: the loop and iterations
     * @param outputs   the signature outputs as the traced run computed them, by tensor name; empty when
     *                  the backend does not return them
     */
    public Trace(ModelGraph graph, List<TensorHealth> rows, List<UncheckedTensor> unchecked,
            Map<String, LoopHealth> loops, Map<String, TensorData> outputs) {
        this(graph, rows, unchecked, loops, outputs, Map.of());
    }

    /**
     * @param notProbed rows that no probe of this run read, by tensor name: how the row is known instead (a
     *                  constant checked once for the session, a copy of another tensor's values)
     */
    public Trace(ModelGraph graph, List<TensorHealth> rows, List<UncheckedTensor> unchecked,
            Map<String, LoopHealth> loops, Map<String, TensorData> outputs, Map<String, String> notProbed) {
        this(graph, rows, unchecked, loops, outputs, notProbed, false);
    }

    /**
     * @param outputsAsPlainRun whether the outputs come from a run that computes them as plain inference does (see
     *                          {@link #outputsAsPlainRun()})
     */
    public Trace(ModelGraph graph, List<TensorHealth> rows, List<UncheckedTensor> unchecked,
            Map<String, LoopHealth> loops, Map<String, TensorData> outputs, Map<String, String> notProbed,
            boolean outputsAsPlainRun) {
        this.graph = graph;
        this.outputsAsPlainRun = outputsAsPlainRun && !outputs.isEmpty();
        // in the order given (Map.copyOf's order changes from one VM to the next, and reports list these in it)
        this.notProbed = ordered(notProbed);
        this.rows = List.copyOf(rows);
        this.unchecked = List.copyOf(unchecked);
        this.loops = ordered(loops);
        this.outputs = ordered(outputs);
        for (TensorHealth row : this.rows) {
            byTensor.put(row.tensor(), row);
        }
    }

    public ModelGraph graph() {
        return graph;
    }

    public List<TensorHealth> rows() {
        return rows;
    }

    /** The row of a tensor ("op:k"), or of an op's first output when given an op name. */
    public Optional<TensorHealth> row(String tensorOrOp) {
        return Optional.ofNullable(byTensor.get(TensorSpec.tensorName(tensorOrOp)));
    }

    /** Tensors the pass could not check; empty when every float tensor was checked. */
    public List<UncheckedTensor> unchecked() {
        return unchecked;
    }

    /** The loop a checked tensor was computed in, when it was computed in one. */
    /** Every loop-aggregated row's loop, by tensor name. */
    public Map<String, LoopHealth> loops() {
        return loops;
    }

    public Optional<LoopHealth> loop(String tensorOrOp) {
        return Optional.ofNullable(loops.get(TensorSpec.tensorName(tensorOrOp)));
    }

    /** The signature outputs computed by the traced run, by tensor name ("op:k"). */
    public Map<String, TensorData> outputs() {
        return outputs;
    }

    /**
     * The checked rows that no probe of this run read, by tensor name, with how each is known instead: a constant's
     * row comes from the check made once when the session first watched it, a copy's (Reshape, Identity) from the
     * tensor whose values it holds. Every such row is checked.
     */
    public Map<String, String> notProbed() {
        return notProbed;
    }

    /**
     * Whether {@link #outputs()} come from a run that computes them exactly as plain inference does: the optimised
     * session, with nothing added to the run but reductions of tensors that no fused kernel holds inside. A
     * comparison with a plain run then needs no other run.
     */
    public boolean outputsAsPlainRun() {
        return outputsAsPlainRun;
    }

    /** Whether every checked tensor is finite; says nothing about unchecked ones. */
    public boolean isAllFinite() {
        return rows.stream().allMatch(TensorHealth::isFinite);
    }

    /** Whether every float tensor of the run was checked. */
    public boolean isComplete() {
        return unchecked.isEmpty();
    }

    private static <V> Map<String, V> ordered(Map<String, V> map) {
        return java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(map));
    }
}
