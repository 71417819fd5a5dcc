package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorscope.core.trace.TensorHealth;

/**
 * A CURT pass does not probe a tensor whose NaN or Inf would always reach a probed one (through an addition,
 * a product, a padding, a convolution reading every element): its row is finite when that one's is. When that one
 * is not finite, the follow-up probes the tensors anchored on it, so the origin and its counts are still found;
 * ops that can drop a NaN (Relu6, a strided convolution skipping elements, a product with zeros) anchor nothing.
 */
class PropagationTest {

    @TempDir
    static Path folder;

    private static CurtRuns trace(String name, Consumer<Ops> body, long[] shape, float... values) throws Exception {
        return CurtRuns.trace(folder, name, body, shape, values);
    }

    /** s = x * 1e30; p = pad(s); m = p + 1; out = relu6(m), which clips an Inf in m to 6. */
    private static void clipped(Ops tf) {
        Operand<TFloat32> s = tf.withName("s").math.mul(PlantedModels.x(tf), tf.constant(1e30f));
        Operand<TFloat32> p = tf.withName("p").pad(s, tf.constant(new int[][] { { 1, 1 } }), tf.constant(0f));
        Operand<TFloat32> m = tf.withName("m").math.add(p, tf.constant(1f));
        tf.withName("out").nn.relu6(m);
    }

    /** The same after e = exp(x), which no magnitude bound passes: s = e * 1e30; p = pad(s); m = p + 1; out = relu6(m). */
    private static void clippedAfterExp(Ops tf) {
        Operand<TFloat32> e = tf.withName("e").math.exp(PlantedModels.x(tf));
        Operand<TFloat32> s = tf.withName("s").math.mul(e, tf.constant(1e30f));
        Operand<TFloat32> p = tf.withName("p").pad(s, tf.constant(new int[][] { { 1, 1 } }), tf.constant(0f));
        Operand<TFloat32> m = tf.withName("m").math.add(p, tf.constant(1f));
        tf.withName("out").nn.relu6(m);
    }

    @Test
    void anchoredTensorsAreFiniteWithoutProbesWhenTheirAnchorIs() throws Exception {
        CurtRuns run = trace("clipped_ok", PropagationTest::clippedAfterExp, new long[] { 4 }, 1f, -2f, 3f, 0f);
        assertTrue(run.report().finite());
        for (String anchored : List.of("s:0", "p:0")) {
            assertFalse(run.probed().contains(anchored), anchored + " is not probed: " + run.probed());
            assertTrue(run.trace().row(anchored).orElseThrow().isFinite());
        }
        assertEquals("finite because p:0 is: a NaN or infinity here would reach it through PadV2",
                run.trace().notProbed().get("s:0"));
        assertTrue(run.trace().notProbed().get("p:0").startsWith("finite because m:0 is"), run.trace().notProbed().toString());
        assertTrue(run.probed().contains("m:0"), "relu6 may clip an Inf: m is probed: " + run.probed());
        assertTrue(run.trace().isComplete());
    }

    @Test
    void anInfinityClippedAtTheEndIsTracedThroughTheAnchoredTensorsToItsOrigin() throws Exception {
        CurtRuns run = trace("clipped_inf", PropagationTest::clipped, new long[] { 4 }, 1f, 1e9f, 3f, 0f);
        assertFalse(run.report().finite(), "out is finite (6), but m, p and s are not");
        assertTrue(run.trace().row("out:0").orElseThrow().isFinite());
        assertEquals("s", run.report().origin().op());
        assertEquals("overflow", run.report().origin().cause().rule());
        assertEquals("s", run.report().origin().firstInfOp());
        TensorHealth s = run.trace().row("s:0").orElseThrow();
        assertEquals(1, s.posInfCount(), s.toString());
        TensorHealth p = run.trace().row("p:0").orElseThrow();
        assertFalse(p.isFinite(), p.toString());
        assertTrue(run.probed().containsAll(List.of("s:0", "p:0", "m:0")), "the follow-up probed them: " + run.probed());
        assertFalse(run.trace().notProbed().containsKey("s:0"));
        assertEquals(List.of("p", "m"), run.report().propagation());
    }

    /** y = log(x); c = conv2d(y, 1x1 filter of 1, strides); out = c + 1 */
    private static Consumer<Ops> conv(long stride, String padding, float filterValue) {
        return tf -> {
            Operand<TFloat32> y = tf.withName("y").math.log(PlantedModels.x(tf));
            Operand<TFloat32> filter = tf.constant(new float[][][][] { { { { filterValue } } } });
            Operand<TFloat32> c = tf.withName("c").nn.conv2d(y, filter, List.of(1L, stride, stride, 1L), padding);
            tf.withName("out").math.add(c, tf.constant(1f));
        };
    }

    /** y = log(x); out = y * zeros_like(x) + 1 */
    private static void productWithZerosLike(Ops tf) {
        Operand<TFloat32> x = PlantedModels.x(tf);
        Operand<TFloat32> y = tf.withName("y").math.log(x);
        tf.withName("out").math.add(tf.withName("m").math.mul(y, tf.zerosLike(x)), tf.constant(1f));
    }

    /** y = log(x); out = y * (2 - 2) + 1: a factor computed from constants only */
    private static void productWithComputedFactor(Ops tf) {
        Operand<TFloat32> y = tf.withName("y").math.log(PlantedModels.x(tf));
        Operand<TFloat32> zero = tf.withName("zero").math.sub(tf.constant(2f), tf.constant(2f));
        tf.withName("out").math.add(tf.withName("m").math.mul(y, zero), tf.constant(1f));
    }

    private static final float[] HEALTHY = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

    @Test
    void aConvolutionReadingEveryElementAnchorsItsInputAndFindsTheOriginBehindIt() throws Exception {
        long[] shape = { 1, 4, 4, 1 };
        CurtRuns healthy = trace("conv_ok", conv(1, "SAME", 2f), shape, HEALTHY);
        assertTrue(healthy.report().finite());
        assertFalse(healthy.probed().contains("y:0"), healthy.probed().toString());
        assertTrue(healthy.trace().row("y:0").orElseThrow().isFinite());

        float[] sick = HEALTHY.clone();
        sick[5] = -1f; // log(-1): NaN at (1, 1)
        CurtRuns run = trace("conv_nan", conv(1, "SAME", 2f), shape, sick);
        assertEquals("y", run.report().origin().op());
        assertEquals(1, run.trace().row("y:0").orElseThrow().nanCount());
        assertEquals(1, run.trace().row("c:0").orElseThrow().nanCount());
    }

    @Test
    void aStridedConvolutionSkippingElementsOrAProductWithZerosAnchorsNothing() throws Exception {
        long[] shape = { 1, 4, 4, 1 };
        CurtRuns healthy = trace("conv_strided_ok", conv(2, "VALID", 2f), shape, HEALTHY);
        assertTrue(healthy.probed().contains("y:0"), "a 1x1 filter with stride 2 skips elements: " + healthy.probed());
        CurtRuns zeros = trace("conv_zeros_ok", conv(1, "SAME", 0f), shape, HEALTHY);
        assertTrue(zeros.probed().contains("y:0"), "grappler may replace a product with zeros: " + zeros.probed());

        CurtRuns zerosLike = trace("zeros_like_ok", PropagationTest::productWithZerosLike, new long[] { 4 }, 1f, 2f, 3f, 4f);
        assertTrue(zerosLike.probed().contains("y:0"), "zeros_like(x) folds to zeros: " + zerosLike.probed());
        CurtRuns computedFactor = trace("computed_factor_ok", PropagationTest::productWithComputedFactor, new long[] { 4 }, 1f,
                2f, 3f, 4f);
        assertTrue(computedFactor.probed().contains("y:0"), "2 - 2 folds to zeros: " + computedFactor.probed());

        float[] sick = HEALTHY.clone();
        sick[5] = -1f; // at (1, 1), which the stride-2 filter never reads
        CurtRuns run = trace("conv_strided_nan", conv(2, "VALID", 2f), shape, sick);
        assertTrue(run.trace().row("c:0").orElseThrow().isFinite(), "the NaN is skipped");
        assertTrue(run.trace().row("out:0").orElseThrow().isFinite());
        assertFalse(run.report().finite(), "but y holds it: no false all-clear");
        assertEquals("y", run.report().origin().op());
        assertEquals(1, run.trace().row("y:0").orElseThrow().nanCount());
    }
}
