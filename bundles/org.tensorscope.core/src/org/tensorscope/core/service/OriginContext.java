package org.tensorscope.core.service;

import java.util.List;

import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.tensor.TensorData;

/**
 * The op where non-finite values first appear, with its input and output values.
 */
public record OriginContext(OpNode op, List<TensorData> inputs, TensorData output) {

    public OriginContext {
        inputs = List.copyOf(inputs);
    }
}
