package org.tensorscope.tensorflow.internal.run;

import java.util.List;

import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * The statistics rows that probes inside a loop frame compute per iteration and add up over the
 * iterations: one float64 row of {@link #WIDTH} columns per tensor. Mean and standard deviation
 * come from the sums at the end.
 */
final class LoopStats {

    /** How many times the tensor was computed (0: never, e.g. an untaken branch). */
    static final int EVALS = 0;
    static final int COUNT = 1;
    static final int NEG_INF = 2;
    static final int POS_INF = 3;
    static final int NAN = 4;
    /** Sum and sum of squares of the finite values. */
    static final int SUM = 5;
    static final int SUM_SQ = 6;
    static final int MIN = 7;
    static final int MAX = 8;
    static final int ZEROS = 9;
    /** The first iteration where the tensor held a NaN or infinity, -1 when none did. */
    static final int FIRST = 10;
    static final int WIDTH = 11;

    private LoopStats() {
    }

    /** A row that adds nothing: no evaluation. */
    static double[] neutralRow() {
        double[] row = new double[WIDTH];
        row[MIN] = Double.POSITIVE_INFINITY;
        row[MAX] = Double.NEGATIVE_INFINITY;
        row[FIRST] = -1;
        return row;
    }

    static double[][] neutral(int rows) {
        double[][] block = new double[rows][];
        for (int i = 0; i < rows; i++) {
            block[i] = neutralRow();
        }
        return block;
    }

    /**
     * The statistics of one evaluation of a float tensor, a [WIDTH] row.
     *
     * @param tf        ops bound to the tensor's frame (constants need a control input from it)
     * @param iteration the current iteration, recorded when the tensor is not finite
     */
    @SuppressWarnings("unchecked")
    static Operand<TFloat64> of(Ops tf, Output<?> tensor, Operand<TFloat64> iteration) {
        Operand<TFloat64> x = tf.reshape(tf.dtypes.cast((Operand<? extends TNumber>) tensor, TFloat64.class),
                tf.constant(new int[] { -1 }));
        Operand<TInt32> axis = tf.constant(new int[] { 0 });
        Operand<TBool> finite = tf.math.isFinite(x);
        Operand<TFloat64> nan = count(tf, tf.math.isNan(x), axis);
        Operand<TFloat64> posInf = count(tf, tf.math.equal(x, tf.constant(Double.POSITIVE_INFINITY)), axis);
        Operand<TFloat64> negInf = count(tf, tf.math.equal(x, tf.constant(Double.NEGATIVE_INFINITY)), axis);
        Operand<TFloat64> zero = tf.constant(0.0);
        Operand<TFloat64> finiteValues = tf.select(finite, x, zero);
        Operand<TFloat64> sum = tf.sum(finiteValues, axis);
        Operand<TFloat64> sumSq = tf.sum(tf.math.square(finiteValues), axis);
        Operand<TFloat64> min = tf.min(tf.select(finite, x, tf.constant(Double.POSITIVE_INFINITY)), axis);
        Operand<TFloat64> max = tf.max(tf.select(finite, x, tf.constant(Double.NEGATIVE_INFINITY)), axis);
        Operand<TFloat64> zeros = count(tf, tf.math.equal(x, zero), axis);
        Operand<TFloat64> elements = tf.dtypes.cast(tf.size(x), TFloat64.class);
        Operand<TFloat64> nonFinite = tf.math.add(tf.math.add(nan, posInf), negInf);
        Operand<TFloat64> first = tf.select(tf.math.greater(nonFinite, zero), iteration, tf.constant(-1.0));
        return tf.stack(List.of(tf.constant(1.0), elements, negInf, posInf, nan, sum, sumSq, min, max, zeros, first));
    }

    private static Operand<TFloat64> count(Ops tf, Operand<TBool> which, Operand<TInt32> axis) {
        return tf.sum(tf.dtypes.cast(which, TFloat64.class), axis);
    }

    /**
     * A block of rows whose first non-finite iterations count on from the iterations already run:
     * rows of a nested loop restart at 0 each time the loop starts, so their first iteration gets the
     * loop's iterations so far (in the accumulator's iteration row of that loop) added.
     *
     * @param iterationRows per row, the row holding its loop's iteration count, -1 for rows to keep
     */
    static Operand<TFloat64> countingOn(Ops tf, Operand<TFloat64> acc, Operand<TFloat64> block, int[] iterationRows) {
        if (java.util.Arrays.stream(iterationRows).allMatch(i -> i < 0)) {
            return block;
        }
        int[] from = new int[iterationRows.length];
        double[] counted = new double[iterationRows.length];
        for (int r = 0; r < from.length; r++) {
            from[r] = Math.max(0, iterationRows[r]);
            counted[r] = iterationRows[r] < 0 ? 0 : 1;
        }
        Operand<TFloat64> runs = tf.gather(acc, tf.constant(EVALS), tf.constant(1));
        Operand<TFloat64> offsets = tf.math.mul(tf.gather(runs, tf.constant(from), tf.constant(0)), tf.constant(counted));
        Operand<TFloat64> first = tf.gather(block, tf.constant(FIRST), tf.constant(1));
        Operand<TFloat64> shifted = tf.select(tf.math.greaterEqual(first, tf.constant(0.0)), tf.math.add(first, offsets),
                first);
        boolean[] isFirst = new boolean[WIDTH];
        isFirst[FIRST] = true;
        return tf.select(tf.constant(isFirst), tf.expandDims(shifted, tf.constant(1)), block);
    }

    /** Adds a block of rows [k, WIDTH] to an accumulator of the same shape. */
    static Operand<TFloat64> combine(Ops tf, Operand<TFloat64> acc, Operand<TFloat64> block) {
        boolean[] add = new boolean[WIDTH];
        boolean[] isMin = new boolean[WIDTH];
        boolean[] isMax = new boolean[WIDTH];
        for (int c : new int[] { EVALS, COUNT, NEG_INF, POS_INF, NAN, SUM, SUM_SQ, ZEROS }) {
            add[c] = true;
        }
        isMin[MIN] = true;
        isMax[MAX] = true;
        Operand<TFloat64> firsts = tf.select(tf.math.less(acc, tf.constant(0.0)), block, acc);
        Operand<TFloat64> maxOrFirst = tf.select(tf.constant(isMax), tf.math.maximum(acc, block), firsts);
        Operand<TFloat64> minOrRest = tf.select(tf.constant(isMin), tf.math.minimum(acc, block), maxOrFirst);
        return tf.select(tf.constant(add), tf.math.add(acc, block), minOrRest);
    }
}
