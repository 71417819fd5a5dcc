package org.tensorscope.tensorflow.internal.run;

import java.util.ArrayList;
import java.util.List;

import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;
import org.tensorscope.core.trace.HealthMode;

/**
 * Adds to a graph the ops that summarise the health of a list of float tensors, packed into
 * one [n, width] float64 tensor so that a run fetches a single small result.
 * <p>
 * Row layouts: CURT {@code [id, non-finite?]}; CONCISE {@code [id, count, -inf, +inf, nan]};
 * FULL is CONCISE followed by the finite {@code min, max, mean, std} and the zero count, which TensorFlow's
 * DebugNumericSummaryV2 does not compute.
 */
final class HealthProbe {

    /** TensorDebugMode values of DebugNumericSummaryV2. */
    private static final int CURT_HEALTH = 2;
    private static final int CONCISE_HEALTH = 3;

    private final String fetchName;
    private final List<String> tensors;
    private final HealthMode mode;

    private HealthProbe(String fetchName, List<String> tensors, HealthMode mode) {
        this.fetchName = fetchName;
        this.tensors = List.copyOf(tensors);
        this.mode = mode;
    }

    /** Adds the probe ops for the given tensors ("op:k") under a fresh name scope. */
    static HealthProbe attach(Graph graph, List<String> tensors, HealthMode mode, String scope) {
        Ops tf = Ops.create(graph).withSubScope(scope);
        List<Operand<TFloat64>> rows = new ArrayList<>();
        for (int i = 0; i < tensors.size(); i++) {
            Output<?> tensor = graph.outputOrThrow(tensors.get(i));
            GraphOperation summary = graph.opBuilder("DebugNumericSummaryV2", scope + "/summary_" + i, graph.baseScope())
                    .addInput(tensor)
                    .setAttr("tensor_debug_mode", mode == HealthMode.CURT ? CURT_HEALTH : CONCISE_HEALTH)
                    .setAttr("tensor_id", i)
                    .setAttr("output_dtype", DataType.DT_DOUBLE)
                    .build();
            Operand<TFloat64> row = summary.output(0);
            if (mode == HealthMode.FULL) {
                row = tf.concat(List.of(row, finiteMinMaxMean(tf, tensor)), tf.constant(0));
            }
            rows.add(tf.expandDims(row, tf.constant(0)));
        }
        Output<TFloat64> packed = tf.withName("rows").concat(rows, tf.constant(0)).output();
        return new HealthProbe(packed.op().name(), tensors, mode);
    }

    @SuppressWarnings("unchecked")
    private static Operand<TFloat64> finiteMinMaxMean(Ops tf, Output<?> tensor) {
        Operand<TFloat64> x = tf.dtypes.cast((Operand<? extends TNumber>) tensor, TFloat64.class);
        Operand<TInt32> allAxes = tf.range(tf.constant(0), tf.rank(x), tf.constant(1));
        var finite = tf.math.isFinite(x);
        Operand<TFloat64> inf = tf.fill(tf.shape(x), tf.constant(Double.POSITIVE_INFINITY));
        Operand<TFloat64> min = tf.min(tf.select(finite, x, inf), allAxes);
        Operand<TFloat64> max = tf.max(tf.select(finite, x, tf.math.neg(inf)), allAxes);
        Operand<TFloat64> zeros = tf.zerosLike(x);
        Operand<TFloat64> finiteCount = tf.sum(tf.dtypes.cast(finite, TFloat64.class), allAxes);
        Operand<TFloat64> sum = tf.sum(tf.select(finite, x, zeros), allAxes);
        Operand<TFloat64> mean = tf.math.divNoNan(sum, finiteCount);
        Operand<TFloat64> deviation = tf.select(finite, tf.math.sub(x, mean), zeros);
        Operand<TFloat64> variance = tf.math.divNoNan(tf.sum(tf.math.square(deviation), allAxes), finiteCount);
        Operand<TFloat64> std = tf.math.sqrt(variance);
        Operand<TFloat64> zeroCount = tf.sum(tf.dtypes.cast(tf.math.equal(x, zeros), TFloat64.class), allAxes);
        return tf.stack(List.of(min, max, mean, std, zeroCount));
    }

    String fetchName() {
        return fetchName;
    }

}
