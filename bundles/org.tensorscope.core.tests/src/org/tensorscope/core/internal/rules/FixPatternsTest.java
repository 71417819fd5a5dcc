package org.tensorscope.core.internal.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tensorscope.core.internal.rules.SyntheticModel.f16;
import static org.tensorscope.core.internal.rules.SyntheticModel.f32;
import static org.tensorscope.core.internal.rules.SyntheticModel.i32;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.report.NanReport;

/**
 * Fixes in the user's terms: the pattern around the origin (Log of a Softmax, log(1 - sigmoid), an
 * epsilon lost in 1 + 1e-10, a Sum as denominator, a hand-written softmax, exp without the maximum
 * subtracted) is named in the suggestion of the origin's cause and of the first NaN's.
 */
class FixPatternsTest {

    private static final float INF = Float.POSITIVE_INFINITY;

    private static NanReport.Origin origin(SyntheticModel model) throws Exception {
        NanReport report = model.trace().report();
        assertTrue(report.origin() != null, "an origin is found");
        return report.origin();
    }

    /** loss = label * log(softmax(z)) where softmax underflows to 0 where the label is 0. */
    private static SyntheticModel crossEntropy(String format) {
        return new SyntheticModel().format(format).constant("z", f32(Shape.of(1, 2), -200, 0))
                .constant("label", f32(Shape.of(1, 2), 0, 1))
                .op("sm", "Softmax", f32(Shape.of(1, 2), 0, 1), "z")
                .op("logp", "Log", f32(Shape.of(1, 2), -INF, 0), "sm")
                .op("xent", "Mul", f32(Shape.of(1, 2), Float.NaN, 0), "label", "logp");
    }

    @Test
    void logOfASoftmaxAndTheMulAfterItBothNameLogSoftmax() throws Exception {
        NanReport.Origin origin = origin(crossEntropy("TensorFlow frozen graph"));
        assertEquals("logp", origin.op());
        assertEquals("log-of-non-positive", origin.cause().rule());
        assertTrue(origin.cause().suggestion().startsWith("`Log` of a `Softmax` output (sm): the softmax underflows "
                + "to 0"), origin.cause().suggestion());
        assertTrue(origin.cause().suggestion().contains("tf.nn.log_softmax"));
        assertTrue(origin.cause().suggestion().contains("Also: Clip the input"), "the rule's own advice follows");
        assertEquals("xent", origin.firstNanOp());
        assertEquals("zero-times-inf", origin.firstNanCause().rule());
        assertTrue(origin.firstNanCause().suggestion().startsWith("`Log` of a `Softmax` output (sm)"),
                origin.firstNanCause().suggestion());
        assertFalse(origin.cause().suggestion().contains("converted code"));
    }

    @Test
    void aConvertedModelIsSaidToBeOne() throws Exception {
        NanReport.Origin origin = origin(crossEntropy("TF.js graph model"));
        assertTrue(origin.cause().suggestion().endsWith("This model is converted code (TF.js graph model): its graph "
                + "cannot be edited here; make the change in the source model and convert it again, or clip or "
                + "normalise the input you feed it."), origin.cause().suggestion());
    }

    @Test
    void logOfOneMinusASaturatedSigmoid() throws Exception {
        SyntheticModel model = new SyntheticModel().constant("z", f32(Shape.of(2), 40, 0))
                .op("p", "Sigmoid", f32(Shape.of(2), 1, 0.5f), "z")
                .constant("one", f32(Shape.of(), 1))
                .op("q", "Sub", f32(Shape.of(2), 0, 0.5f), "one", "p")
                .op("logq", "Log", f32(Shape.of(2), -INF, -0.6931f), "q");
        NanReport.Origin origin = origin(model);
        assertEquals("log-of-non-positive", origin.cause().rule());
        assertTrue(origin.cause().suggestion().startsWith("`Log(1 - sigmoid(x))` saturates (logq): sigmoid(x) rounds "
                + "to 1 in float32 once x exceeds about 17.3"), origin.cause().suggestion());
        assertTrue(origin.cause().suggestion().contains("tf.math.log_sigmoid(-x)"));
    }

    @Test
    void anEpsilonLostInOnePlusEpsilonInFloat32IsNamed() throws Exception {
        // the VAE's log(1e-10 + 1 - x) with the epsilon a tensor: (1e-10 + 1) is exactly 1 in float32
        SyntheticModel model = new SyntheticModel().constant("x", f32(Shape.of(2), 1, 0.25f))
                .constant("eps", f32(Shape.of(), 1e-10f))
                .constant("one", f32(Shape.of(), 1))
                .op("shifted", "AddV2", f32(Shape.of(), 1), "eps", "one")
                .op("q", "Sub", f32(Shape.of(2), 0, 0.75f), "shifted", "x")
                .op("logq", "Log", f32(Shape.of(2), -INF, -0.2877f), "q");
        NanReport.Origin origin = origin(model);
        assertTrue(origin.cause().suggestion().startsWith("The epsilon 1e-10 is lost in `1 + 1e-10` in float32 "
                + "(shifted): the sum rounds to 1"), origin.cause().suggestion());
        assertTrue(origin.cause().suggestion().contains("log((1 - x) + 1e-10), or use an epsilon of 1e-07 or more"),
                origin.cause().suggestion());
    }

    @Test
    void aSumAsTheDenominatorNamesTheSum() throws Exception {
        SyntheticModel model = new SyntheticModel().constant("counts", f32(Shape.of(2, 2), 0, 0, 1, 3))
                .constant("axes", i32(1))
                .op("total", "Sum", Map.of("keep_dims", "true"), f32(Shape.of(2, 1), 0, 4), "counts", "axes")
                .op("share", "RealDiv", f32(Shape.of(2, 2), Float.NaN, Float.NaN, 0.25f, 0.75f), "counts", "total");
        NanReport.Origin origin = origin(model);
        assertEquals("zero-by-zero", origin.cause().rule());
        assertTrue(origin.cause().suggestion().startsWith("The denominator is a `Sum` (total) that is 0 here: add an "
                + "epsilon (total + 1e-7) or use tf.math.divide_no_nan"), origin.cause().suggestion());
    }

    @Test
    void aHandWrittenSoftmaxWhoseSumUnderflows() throws Exception {
        SyntheticModel model = new SyntheticModel().constant("z", f32(Shape.of(1, 2), -200, -300))
                .op("e", "Exp", f32(Shape.of(1, 2), 0, 0), "z")
                .constant("axes", i32(1))
                .op("s", "Sum", Map.of("keep_dims", "true"), f32(Shape.of(1, 1), 0), "e", "axes")
                .op("p", "RealDiv", f32(Shape.of(1, 2), Float.NaN, Float.NaN), "e", "s");
        NanReport.Origin origin = origin(model);
        assertEquals("p", origin.op());
        assertEquals("zero-by-zero", origin.cause().rule());
        assertTrue(origin.cause().suggestion().startsWith("Hand-written softmax exp(x) / sum(exp(x)) whose `Sum` s is "
                + "0: exp(x) underflows to 0 for every element of a row whose logits are all below about -103 in "
                + "float32"), origin.cause().suggestion());
        assertTrue(origin.cause().suggestion().contains("Use tf.nn.softmax, which subtracts the row maximum first"));
    }

    @Test
    void aHandWrittenSoftmaxThatOverflowsNamesExpAndSoftmax() throws Exception {
        SyntheticModel model = new SyntheticModel().constant("z", f32(Shape.of(1, 2), 100, 1))
                .op("e", "Exp", f32(Shape.of(1, 2), INF, (float) Math.E), "z")
                .constant("axes", i32(1))
                .op("s", "Sum", Map.of("keep_dims", "true"), f32(Shape.of(1, 1), INF), "e", "axes")
                .op("p", "RealDiv", f32(Shape.of(1, 2), Float.NaN, 0), "e", "s");
        NanReport.Origin origin = origin(model);
        assertEquals("exp-overflow", origin.cause().rule());
        assertTrue(origin.cause().suggestion().startsWith("`Exp` (e) of values with no maximum subtracted: it "
                + "overflows above 88.72 in float32"), origin.cause().suggestion());
        assertEquals("inf-by-inf", origin.firstNanCause().rule());
        assertTrue(origin.firstNanCause().suggestion().startsWith("Hand-written softmax exp(x) / sum(exp(x)) (e / s): "
                + "exp(x) overflows to +Inf for x above 88.72 in float32"), origin.firstNanCause().suggestion());
    }

    @Test
    void float16ExpSaysToComputeInFloat32() throws Exception {
        SyntheticModel model = new SyntheticModel().constant("z", f16(Shape.of(2), 12, 1))
                .op("e", "Exp", f16(Shape.of(2), INF, (float) Math.E), "z");
        NanReport.Origin origin = origin(model);
        assertTrue(origin.cause().suggestion().startsWith("`Exp` (e) of values with no maximum subtracted: it "
                + "overflows above 11.09 in float16"), origin.cause().suggestion());
        assertTrue(origin.cause().suggestion().contains("In float16, cast to float32 before the exp."));
    }

    @Test
    void aMaxSubtractedExpIsNotCalledUnstable() throws Exception {
        SyntheticModel model = new SyntheticModel().constant("z", f32(Shape.of(2), 100, 1))
                .constant("axes", i32(0))
                .op("m", "Max", f32(Shape.of(), 1), "z", "axes")
                .op("shifted", "Sub", f32(Shape.of(2), 99, 0), "z", "m")
                .op("e", "Exp", f32(Shape.of(2), INF, 1), "shifted");
        NanReport.Origin origin = origin(model);
        assertEquals("exp-overflow", origin.cause().rule());
        assertFalse(origin.cause().suggestion().contains("no maximum subtracted"), origin.cause().suggestion());
    }
}
