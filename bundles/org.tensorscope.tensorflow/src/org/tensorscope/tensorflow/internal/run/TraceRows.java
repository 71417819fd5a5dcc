package org.tensorscope.tensorflow.internal.run;

import java.util.ArrayList;
import java.util.List;

import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.core.trace.TensorHealth;

/**
 * Turns the packed probe rows into trace rows, in the model's topological order.
 */
final class TraceRows {

    private TraceRows() {
    }

    /**
     * @param rows per tensor {@code [id, count, -inf, +inf, nan]} plus {@code min, max, mean, zeros} in
     *             FULL mode; a count of -1 means "not counted" (CURT rows of healthy tensors)
     */
    static List<TensorHealth> build(ModelGraph model, List<String> tensors, double[][] rows, HealthMode mode,
            OpTimings timings) {
        List<TensorHealth> health = new ArrayList<>(tensors.size());
        for (int i = 0; i < tensors.size(); i++) {
            String tensor = tensors.get(i);
            String op = tensor.substring(0, tensor.lastIndexOf(':'));
            double[] row = rows[i];
            long count = (long) row[1];
            long negInf = (long) row[2];
            long posInf = (long) row[3];
            long nan = (long) row[4];
            boolean anyFinite = count < 0 || count - negInf - posInf - nan > 0;
            double min = Double.NaN;
            double max = Double.NaN;
            double mean = Double.NaN;
            double std = Double.NaN;
            if (mode == HealthMode.FULL && anyFinite) {
                min = row[5];
                max = row[6];
                mean = row[7];
                std = row[8];
            }
            String type = model.op(op).map(o -> o.type()).orElse("");
            long zeros = mode == HealthMode.FULL ? (long) row[9] : -1;
            health.add(new TensorHealth(tensor, type, timings.device(op), count, nan, negInf, posInf, min, max, mean,
                    std, timings.micros(op), zeros));
        }
        return health;
    }
}
