package org.tensorscope.tensorflow.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Small frozen graphs with a planted NaN/Inf origin whose answer is known, written as .pb files.
 * Inputs are float32 placeholders named x (and y); the output op is named "out".
 */
final class PlantedModels {

    private PlantedModels() {
    }

    static Path write(Path folder, String name, Consumer<Ops> body) throws IOException {
        try (Graph graph = new Graph()) {
            body.accept(Ops.create(graph));
            Path file = folder.resolve(name + ".pb");
            Files.write(file, graph.toGraphDef().toByteArray());
            return file;
        }
    }

    static Operand<TFloat32> x(Ops tf) {
        return tf.withName("x").placeholder(TFloat32.class);
    }

    static Operand<TFloat32> y(Ops tf) {
        return tf.withName("y").placeholder(TFloat32.class);
    }

    /**
     * big = x * scale overflows where x is large enough: the origin; s1..s{sums} = s(k-1) + 1 carry the Inf, and
     * the returned nan = s{sums} - big is the first NaN (Inf - Inf).
     */
    static Operand<TFloat32> infCarriedToNan(Ops tf, float scale, int sums) {
        Operand<TFloat32> big = tf.withName("big").math.mul(x(tf), tf.constant(scale));
        Operand<TFloat32> s = big;
        for (int k = 1; k <= sums; k++) {
            s = tf.withName("s" + k).math.add(s, tf.constant(1f));
        }
        return tf.withName("nan").math.sub(s, big);
    }

    /** out = relu(conv2d(x, 1x1 filter of 2) + 1) * 1: grappler fuses the Relu's chain into one kernel in a plain run. */
    static void convBiasRelu(Ops tf) {
        Operand<TFloat32> x = x(tf);
        Operand<TFloat32> filter = tf.constant(new float[][][][] { { { { 2f } } } });
        Operand<TFloat32> conv = tf.withName("conv").nn.conv2d(x, filter, List.of(1L, 1L, 1L, 1L), "VALID");
        Operand<TFloat32> biased = tf.withName("bias").nn.biasAdd(conv, tf.constant(new float[] { 1f }));
        Operand<TFloat32> relu = tf.withName("relu").nn.relu(biased);
        tf.withName("out").math.mul(relu, tf.constant(1f));
    }

    /** out = exp(x) / sum(exp(x), axis=1, keepdims=True): the hand-written softmax, with a [N,1] denominator */
    static void keepDimsSoftmax(Ops tf) {
        Operand<TFloat32> e = tf.withName("exp").math.exp(x(tf));
        Operand<TFloat32> sum = tf.withName("sum").sum(e, tf.constant(new int[] { 1 }),
                org.tensorflow.op.core.Sum.keepDims(true));
        tf.withName("out").math.div(e, sum);
    }

    /** out = x / y + y / x: two divisions, each of which can divide by zero on its own */
    static void twoDivisions(Ops tf) {
        Operand<TFloat32> x = x(tf);
        Operand<TFloat32> y = y(tf);
        tf.withName("out").math.add(tf.withName("div_a").math.div(x, y), tf.withName("div_b").math.div(y, x));
    }

    /** out = log(x) * 2 */
    static void logOfNegative(Ops tf) {
        tf.withName("out").math.mul(tf.withName("log").math.log(x(tf)), tf.constant(2f));
    }

    /** out = x / y + 1 (0/0 and x/0 depending on the feed) */
    static void division(Ops tf) {
        tf.withName("out").math.add(tf.withName("div").math.div(x(tf), y(tf)), tf.constant(1f));
    }

    /** out = x*1e30 - x*1e30: overflow to +Inf in both products, then inf - inf = NaN */
    static void infMinusInf(Ops tf) {
        Operand<TFloat32> x = x(tf);
        Operand<TFloat32> a = tf.withName("scaled_a").math.mul(x, tf.constant(1e30f));
        Operand<TFloat32> b = tf.withName("scaled_b").math.mul(x, tf.constant(1e30f));
        tf.withName("out").math.sub(a, b);
    }

    /** out = exp(x) + 1 */
    static void expOverflow(Ops tf) {
        tf.withName("out").math.add(tf.withName("exp").math.exp(x(tf)), tf.constant(1f));
    }

    /** out = sqrt(x) * 3 */
    static void sqrtOfNegative(Ops tf) {
        tf.withName("out").math.mul(tf.withName("sqrt").math.sqrt(x(tf)), tf.constant(3f));
    }

    /** out = x * w + 1 where w[1] is NaN */
    static void nanInWeights(Ops tf) {
        Operand<TFloat32> w = tf.withName("w").constant(new float[] { 0.5f, Float.NaN, 2f });
        tf.withName("out").math.add(tf.withName("scale").math.mul(x(tf), w), tf.constant(1f));
    }

    /** out = relu(x * 2) */
    static void passThrough(Ops tf) {
        tf.withName("out").nn.relu(tf.withName("double").math.mul(x(tf), tf.constant(2f)));
    }

    /** Standardisation without epsilon: out = (x - mean) * rsqrt(mean((x - mean)^2)) */
    static void zeroVarianceNormalisation(Ops tf) {
        Operand<TFloat32> x = x(tf);
        var all = tf.constant(new int[] { 0 });
        Operand<TFloat32> mean = tf.withName("mean").math.mean(x, all);
        Operand<TFloat32> centred = tf.withName("centred").math.sub(x, mean);
        Operand<TFloat32> variance = tf.withName("variance").math.mean(tf.math.square(centred), all);
        Operand<TFloat32> inverseStd = tf.withName("inverse_std").math.rsqrt(variance);
        tf.withName("out").math.mul(centred, inverseStd);
    }

    /** A 2x2 convolution whose finite products sum past float32's maximum. */
    static void convAccumulationOverflow(Ops tf) {
        Operand<TFloat32> filter = tf.withName("filter").constant(new float[][][][] {
                { { { 1e19f } }, { { 1e19f } } }, { { { 1e19f } }, { { 1e19f } } } });
        tf.withName("out").nn.conv2d(x(tf), filter, java.util.List.of(1L, 1L, 1L, 1L), "VALID");
    }
}
