package org.tensorscope.tensorflow.tests;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Sum;
import org.tensorflow.types.TFloat16;
import org.tensorflow.types.TFloat32;

/**
 * The numerical bugs of published studies of TensorFlow programs, re-expressed as small graphs with a
 * float32 placeholder x; the output op is named "out". Each is written the way the buggy program wrote it.
 */
final class DiagnosisModels {

    private DiagnosisModels() {
    }

    /** out = -sum(label * log(softmax(x))) with label = [0, 0, 1]: the cross-entropy written by hand */
    static void crossEntropyOnSoftmax(Ops tf) {
        Operand<TFloat32> label = tf.withName("label").constant(new float[][] { { 0f, 0f, 1f } });
        Operand<TFloat32> probabilities = tf.withName("softmax").nn.softmax(PlantedModels.x(tf));
        Operand<TFloat32> logp = tf.withName("log").math.log(probabilities);
        Operand<TFloat32> terms = tf.withName("terms").math.mul(label, logp);
        tf.withName("out").math.neg(tf.withName("sum").sum(terms, tf.constant(new int[] { 0, 1 })));
    }

    /** out = exp(x) / sum(exp(x), axis=1, keepdims=True) * 1: the hand-written softmax */
    static void handWrittenSoftmax(Ops tf) {
        Operand<TFloat32> e = tf.withName("exp").math.exp(PlantedModels.x(tf));
        Operand<TFloat32> sum = tf.withName("sum").sum(e, tf.constant(new int[] { 1 }), Sum.keepDims(true));
        tf.withName("out").math.div(e, sum);
    }

    /** out = -(y * log(p) + (1 - y) * log(1 - p)) with p = sigmoid(x), y = [1, 0]: binary cross-entropy by hand */
    static void binaryCrossEntropy(Ops tf) {
        Operand<TFloat32> y = tf.withName("y_true").constant(new float[] { 1f, 0f });
        Operand<TFloat32> one = tf.withName("one").constant(1f);
        Operand<TFloat32> p = tf.withName("p").math.sigmoid(PlantedModels.x(tf));
        Operand<TFloat32> positive = tf.withName("positive").math.mul(y, tf.withName("log_p").math.log(p));
        Operand<TFloat32> complement = tf.withName("one_minus_p").math.sub(one, p);
        Operand<TFloat32> negative = tf.withName("negative").math.mul(tf.withName("one_minus_y").math.sub(one, y),
                tf.withName("log_one_minus_p").math.log(complement));
        tf.withName("out").math.neg(tf.withName("bce").math.add(positive, negative));
    }

    /**
     * A VAE's reconstruction loss x_true * log(eps + p) + (1 - x_true) * log(eps + 1 - p) with eps = 1e-10 a
     * tensor and p = sigmoid(x), x_true = [1, 0]: eps + 1 is exactly 1 in float32
     */
    static void vaeReconstruction(Ops tf) {
        Operand<TFloat32> xTrue = tf.withName("x_true").constant(new float[] { 1f, 0f });
        Operand<TFloat32> eps = tf.withName("eps").constant(1e-10f);
        Operand<TFloat32> one = tf.withName("one").constant(1f);
        Operand<TFloat32> p = tf.withName("decoded").math.sigmoid(PlantedModels.x(tf));
        Operand<TFloat32> first = tf.withName("first").math.mul(xTrue,
                tf.withName("log_eps_p").math.log(tf.withName("eps_p").math.add(eps, p)));
        Operand<TFloat32> shifted = tf.withName("eps_plus_one").math.add(eps, one);
        Operand<TFloat32> second = tf.withName("second").math.mul(tf.withName("one_minus_x").math.sub(one, xTrue),
                tf.withName("log_eps_one_minus_p").math.log(tf.withName("eps_one_minus_p").math.sub(shifted, p)));
        tf.withName("out").math.add(first, second);
    }

    /** out = (x / y) * (y / x): two divisions that each divide by zero on their own, and their product */
    static void twoDivisionsMultiplied(Ops tf) {
        Operand<TFloat32> x = PlantedModels.x(tf);
        Operand<TFloat32> y = PlantedModels.y(tf);
        tf.withName("out").math.mul(tf.withName("div_a").math.div(x, y), tf.withName("div_b").math.div(y, x));
    }

    /** out = exp(h) - exp(h) * 1 with h = cast(x, float16): mixed precision whose exp overflows above 11.09 */
    static void float16Exp(Ops tf) {
        Operand<TFloat16> h = tf.withName("half").dtypes.cast(PlantedModels.x(tf), TFloat16.class);
        Operand<TFloat16> e = tf.withName("exp").math.exp(h);
        Operand<TFloat16> scaled = tf.withName("scaled").math.mul(e, tf.dtypes.cast(tf.constant(1f), TFloat16.class));
        tf.withName("out").math.sub(e, scaled);
    }
}
