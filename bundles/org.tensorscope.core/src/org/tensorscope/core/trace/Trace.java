package org.tensorscope.core.trace;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.TensorSpec;

/**
 * The recorded health of one run: one row per float op output, in execution (topological) order.
 */
public final class Trace {

    private final ModelGraph graph;
    private final List<TensorHealth> rows;
    private final Map<String, TensorHealth> byTensor = new LinkedHashMap<>();

    public Trace(ModelGraph graph, List<TensorHealth> rows) {
        this.graph = graph;
        this.rows = List.copyOf(rows);
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

    public boolean isAllFinite() {
        return rows.stream().allMatch(TensorHealth::isFinite);
    }
}
