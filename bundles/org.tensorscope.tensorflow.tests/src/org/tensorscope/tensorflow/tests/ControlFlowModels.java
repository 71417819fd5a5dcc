package org.tensorscope.tensorflow.tests;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * TF1 control-flow graphs with a known answer, built with TensorFlow Java: a while loop (frames:
 * Enter, Merge, Switch, LoopCond, NextIteration, Exit) and a cond (Switch and Merge). Inputs are
 * float32 placeholders named x; the output op is named "out".
 */
final class ControlFlowModels {

    /** Iterations of {@link #whileOverflow}. */
    static final int ITERATIONS = 5;

    private ControlFlowModels() {
    }

    /**
     * A loop "loop" running {@link #ITERATIONS} times x = x * 1e10 (op "loop/body/scale"); out = x + 1.
     * Fed x = 1, the product overflows to +Inf at iteration 3 (1e10, 1e20, 1e30, then 1e40 > float32's max).
     */
    @SuppressWarnings("unchecked")
    static void whileOverflow(Ops tf) {
        Graph graph = (Graph) tf.scope().env();
        Output<TFloat32> x = PlantedModels.x(tf).asOutput();
        Output<?>[] results = graph.whileLoop(new Output<?>[] { tf.constant(0).asOutput(), x }, (cond, in, out) -> {
            Ops c = Ops.create(cond);
            out[0] = c.math.less((Output<TInt32>) in[0], c.constant(ITERATIONS)).asOutput();
        }, (body, in, out) -> {
            Ops b = Ops.create(body);
            out[0] = b.math.add((Output<TInt32>) in[0], b.constant(1)).asOutput();
            out[1] = b.withName("scale").math.mul((Output<TFloat32>) in[1], b.constant(1e10f)).asOutput();
        }, "loop");
        tf.withName("out").math.add((Output<TFloat32>) results[1], tf.constant(1f));
    }

    /**
     * A cond on "positive" = sum(x) > 0: then log(x - 10) (ops "then/shift", "then/log"), else x * 2
     * ("else/double"), joined by Merge "join"; out = join + 1. Fed a positive x below 10, the taken
     * branch's log makes NaN; fed a negative x, the else branch runs and the then branch is not computed.
     */
    static void condNan(Ops tf) {
        Operand<TFloat32> x = PlantedModels.x(tf);
        Operand<TBool> positive = tf.withName("positive").math.greater(tf.sum(x, tf.constant(0)), tf.constant(0f));
        var split = tf.withName("switch").switchCond(x, positive);
        Ops then = tf.withSubScope("then");
        Operand<TFloat32> log = then.withName("log").math.log(then.withName("shift").math.sub(split.outputTrue(),
                tf.constant(10f)));
        Operand<TFloat32> doubled = tf.withSubScope("else").withName("double").math.mul(split.outputFalse(),
                tf.constant(2f));
        var join = tf.withName("join").merge(java.util.List.of(log, doubled));
        tf.withName("out").math.add(join.output(), tf.constant(1f));
    }
}
