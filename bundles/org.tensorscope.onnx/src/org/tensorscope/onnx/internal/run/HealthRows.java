package org.tensorscope.onnx.internal.run;

import org.tensorscope.core.analysis.TensorStats;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.TensorHealth;

/**
 * A trace row from a tensor's values, with core's statistics. ONNX Runtime has no in-graph health
 * summary like TensorFlow's, so every mode gets the full row; op timings are not measured.
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
