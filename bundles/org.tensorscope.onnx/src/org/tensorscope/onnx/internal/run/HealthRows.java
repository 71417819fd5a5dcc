package org.tensorscope.onnx.internal.run;

import org.tensorscope.core.analysis.TensorStats;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.TensorHealth;

/**
 * A trace row from a tensor's values, with core's statistics: every row of a CONCISE or FULL pass, and in a CURT
 * pass the rows of the outputs and of the values whose sum was not finite; op timings are not measured.
 */
final class HealthRows {

    private HealthRows() {
    }

    static TensorHealth of(String tensor, String opType, String device, TensorData data) {
        TensorStats s = TensorStats.of(data);
        return new TensorHealth(tensor, opType, device, s.count(), s.nan(), s.negInf(), s.posInf(), s.min(), s.max(),
                s.mean(), s.std(), -1, s.zeros());
    }
}
