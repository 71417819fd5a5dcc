package org.tensorscope.tensorflow.internal.run;

import java.util.List;
import java.util.stream.IntStream;

import org.tensorscope.core.analysis.TensorStats;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.tensorflow.internal.run.ControlFlow.Phase;
import org.tensorscope.tensorflow.internal.run.ControlFlow.Place;

/**
 * FULL rows read from the tensors' own values instead of from probe ops. TensorFlow has no kernel that
 * computes a tensor's counts and statistics in one pass, so a FULL probe reads each tensor five times
 * (4-6x a plain run on the benchmark models); fetching the tensor and reading it once in Java
 * ({@link TensorStats#summaryOf}, the tensors spread over the cores) costs far less, and gives the
 * statistics of the finite values of every tensor, where the probe gives them only for the few a report
 * shows. Only float32 tensors of the root frame outside cond branches are read this way; the others (inside
 * loops, in branches the input may not take) stay with the probe.
 */
final class ValueRows {

    private ValueRows() {
    }

    /** The tensors of the list that can be fetched and read: float32, computed once per run in the root frame. */
    static List<String> readable(ModelGraph model, ControlFlow flow, List<String> tensors) {
        return tensors.stream().filter(t -> isFloat32(model, t) && flow.source(t).equals(t)).filter(t -> {
            Place place = flow.place(t);
            return place.isRoot() && place.phase() == Phase.ROOT && place.branches().isEmpty();
        }).toList();
    }

    private static boolean isFloat32(ModelGraph model, String tensor) {
        int k = Integer.parseInt(tensor.substring(tensor.lastIndexOf(':') + 1));
        return model.op(TensorSpec.opNameOf(tensor)).filter(op -> k < op.outputs().size())
                .map(op -> op.outputs().get(k).dtype() == DType.FLOAT32).orElse(false);
    }

    /**
     * Rows in the layout of {@link HealthProbe#read}, {@code [id, count, -inf, +inf, nan, min, max, mean, std,
     * zeros]} with the statistics over the finite values, one per tensor, the id being its position.
     */
    static double[][] rows(List<TensorData> values) {
        double[][] rows = new double[values.size()][];
        if (rows.length == 0) {
            return rows; // a CURT pass: no parallel stream set up for nothing
        }
        IntStream.range(0, rows.length).parallel().forEach(i -> {
            TensorStats s = TensorStats.summaryOf(values.get(i), 1);
            rows[i] = new double[] { i, s.count(), s.negInf(), s.posInf(), s.nan(), s.min(), s.max(), s.mean(),
                    s.std(), s.zeros() };
        });
        return rows;
    }
}
