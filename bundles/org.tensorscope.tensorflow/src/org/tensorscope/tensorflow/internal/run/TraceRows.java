package org.tensorscope.tensorflow.internal.run;

import java.util.ArrayList;
import java.util.List;

import org.tensorscope.core.trace.TensorHealth;

/**
 * Turns the probe readings into trace rows, in the model's topological order.
 */
final class TraceRows {

    private TraceRows() {
    }

    /**
     * @param rows per tensor {@code [id, count, -inf, +inf, nan, min, max, mean, std, zeros]}; a count of -1
     *             means "not counted" (CURT rows of healthy tensors), NaN and -1 what the mode does not
     *             compute; null for a tensor without a reading (not checked, or not computed in this run)
     * @param ops  each tensor's op, {@code types} its type
     */
    static List<TensorHealth> build(List<String> tensors, List<String> ops, List<String> types, double[][] rows,
            OpTimings timings) {
        List<TensorHealth> health = new ArrayList<>(tensors.size());
        for (int i = 0; i < tensors.size(); i++) {
            double[] row = rows[i];
            if (row == null) {
                continue;
            }
            String tensor = tensors.get(i);
            String op = ops.get(i);
            long count = (long) row[1];
            long negInf = (long) row[2];
            long posInf = (long) row[3];
            long nan = (long) row[4];
            boolean anyFinite = count < 0 || count - negInf - posInf - nan > 0;
            double min = anyFinite ? row[5] : Double.NaN;
            double max = anyFinite ? row[6] : Double.NaN;
            double mean = anyFinite ? row[7] : Double.NaN;
            double std = anyFinite ? row[8] : Double.NaN;
            health.add(new TensorHealth(tensor, types.get(i), timings.device(op), count, nan, negInf, posInf, min, max, mean,
                    std, timings.micros(op), (long) row[9]));
        }
        return health;
    }
}
