package org.tensorscope.core.internal.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tensorscope.core.internal.rules.SyntheticModel.f32;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tensorscope.core.analysis.NanOrigin;
import org.tensorscope.core.model.OpRole;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.report.NanReport;

/**
 * A model of a format core has never heard of: its op types are made up, and only the roles and canonical types
 * its loader gives decide whether a NaN came from the input, the weights or the computation, and which rule
 * explains it. No op name of TensorFlow or ONNX is used for a fed or stored value.
 */
class FormatNeutralOriginTest {

    private static final float NAN = Float.NaN;

    private static NanReport.Origin origin(SyntheticModel model) throws Exception {
        NanReport report = model.trace().report();
        assertTrue(report.origin() != null, "an origin is found");
        return report.origin();
    }

    /** source -> Twice (doubles it) -> out, where source has the given role and holds a NaN. */
    private static SyntheticModel nanIn(String type, OpRole role) {
        return new SyntheticModel()
                .op("source", type, role, "", Map.of(), f32(Shape.of(2), 1, NAN))
                .op("twice", "Twice", OpRole.COMPUTATION, "", Map.of(), f32(Shape.of(2), 2, NAN), "source")
                .op("out", "Emit", OpRole.COMPUTATION, "Identity", Map.of(), f32(Shape.of(2), 2, NAN), "twice");
    }

    @Test
    void aNanInAnOpTheLoaderCallsAnInputIsBlamedOnTheInput() throws Exception {
        NanReport.Origin origin = origin(nanIn("Feed", OpRole.INPUT));
        assertEquals("source", origin.op());
        assertEquals("Feed", origin.type());
        assertEquals(NanOrigin.Kind.INPUT, origin.kind());
        assertEquals("input-not-finite", origin.cause().rule());
    }

    @Test
    void aNanInAWeightOrAConstantIsBlamedOnTheWeights() throws Exception {
        for (OpRole stored : new OpRole[] { OpRole.WEIGHT, OpRole.CONSTANT }) {
            NanReport.Origin origin = origin(nanIn("Param", stored));
            assertEquals("source", origin.op(), stored.toString());
            assertEquals(NanOrigin.Kind.WEIGHTS, origin.kind(), stored.toString());
            assertEquals("weights-not-finite", origin.cause().rule(), stored.toString());
            assertTrue(origin.cause().description().startsWith("The weight source already holds NaN"),
                    origin.cause().description());
        }
    }

    @Test
    void anOpNamedLikeATensorFlowInputButComputingIsBlamedOnTheComputation() throws Exception {
        NanReport.Origin origin = origin(nanIn("Placeholder", OpRole.COMPUTATION));
        assertEquals("source", origin.op());
        assertEquals(NanOrigin.Kind.COMPUTATION, origin.kind());
    }

    @Test
    void aRuleFiresOnTheCanonicalTypeAndNamesTheFormatsType() throws Exception {
        SyntheticModel model = new SyntheticModel()
                .op("x", "Feed", OpRole.INPUT, "", Map.of(), f32(Shape.of(3), 1, -2, 0))
                .op("ln", "NaturalLog", OpRole.COMPUTATION, "Log", Map.of(),
                        f32(Shape.of(3), 0, NAN, Float.NEGATIVE_INFINITY), "x");
        NanReport.Origin origin = origin(model);
        assertEquals("ln", origin.op());
        assertEquals("NaturalLog", origin.type());
        assertEquals(NanOrigin.Kind.COMPUTATION, origin.kind());
        assertEquals("log-of-non-positive", origin.cause().rule());
        assertTrue(origin.cause().description().startsWith("NaturalLog of values <= 0: 2 of 3"),
                origin.cause().description());
    }

    @Test
    void anOpWhoseTypeIsATensorFlowNameButNotItsComputationIsNotReadAsThatOp() throws Exception {
        // ONNX's Sum adds its inputs element by element; read as TensorFlow's Sum (a reduction over the axes in
        // its second input) the rules take the second addend for axes and cannot explain the NaN
        assertNull(sumCause("Sum"), "read as a reduction");
        NanReport.Cause asAddN = sumCause("AddN");
        assertEquals("inf-minus-inf", asAddN.rule());
        assertTrue(asAddN.description().startsWith("inf - inf: 1 element(s) of this Sum add +Inf and -Inf"),
                asAddN.description());
        assertNull(sumCause(""), "no rule reads an op core has no name for");
    }

    /**
     * The cause of the NaN in s = Sum(a, b), where a and b overflowed to +Inf and -Inf, in a format whose loader maps
     * Sum to the given canonical type.
     */
    private static NanReport.Cause sumCause(String canonicalType) throws Exception {
        NanReport.Origin origin = origin(new SyntheticModel()
                .op("x", "Feed", OpRole.INPUT, "", Map.of(), f32(Shape.of(2), 1e30f, 1))
                .op("a", "Grow", OpRole.COMPUTATION, "", Map.of(), f32(Shape.of(2), Float.POSITIVE_INFINITY, 1), "x")
                .op("b", "Shrink", OpRole.COMPUTATION, "", Map.of(), f32(Shape.of(2), Float.NEGATIVE_INFINITY, 1),
                        "x")
                .op("s", "Sum", OpRole.COMPUTATION, canonicalType, Map.of(), f32(Shape.of(2), NAN, 2), "a", "b"));
        assertEquals("a", origin.op());
        assertEquals("s", origin.firstNanOp());
        return origin.firstNanCause();
    }
}
