package org.tensorscope.core.internal.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tensorscope.core.internal.rules.SyntheticModel.f16;
import static org.tensorscope.core.internal.rules.SyntheticModel.f32;
import static org.tensorscope.core.internal.rules.SyntheticModel.f64;
import static org.tensorscope.core.internal.rules.SyntheticModel.i32;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorscope.core.analysis.NanCauseAnalyzer;
import org.tensorscope.core.analysis.NanOrigin;
import org.tensorscope.core.analysis.TensorStats;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.OpRole;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.service.CauseFinding;
import org.tensorscope.core.service.OffendingValue;
import org.tensorscope.core.service.OriginContext;
import org.tensorscope.core.tensor.TensorData;

/**
 * The cause rules as NanTracer runs them, over synthetic tensors (no native runtime): the origin op,
 * the cause id, the offending values with their positions, and the fix.
 */
class CauseRulesTest {

    private static final Map<String, String> KEEP_DIMS = Map.of("keep_dims", "true");

    private static NanReport.Origin origin(SyntheticModel model) throws Exception {
        NanReport report = model.trace().report();
        assertTrue(report.origin() != null, "an origin is found");
        return report.origin();
    }

    private static void assertValue(NanReport.Value value, int input, List<Long> position, double v) {
        assertEquals(input, value.input(), "input of " + value);
        assertEquals(position, value.position(), "position of " + value);
        assertEquals(v, value.value(), Math.abs(v) * 1e-6, "value of " + value);
    }

    /** x / sum(z, axis=1, keepdims=True) where the first row's sum is 0: the hand-written softmax's denominator. */
    private static SyntheticModel keepDimsDivision(float... x) {
        return new SyntheticModel().constant("x", f32(Shape.of(2, 3), x))
                .constant("z", f32(Shape.of(2, 3), 0, 0, 0, 1, 1, 1))
                .constant("axes", i32(1))
                .op("s", "Sum", KEEP_DIMS, f32(Shape.of(2, 1), 0, 3), "z", "axes")
                .op("d", "RealDiv", f32(Shape.of(2, 3), x[0] / 0f, x[1] / 0f, x[2] / 0f, x[3] / 3f, x[4] / 3f,
                        x[5] / 3f), "x", "s");
    }

    @Test
    void divisionByABroadcastZeroIsDivisionByZeroWithTheDenominatorFirst() throws Exception {
        NanReport.Origin origin = origin(keepDimsDivision(1, 2, 3, 4, 5, 6));
        assertEquals("d", origin.op());
        assertEquals("division-by-zero", origin.cause().rule());
        assertTrue(origin.cause().description().contains("3 element(s)"), origin.cause().description());
        assertTrue(origin.cause().description().contains("numerator [2,3] broadcast against denominator [2,1]"),
                origin.cause().description());
        List<NanReport.Value> values = origin.cause().offendingValues();
        assertValue(values.get(0), 1, List.of(0L, 0L), 0);
        assertValue(values.get(1), 0, List.of(0L, 0L), 1);
        assertValue(values.get(2), 1, List.of(0L, 0L), 0);
        assertValue(values.get(3), 0, List.of(0L, 1L), 2);
        assertTrue(origin.cause().suggestion().contains("divide_no_nan"), origin.cause().suggestion());
        assertEquals("s:0", origin.histogram().tensor(), "the histogram shows the zero denominator at fault");
    }

    @Test
    void zeroByABroadcastZeroIsZeroByZero() throws Exception {
        NanReport.Origin origin = origin(keepDimsDivision(0, 2, 0, 4, 5, 6));
        assertEquals("zero-by-zero", origin.cause().rule());
        assertTrue(origin.cause().description().startsWith("0/0: 2 element(s) divide zero by zero, giving NaN; "
                + "1 more divide by zero"), origin.cause().description());
        assertValue(origin.cause().offendingValues().get(1), 0, List.of(0L, 0L), 0);
        assertValue(origin.cause().offendingValues().get(3), 0, List.of(0L, 2L), 0);
    }

    @Test
    void softmaxAfterExpOverflowIsExpOverflowThenInfByInf() throws Exception {
        SyntheticModel model = new SyntheticModel().constant("x", f32(Shape.of(1, 2), 100, 1))
                .op("e", "Exp", f32(Shape.of(1, 2), Float.POSITIVE_INFINITY, (float) Math.E), "x")
                .constant("axes", i32(1))
                .op("s", "Sum", KEEP_DIMS, f32(Shape.of(1, 1), Float.POSITIVE_INFINITY), "e", "axes")
                .op("d", "RealDiv", f32(Shape.of(1, 2), Float.NaN, 0), "e", "s");
        NanReport report = model.trace().report();
        NanReport.Origin origin = report.origin();
        assertEquals("e", origin.op());
        assertEquals("exp-overflow", origin.cause().rule());
        assertTrue(origin.cause().description().contains("> 88.72 (exp overflows float32"),
                origin.cause().description());
        assertValue(origin.cause().offendingValues().get(0), 0, List.of(0L, 0L), 100);
        assertEquals("d", origin.firstNanOp());
        assertEquals("inf-by-inf", origin.firstNanCause().rule(), "the denominator is +Inf, not tiny");
        assertTrue(origin.firstNanCause().description().startsWith("inf/inf: 1 element(s)"),
                origin.firstNanCause().description());
        assertValue(origin.firstNanCause().offendingValues().get(0), 1, List.of(0L, 0L), Double.POSITIVE_INFINITY);
        assertValue(origin.firstNanCause().offendingValues().get(1), 0, List.of(0L, 0L), Double.POSITIVE_INFINITY);
        assertTrue(origin.firstNanCause().suggestion().contains("subtract the maximum"));
        assertEquals(List.of("s", "d"), report.propagation());
    }

    @ParameterizedTest
    @ValueSource(strings = { "Sum", "Mean" })
    void plusAndMinusInfinityMeetingInsideAReductionIsInfMinusInf(String type) throws Exception {
        SyntheticModel model = new SyntheticModel().constant("x", f32(Shape.of(2, 2), 1e30f, -1e30f, 1, 2))
                .constant("k", f32(Shape.of(), 1e10f))
                .op("m", "Mul", f32(Shape.of(2, 2), Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e10f, 2e10f),
                        "x", "k")
                .constant("axes", i32(1))
                .op("r", type, f32(Shape.of(2), Float.NaN, 3e10f), "m", "axes");
        NanReport.Origin origin = origin(model);
        assertEquals("m", origin.op());
        assertEquals("overflow", origin.cause().rule());
        assertTrue(origin.cause().description().contains("float32's maximum (3.403e+38)"),
                origin.cause().description());
        assertEquals("r", origin.firstNanOp());
        assertEquals("inf-minus-inf", origin.firstNanCause().rule());
        assertTrue(origin.firstNanCause().description().startsWith("inf - inf inside a reduction: 1 output element(s)"
                + " of this " + type), origin.firstNanCause().description());
        assertValue(origin.firstNanCause().offendingValues().get(0), 0, List.of(0L, 0L), Double.POSITIVE_INFINITY);
        assertValue(origin.firstNanCause().offendingValues().get(1), 0, List.of(0L, 1L), Double.NEGATIVE_INFINITY);
    }

    @Test
    void aSumOfFiniteValuesThatOverflowsIsAccumulationOverflow() throws Exception {
        SyntheticModel model = new SyntheticModel().constant("x", f32(Shape.of(3), 3e38f, 3e38f, 1))
                .constant("axes", i32(0))
                .op("s", "Sum", f32(Shape.of(), Float.POSITIVE_INFINITY), "x", "axes");
        NanReport.Origin origin = origin(model);
        assertEquals("s", origin.op());
        assertEquals("accumulation-overflow", origin.cause().rule());
        assertTrue(origin.cause().description().startsWith("Accumulation overflow: Sum sums finite values past "
                + "float32's maximum (3.403e+38)"), origin.cause().description());
        assertValue(origin.cause().offendingValues().get(0), 0, List.of(0L), 3e38);
    }

    /**
     * openWakeWord's hello_deepa at ramp*1e38: the layer norm's mean of finite values of both signs comes out NaN, as
     * its partial sums overflowed to +Inf and to -Inf.
     */
    @Test
    void aSumOfFiniteValuesThatOverflowsBothWaysToNanIsAccumulationOverflow() throws Exception {
        SyntheticModel model = new SyntheticModel().constant("x", f32(Shape.of(1, 4), 3e38f, 3e38f, -3e38f, -3e38f))
                .constant("axes", i32(1))
                .op("m", "Mean", f32(Shape.of(1), Float.NaN), "x", "axes");
        NanReport.Origin origin = origin(model);
        assertEquals("m", origin.op());
        assertEquals("accumulation-overflow", origin.cause().rule());
        assertTrue(origin.cause().description().startsWith("Accumulation overflow: Mean sums finite values past "
                + "float32's maximum (3.403e+38), both ways: partial sums of +Inf and -Inf, added, made NaN"),
                origin.cause().description());

        SyntheticModel nothing = new SyntheticModel().constant("x", f32(Shape.of(1, 0)))
                .constant("axes", i32(1)).op("m", "Mean", f32(Shape.of(1), Float.NaN), "x", "axes");
        NanReport.Origin empty = origin(nothing);
        assertTrue(empty.cause() == null || !empty.cause().rule().contains("overflow"),
                "a mean of no values is 0 / 0, not an overflow: " + empty.cause());
    }

    /** nsfwjs's Keras MobileNetV2 at ramp*1e38: its first batch normalisation, run for inference, overflows. */
    @Test
    void aBatchNormalisationInInferenceScalesValuesItDoesNotSumThem() throws Exception {
        SyntheticModel inference = new SyntheticModel().constant("x", f32(Shape.of(1, 1, 1, 2), 2e38f, 1))
                .constant("scale", f32(Shape.of(2), 4, 1)).constant("offset", f32(Shape.of(2), -6, 0))
                .constant("mean", f32(Shape.of(2), 0, 0)).constant("variance", f32(Shape.of(2), 1, 1))
                .op("bn", "FusedBatchNormV3", Map.of("epsilon", "0.001", "is_training", "false"),
                        f32(Shape.of(1, 1, 1, 2), Float.POSITIVE_INFINITY, 1), "x", "scale", "offset", "mean", "variance");
        NanReport.Origin origin = origin(inference);
        assertEquals("bn", origin.op());
        assertEquals("overflow", origin.cause().rule());
        assertTrue(origin.cause().description().startsWith("Overflow: FusedBatchNormV3 scales finite values, "
                + "(x - mean) * scale / sqrt(variance + epsilon) + offset, past float32's maximum (3.403e+38)"),
                origin.cause().description());
        assertValue(origin.cause().offendingValues().get(0), 0, List.of(0L, 0L, 0L, 0L), 2e38f);
    }

    @Test
    void float16ExpOverflowsAbove11() throws Exception {
        SyntheticModel model = new SyntheticModel().constant("x", f16(Shape.of(2), 12, 1))
                .op("e", "Exp", f16(Shape.of(2), Float.POSITIVE_INFINITY, (float) Math.E), "x");
        NanReport.Origin origin = origin(model);
        assertEquals("exp-overflow", origin.cause().rule());
        assertTrue(origin.cause().description().contains("> 11.09 (exp overflows float16, whose largest value is 6.550e+04)"),
                origin.cause().description());
        assertTrue(origin.cause().description().contains("1 of 2 input values"), origin.cause().description());
        assertValue(origin.cause().offendingValues().get(0), 0, List.of(0L), 12);
    }

    @Test
    void float64ExpOverflowsOnlyAbove709() throws Exception {
        SyntheticModel model = new SyntheticModel().constant("x", f64(Shape.of(3), 700, 710, 100))
                .op("e", "Exp", f64(Shape.of(3), Math.exp(700), Double.POSITIVE_INFINITY, Math.exp(100)), "x");
        NanReport.Origin origin = origin(model);
        assertEquals("exp-overflow", origin.cause().rule());
        assertTrue(origin.cause().description().contains("> 709.78"), origin.cause().description());
        assertEquals(1, origin.cause().offendingValues().size());
        assertValue(origin.cause().offendingValues().get(0), 0, List.of(1L), 710);
    }

    @Test
    void softplusIsNotBlamedOnExp() throws Exception {
        SyntheticModel model = new SyntheticModel().constant("x", f32(Shape.of(1), 100))
                .op("sp", "Softplus", f32(Shape.of(1), Float.POSITIVE_INFINITY), "x");
        assertNull(origin(model).cause(), "TensorFlow's Softplus returns x for large x: no exp overflow to blame");
    }

    private static SyntheticModel batchNorm(Map<String, String> attributes) {
        return new SyntheticModel().constant("x", f32(Shape.of(1, 1, 1, 2), 1, 1))
                .constant("scale", f32(Shape.of(2), 1, 1)).constant("offset", f32(Shape.of(2), 0, 0))
                .constant("mean", f32(Shape.of(2), 0, 0)).constant("variance", f32(Shape.of(2), 0, 1))
                .op("bn", "FusedBatchNormV3", attributes, f32(Shape.of(1, 1, 1, 2), Float.POSITIVE_INFINITY, 1), "x",
                        "scale", "offset", "mean", "variance");
    }

    @Test
    void theSpecificZeroVarianceRuleRanksAboveTheGeneralOverflowRule() throws Exception {
        assertEquals(-100, SyntheticModel.ranking(new OverflowRule()));
        NanReport.Origin origin = origin(batchNorm(Map.of("epsilon", "0", "is_training", "false")));
        assertEquals("zero-variance-normalisation", origin.cause().rule(),
                "accumulation-overflow would come first by id");
        assertTrue(origin.cause().description().endsWith("1 channel(s) have variance 0 and epsilon is 0"),
                origin.cause().description());
        assertValue(origin.cause().offendingValues().get(0), 4, List.of(0L), 0);
    }

    /**
     * In training mode (TensorFlow's default, when the graph states no is_training) the op normalises by the batch's
     * own statistics: a zero in the moving variance it does not read is not the cause; a batch of one 1x1 sample,
     * whose channels each hold one value, is.
     */
    @Test
    void aBatchNormInTrainingModeIsNotBlamedOnItsMovingVariance() throws Exception {
        for (Map<String, String> attributes : List.of(Map.of("epsilon", "0"),
                Map.of("epsilon", "0", "is_training", "true"))) {
            NanReport.Origin origin = origin(batchNorm(attributes));
            assertEquals("zero-batch-variance", origin.cause().rule(), attributes + ": " + origin.cause().description());
        }
    }

    /**
     * Two frames through a batch norm in training mode: channel 0 holds 3 in both (variance 0), channel 1 holds 1 and
     * 2. With epsilon 0 the constant channel is 0/0 and is blamed, with its value; a positive epsilon divides by a
     * number, and the rule stays silent.
     */
    @Test
    void aConstantChannelOfATrainingBatchIsAZeroBatchVariance() throws Exception {
        for (String layout : List.of("NHWC", "NCHW", "ONNX")) {
            NanReport.Origin origin = origin(trainingBatchNorm(layout, "0"));
            assertEquals("zero-batch-variance", origin.cause().rule(), layout);
            assertTrue(origin.cause().description().endsWith("1 channel(s) hold one value across the batch (variance 0)"
                    + " while epsilon is 0"), origin.cause().description());
            assertTrue(origin.cause().suggestion().contains("Export the model for inference"), origin.cause().suggestion());
            assertValue(origin.cause().offendingValues().get(0), 0, List.of(0L, 0L, 0L, 0L), 3);
            NanReport.Origin withEpsilon = origin(trainingBatchNorm(layout, "0.001"));
            assertFalse(withEpsilon.cause() != null && "zero-batch-variance".equals(withEpsilon.cause().rule()), layout);
        }
    }

    /** x of two frames, channel 0 constant (3, 3), channel 1 (1, 2); its output NaN in channel 0 only. */
    private static SyntheticModel trainingBatchNorm(String layout, String epsilon) {
        boolean last = layout.equals("NHWC");
        Shape shape = last ? Shape.of(2, 1, 1, 2) : Shape.of(2, 2, 1, 1);
        SyntheticModel model = new SyntheticModel().constant("x", f32(shape, 3, 1, 3, 2))
                .constant("scale", f32(Shape.of(2), 1, 1)).constant("offset", f32(Shape.of(2), 0, 0))
                .constant("mean", f32(Shape.of(0))).constant("variance", f32(Shape.of(0)));
        TensorData output = f32(shape, Float.NaN, -1, Float.NaN, 1);
        return layout.equals("ONNX")
                ? model.op("bn", "BatchNormalization", OpRole.COMPUTATION, "FusedBatchNormV3",
                        Map.of("epsilon", epsilon, "training_mode", "1"), output, "x", "scale", "offset", "mean",
                        "variance")
                : model.op("bn", "FusedBatchNormV3", Map.of("epsilon", epsilon, "is_training", "true", "data_format",
                        layout), output, "x", "scale", "offset", "mean", "variance");
    }

    /** ONNX's BatchNormalization says training by training_mode, 0 unless set: inference reads the running variance. */
    @Test
    void anOnnxBatchNormalizationIsBlamedOnItsVarianceOnlyForInference() throws Exception {
        for (String mode : List.of("", "0", "1")) {
            Map<String, String> attributes = mode.isEmpty() ? Map.of("epsilon", "0")
                    : Map.of("epsilon", "0", "training_mode", mode);
            SyntheticModel model = new SyntheticModel().constant("x", f32(Shape.of(1, 2, 1, 1), 1, 1))
                    .constant("scale", f32(Shape.of(2), 1, 1)).constant("offset", f32(Shape.of(2), 0, 0))
                    .constant("mean", f32(Shape.of(2), 0, 0)).constant("variance", f32(Shape.of(2), 0, 1))
                    .op("bn", "BatchNormalization", OpRole.COMPUTATION, "FusedBatchNormV3", attributes,
                            f32(Shape.of(1, 2, 1, 1), Float.POSITIVE_INFINITY, 1), "x", "scale", "offset", "mean",
                            "variance");
            NanReport.Origin origin = origin(model);
            String rule = origin.cause() == null ? null : origin.cause().rule();
            assertEquals(!mode.equals("1"), "zero-variance-normalisation".equals(rule), "training_mode '" + mode
                    + "': " + rule);
        }
    }

    /** An average pooling sums its window before dividing: finite values past float32's range overflow there. */
    @Test
    void anAveragePoolingOfHugeValuesIsAnAccumulationOverflow() throws Exception {
        SyntheticModel model = new SyntheticModel().constant("x", f32(Shape.of(1, 2, 1, 1), 3e38f, 3e38f))
                .op("gap", "GlobalAveragePool", OpRole.COMPUTATION, "AvgPool", Map.of(),
                        f32(Shape.of(1, 1, 1, 1), Float.POSITIVE_INFINITY), "x");
        NanReport.Origin origin = origin(model);
        assertEquals("accumulation-overflow", origin.cause().rule());
        assertTrue(origin.cause().description().startsWith("Accumulation overflow: GlobalAveragePool sums finite values"),
                origin.cause().description());
    }

    @Test
    void anUnreadableEpsilonIsUnknownNotZero() throws Exception {
        NanReport.Origin origin = origin(batchNorm(Map.of("epsilon", "1e-3f?", "is_training", "false")));
        assertEquals("zero-variance-normalisation", origin.cause().rule());
        assertTrue(origin.cause().description().endsWith("the epsilon '1e-3f?' could not be read"),
                origin.cause().description());
    }

    @Test
    void subnormalsAreCountedByTheTensorsOwnDtype() {
        assertEquals(1, TensorStats.of(f16(Shape.of(3), 1e-5f, 1e-3f, 0)).subnormals(),
                "1e-5 is below float16's smallest normal 6.1e-5");
        assertEquals(6.103515625e-5, DType.FLOAT16.minNormal());
        assertEquals(65504, DType.FLOAT16.maxFinite());
    }

    private static CauseFinding explain(String type, TensorData output, TensorData... inputs) {
        OpNode op = new OpNode("op", type, "", Map.of(), List.of(), List.of());
        return new NanCauseAnalyzer(SyntheticModel.rules()).explain(new OriginContext(op, List.of(inputs), output))
                .orElse(null);
    }

    private static void assertOffending(OffendingValue value, int input, long[] position, double v) {
        assertEquals(input, value.input());
        assertEquals(java.util.Arrays.toString(position), java.util.Arrays.toString(value.position()));
        assertEquals(v, value.value());
    }

    @Test
    void zeroTimesInfinityPairsAreFoundAcrossBroadcastShapes() {
        float inf = Float.POSITIVE_INFINITY;
        CauseFinding finding = explain("Mul", f32(Shape.of(2, 2), Float.NaN, 0, inf, 2),
                f32(Shape.of(2, 1), 0, 1), f32(Shape.of(1, 2), inf, 2));
        assertEquals("zero-times-inf", finding.ruleId());
        assertTrue(finding.cause().startsWith("0 · inf: 1 element(s)"), finding.cause());
        assertOffending(finding.offending().get(0), 0, new long[] { 0, 0 }, 0);
        assertOffending(finding.offending().get(1), 1, new long[] { 0, 0 }, inf);
        assertTrue(finding.suggestion().contains("softmax_cross_entropy_with_logits"));
    }

    @Test
    void infMinusInfPairsAreFoundAcrossBroadcastShapes() {
        float inf = Float.POSITIVE_INFINITY;
        CauseFinding finding = explain("AddV2", f32(Shape.of(2, 2), inf, Float.NaN, -inf, 3),
                f32(Shape.of(2, 1), inf, 1), f32(Shape.of(1, 2), 2, -inf));
        assertEquals("inf-minus-inf", finding.ruleId());
        assertTrue(finding.cause().startsWith("inf - inf: 1 element(s)"), finding.cause());
        assertOffending(finding.offending().get(0), 0, new long[] { 0, 0 }, inf);
        assertOffending(finding.offending().get(1), 1, new long[] { 0, 1 }, -inf);
    }

    @Test
    void aZeroAndAnInfinityInOneSliceOfAProductIsZeroTimesInf() {
        CauseFinding finding = explain("Prod", f32(Shape.of(2), Float.NaN, 2),
                f32(Shape.of(2, 2), 0, Float.POSITIVE_INFINITY, 1, 2), i32(1));
        assertEquals("zero-times-inf", finding.ruleId());
        assertTrue(finding.cause().startsWith("0 · inf inside a reduction: 1 output element(s) of this Prod"));
        assertOffending(finding.offending().get(1), 0, new long[] { 0, 1 }, Double.POSITIVE_INFINITY);
    }

    @Test
    void aDivisionWhoseShapesDoNotBroadcastIsNotGuessed() {
        assertNull(explain("RealDiv", f32(Shape.of(2, 3), Float.POSITIVE_INFINITY, 1, 1, 1, 1, 1),
                f32(Shape.of(2, 3), 1, 1, 1, 1, 1, 1), f32(Shape.of(2), 0, 1)));
    }

    @Test
    void twoIndependentDivisionsByZeroAreTwoOriginsEachWithItsCauseAndFix() throws Exception {
        float inf = Float.POSITIVE_INFINITY;
        SyntheticModel model = new SyntheticModel().constant("a", f32(Shape.of(2), 1, 2))
                .constant("za", f32(Shape.of(2), 0, 1))
                .op("qa", "RealDiv", f32(Shape.of(2), inf, 2), "a", "za")
                .op("ya", "Mul", f32(Shape.of(2), inf, 4), "qa", "a")
                .constant("b", f32(Shape.of(3), 0, 5, 6))
                .constant("zb", f32(Shape.of(3), 0, 0, 1))
                .op("qb", "RealDiv", f32(Shape.of(3), Float.NaN, inf, 6), "b", "zb")
                .op("out", "AddN", f32(Shape.of(2), inf, 6), "ya", "qa");
        NanReport report = model.trace().report();
        assertEquals("qa", report.origin().op(), "the first origin leads");
        assertEquals(List.of("qa", "qb"), report.origins().stream().map(NanReport.Origin::op).toList());
        assertEquals(report.origin(), report.origins().get(0));
        NanReport.Origin second = report.otherOrigins().get(0);
        assertEquals("RealDiv", second.type());
        assertEquals(NanOrigin.Kind.COMPUTATION, second.kind());
        assertEquals("zero-by-zero", second.cause().rule());
        assertTrue(second.cause().description().startsWith("0/0: 1 element(s) divide zero by zero, giving NaN; "
                + "1 more divide by zero"), second.cause().description());
        assertValue(second.cause().offendingValues().get(0), 1, List.of(0L), 0);
        assertTrue(second.cause().suggestion().contains("epsilon"));
        assertEquals(List.of("ya", "out"), report.propagation(), "only ops explained by non-finite inputs propagate");
    }

    @Test
    void aReportWithoutTheOriginsFieldListsItsOneOrigin() {
        NanReport.Origin origin = new NanReport.Origin("d", "RealDiv", NanOrigin.Kind.COMPUTATION, "d", null, null, null,
                List.of(), null, null, -1);
        NanReport old = new NanReport("m.pb", "test", "serving_default", "cpu", "", "FULL", false, origin, List.of(),
                List.of(), List.of(), 0, List.of(), 1, List.of(), null, null);
        assertEquals(List.of(origin), old.origins());
        assertEquals(List.of(), old.otherOrigins());
    }

    @Test
    void aNegativeBaseToAFractionalBroadcastExponentIsPowOfNegative() {
        CauseFinding finding = explain("Pow", f32(Shape.of(3), 2, Float.NaN, 4), f32(Shape.of(3), 4, -8, 16),
                f32(Shape.of(), 0.5f));
        assertEquals("pow-of-negative", finding.ruleId());
        assertTrue(finding.cause().startsWith("Pow of negative bases: 1 element(s)"), finding.cause());
        assertOffending(finding.offending().get(0), 0, new long[] { 1 }, -8);
        assertOffending(finding.offending().get(1), 1, new long[] {}, 0.5);
        assertNull(explain("Pow", f32(Shape.of(1), Float.NaN), f32(Shape.of(1), -8), f32(Shape.of(1), 2)),
                "an integer power of a negative base is finite: something else made this NaN");
    }

    @Test
    void aTinyDenominatorOverflowsTheQuotientsOwnDtype() {
        CauseFinding f32 = explain("RealDiv", f32(Shape.of(2), Float.POSITIVE_INFINITY, 1), f32(Shape.of(2), 1e30f, 1),
                f32(Shape.of(2), 1e-10f, 1));
        assertEquals("tiny-denominator", f32.ruleId());
        assertTrue(f32.cause().equals("Tiny denominator: 1 quotient(s) exceed the float32 range (3.403e+38)"),
                f32.cause());
        assertOffending(f32.offending().get(0), 1, new long[] { 0 }, 1e-10f);
        CauseFinding f16 = explain("RealDiv", f16(Shape.of(1), Float.POSITIVE_INFINITY), f16(Shape.of(1), 100),
                f16(Shape.of(1), 1e-3f));
        assertTrue(f16.cause().endsWith("exceed the float16 range (6.550e+04)"), f16.cause());
    }

    @Test
    void acosOutsideItsDomainAndLog1pBelowMinusOne() {
        CauseFinding acos = explain("Acos", f32(Shape.of(3), 0, Float.NaN, 1), f32(Shape.of(3), 1, 1.0000001f, -1));
        assertEquals("acos-asin-out-of-domain", acos.ruleId());
        assertOffending(acos.offending().get(0), 0, new long[] { 1 }, 1.0000001f);
        assertTrue(acos.suggestion().contains("Clip the input to [-1, 1]"));
        CauseFinding log1p = explain("Log1p", f32(Shape.of(2), Float.NaN, 0), f32(Shape.of(2), -2, 0));
        assertEquals("log1p-below-minus-one", log1p.ruleId());
        assertOffending(log1p.offending().get(0), 0, new long[] { 0 }, -2);
    }

    @Test
    void aCastToANarrowerFloatOverflowsPerTargetDtype() {
        float inf = Float.POSITIVE_INFINITY;
        CauseFinding toHalf = explain("Cast", f16(Shape.of(3), inf, 1, Float.NEGATIVE_INFINITY),
                f32(Shape.of(3), 70000, 1, -1e5f));
        assertEquals("cast-overflow", toHalf.ruleId());
        assertTrue(toHalf.cause().startsWith("Cast from float32 to float16: 2 finite value(s) beyond float16's "
                + "largest value (6.550e+04) become infinity"), toHalf.cause());
        assertOffending(toHalf.offending().get(0), 0, new long[] { 0 }, 70000);
        assertOffending(toHalf.offending().get(1), 0, new long[] { 2 }, -1e5f);
        assertTrue(toHalf.suggestion().contains("Keep this tensor in float32"), toHalf.suggestion());
        CauseFinding toSingle = explain("Cast", f32(Shape.of(2), 1, inf), f64(Shape.of(2), 1, 1e39));
        assertEquals("cast-overflow", toSingle.ruleId());
        assertTrue(toSingle.cause().contains("float64 to float32: 1 finite value(s) beyond float32's"), toSingle.cause());
        assertOffending(toSingle.offending().get(0), 0, new long[] { 1 }, 1e39);
        assertNull(explain("Cast", f32(Shape.of(1), inf), f64(Shape.of(1), inf)), "an infinity cast stays one");
    }

    @Test
    void aCastOfNanToAnIntegerHidesTheNan() {
        CauseFinding finding = explain("Cast", i32(Shape.of(3), Integer.MIN_VALUE, 2, Integer.MIN_VALUE),
                f32(Shape.of(3), Float.NaN, 2, Float.POSITIVE_INFINITY));
        assertEquals("cast-non-finite-to-integer", finding.ruleId());
        assertTrue(finding.cause().startsWith("Cast of NaN/Inf to int32: 2 value(s) have no int32 value"),
                finding.cause());
        assertOffending(finding.offending().get(0), 0, new long[] { 0 }, Double.NaN);
        assertOffending(finding.offending().get(1), 0, new long[] { 2 }, Double.POSITIVE_INFINITY);
        assertTrue(finding.suggestion().contains("tf.where(tf.math.is_finite(x), x, 0)"));
    }

    /** x / sqrt(sum(x², axis=1, keepdims)): l2_normalize by hand, with an all-zero first row. */
    private static SyntheticModel handWrittenL2Normalize(boolean float64) {
        Shape shape = Shape.of(2, 2);
        Shape norms = Shape.of(2, 1);
        return new SyntheticModel()
                .constant("x", float64 ? f64(shape, 0, 0, 3, 4) : f32(shape, 0, 0, 3, 4))
                .op("sq", "Square", float64 ? f64(shape, 0, 0, 9, 16) : f32(shape, 0, 0, 9, 16), "x")
                .constant("axes", i32(1))
                .op("ss", "Sum", KEEP_DIMS, float64 ? f64(norms, 0, 25) : f32(norms, 0, 25), "sq", "axes")
                .op("norm", "Sqrt", float64 ? f64(norms, 0, 5) : f32(norms, 0, 5), "ss")
                .op("unit", "RealDiv", float64 ? f64(shape, Double.NaN, Double.NaN, 0.6, 0.8)
                        : f32(shape, Float.NaN, Float.NaN, 0.6f, 0.8f), "x", "norm");
    }

    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void dividingByANormThatIsZeroIsZeroNormDivision(boolean float64) throws Exception {
        NanReport.Origin origin = origin(handWrittenL2Normalize(float64));
        assertEquals("unit", origin.op());
        assertEquals("zero-norm-division", origin.cause().rule(), "not the general zero-by-zero");
        assertTrue(origin.cause().description().startsWith("Division by a zero norm: 2 element(s)"),
                origin.cause().description());
        assertValue(origin.cause().offendingValues().get(0), 1, List.of(0L, 0L), 0);
        assertValue(origin.cause().offendingValues().get(1), 0, List.of(0L, 0L), 0);
        assertTrue(origin.cause().suggestion().startsWith("This is an L2 normalisation without an epsilon: use "
                + "tf.math.l2_normalize"), origin.cause().suggestion());
    }

    @Test
    void aDivisionByAZeroThatIsNoNormStaysZeroByZero() {
        CauseFinding finding = explain("RealDiv", f32(Shape.of(1), Float.NaN), f32(Shape.of(1), 0), f32(Shape.of(1), 0));
        assertEquals("zero-by-zero", finding.ruleId(), "without the graph nothing says the denominator is a norm");
    }

    @Test
    void rsqrtOfAZeroSumOfSquaresIsZeroNormDivision() throws Exception {
        SyntheticModel model = new SyntheticModel().constant("x", f32(Shape.of(2), 0, 0))
                .op("sq", "Square", f32(Shape.of(2), 0, 0), "x")
                .constant("axes", i32(0))
                .op("ss", "Sum", f32(Shape.of(), 0), "sq", "axes")
                .op("inv", "Rsqrt", f32(Shape.of(), Float.POSITIVE_INFINITY), "ss");
        NanReport.Origin origin = origin(model);
        assertEquals("zero-norm-division", origin.cause().rule());
        assertTrue(origin.cause().description().startsWith("Reciprocal of a zero norm: 1 sum(s) of squares are 0"),
                origin.cause().description());
    }

    @Test
    void rsqrtOfAZeroVarianceOfCentredValuesIsNoNorm() throws Exception {
        SyntheticModel model = new SyntheticModel().constant("x", f32(Shape.of(2), 5, 5))
                .constant("axes", i32(0))
                .op("mean", "Mean", f32(Shape.of(), 5), "x", "axes")
                .op("centred", "Sub", f32(Shape.of(2), 0, 0), "x", "mean")
                .op("sq", "Square", f32(Shape.of(2), 0, 0), "centred")
                .op("variance", "Mean", f32(Shape.of(), 0), "sq", "axes")
                .op("inv", "Rsqrt", f32(Shape.of(), Float.POSITIVE_INFINITY), "variance");
        assertEquals("rsqrt-of-zero", origin(model).cause().rule(), "a variance, not a norm");
    }

    @Test
    void reciprocalAndRsqrtOfZeroInEachDtype() {
        CauseFinding reciprocal = explain("Reciprocal", f16(Shape.of(2), Float.POSITIVE_INFINITY, 0.5f),
                f16(Shape.of(2), 0, 2));
        assertEquals("division-by-zero", reciprocal.ruleId());
        assertEquals("Reciprocal of zero: 1 element(s) are 1/0, giving infinity", reciprocal.cause());
        assertOffending(reciprocal.offending().get(0), 0, new long[] { 0 }, 0);
        CauseFinding rsqrt = explain("Rsqrt", f64(Shape.of(2), 1, Double.POSITIVE_INFINITY), f64(Shape.of(2), 1, 0));
        assertEquals("rsqrt-of-zero", rsqrt.ruleId());
        assertOffending(rsqrt.offending().get(0), 0, new long[] { 1 }, 0);
    }

    @Test
    void aQuantizationRangeWithAnInfiniteBoundIsQuantizationRange() {
        CauseFinding finding = explain("FakeQuantWithMinMaxVars", f32(Shape.of(3), Float.NaN, Float.NaN, Float.NaN),
                f32(Shape.of(3), -2, 0.5f, 3), f32(Shape.of(), -1), f32(Shape.of(), Float.POSITIVE_INFINITY));
        assertEquals("quantization-range", finding.ruleId());
        assertEquals("Quantization range [-1, +Inf] of this FakeQuantWithMinMaxVars has an infinite or NaN bound",
                finding.cause());
        assertOffending(finding.offending().get(1), 2, new long[] {}, Double.POSITIVE_INFINITY);
        assertTrue(finding.suggestion().startsWith("Recalibrate the quantization range"));
    }

    @Test
    void aQuantizationRangeWhoseStepOverflowsSaysHowManyInputsSaturate() {
        OpNode op = new OpNode("fq", "FakeQuantWithMinMaxArgs", "", Map.of("min", "-3e38", "max", "3e38"), List.of(),
                List.of());
        CauseFinding finding = new NanCauseAnalyzer(SyntheticModel.rules()).explain(new OriginContext(op,
                List.of(f32(Shape.of(2), 1, Float.MAX_VALUE)), f32(Shape.of(2), Float.NaN, Float.NaN))).orElseThrow();
        assertEquals("quantization-range", finding.ruleId());
        assertEquals("Quantization range [-3e+38, 3e+38] of this FakeQuantWithMinMaxArgs has a step (max - min) "
                + "beyond the float range; 1 of 2 input values lie outside it and saturate", finding.cause());
        OpNode unknown = new OpNode("fq", "FakeQuantWithMinMaxArgs", "", Map.of(), List.of(), List.of());
        assertTrue(new NanCauseAnalyzer(SyntheticModel.rules()).explain(new OriginContext(unknown,
                List.of(f32(Shape.of(1), 1)), f32(Shape.of(1), Float.NaN))).isEmpty(), "no range stated: no guess");
    }

    @Test
    void aFullyMaskedAttentionRowMakesTheSoftmaxNaN() throws Exception {
        float minus = Float.NEGATIVE_INFINITY;
        SyntheticModel model = new SyntheticModel().constant("logits", f32(Shape.of(2, 3), 1, 2, 3, 1, 2, 3))
                .constant("mask", f32(Shape.of(2, 3), minus, minus, minus, 0, 0, minus))
                .op("masked", "AddV2", f32(Shape.of(2, 3), minus, minus, minus, 1, 2, minus), "logits", "mask")
                .op("attention", "Softmax", f32(Shape.of(2, 3), Float.NaN, Float.NaN, Float.NaN, 0.2689f, 0.7311f, 0),
                        "masked");
        NanReport.Origin origin = origin(model);
        assertEquals("mask", origin.op());
        assertEquals(NanOrigin.Kind.WEIGHTS, origin.kind());
        assertEquals("attention", origin.firstNanOp());
        assertEquals("softmax-of-infinite-row", origin.firstNanCause().rule());
        assertTrue(origin.firstNanCause().description().startsWith("Softmax of rows that are all -Inf: 1 row(s) of 3 "
                + "logits are -Inf in every position"), origin.firstNanCause().description());
        assertValue(origin.firstNanCause().offendingValues().get(0), 0, List.of(0L, 0L), Double.NEGATIVE_INFINITY);
        assertTrue(origin.firstNanCause().suggestion().contains("-1e9"));
    }

    @Test
    void aLogSoftmaxRowHoldingPlusInfinityInFloat16() {
        CauseFinding finding = explain("LogSoftmax", f16(Shape.of(1, 2), Float.NaN, Float.NaN),
                f16(Shape.of(1, 2), Float.POSITIVE_INFINITY, 1));
        assertEquals("softmax-of-infinite-row", finding.ruleId());
        assertTrue(finding.cause().startsWith("LogSoftmax of rows holding +Inf: 1 row(s)"), finding.cause());
    }

    @Test
    void atanhOnOrBeyondOneIsOutOfDomain() {
        CauseFinding finding = explain("Atanh", f32(Shape.of(3), Float.POSITIVE_INFINITY, Float.NaN, 0.5493f),
                f32(Shape.of(3), 1, -1.5f, 0.5f));
        assertEquals("atanh-out-of-domain", finding.ruleId());
        assertTrue(finding.cause().startsWith("Atanh of values outside (-1, 1): 2 of 3 input values"), finding.cause());
        assertOffending(finding.offending().get(0), 0, new long[] { 0 }, 1);
        assertOffending(finding.offending().get(1), 0, new long[] { 1 }, -1.5f);
    }

    @Test
    void aCumulativeProductOfFiniteFactorsOverflows() throws Exception {
        float inf = Float.POSITIVE_INFINITY;
        SyntheticModel model = new SyntheticModel().constant("x", f32(Shape.of(4), 1e20f, 1e20f, 1, 0.5f))
                .constant("axis", i32(Shape.of(), 0))
                .op("cp", "Cumprod", f32(Shape.of(4), 1e20f, inf, inf, inf), "x", "axis");
        NanReport.Origin origin = origin(model);
        assertEquals("cumulative-product-overflow", origin.cause().rule());
        assertTrue(origin.cause().description().startsWith("Cumulative product overflow: 3 running product(s) of finite "
                + "factors (the largest 1.000e+20) exceed float32's largest value (3.403e+38)"),
                origin.cause().description());
        assertValue(origin.cause().offendingValues().get(0), 0, List.of(1L), 1e20);
        CauseFinding half = explain("Cumprod", f16(Shape.of(2), 300, Float.POSITIVE_INFINITY), f16(Shape.of(2), 300, 300),
                i32(Shape.of(), 0));
        assertTrue(half.cause().endsWith("exceed float16's largest value (6.550e+04)"), half.cause());
    }
}
