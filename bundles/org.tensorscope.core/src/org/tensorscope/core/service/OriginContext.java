package org.tensorscope.core.service;

import java.util.List;
import java.util.Optional;

import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.tensor.TensorData;

/**
 * The op where non-finite values first appear, with its input and output values.
 *
 * @param graph the model the op belongs to, so that a rule can look at the ops that made its inputs (a
 *              denominator that is a norm); null when not known
 */
public record OriginContext(OpNode op, List<TensorData> inputs, TensorData output, ModelGraph graph) {

    public OriginContext {
        inputs = List.copyOf(inputs);
    }

    public OriginContext(OpNode op, List<TensorData> inputs, TensorData output) {
        this(op, inputs, output, null);
    }

    /** The op that computes input k of this op, when the graph is known and has it. */
    public Optional<OpNode> producer(int k) {
        if (graph == null || k >= op.inputs().size()) {
            return Optional.empty();
        }
        String tensor = op.inputs().get(k);
        int colon = tensor.lastIndexOf(':');
        return graph.op(colon < 0 ? tensor : tensor.substring(0, colon));
    }
}
