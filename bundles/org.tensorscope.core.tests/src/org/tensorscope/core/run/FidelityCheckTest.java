package org.tensorscope.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.service.RuntimeRewrite;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.TensorHealth;
import org.tensorscope.core.trace.Trace;

class FidelityCheckTest {

    private static final ModelGraph GRAPH = new ModelGraph(Path.of("m.pb"), "test", List.of(), List.of(), List.of());

    private static Trace traced(float... values) {
        TensorHealth relu = new TensorHealth("conv/Relu:0", "Relu", "CPU:0", 4, 2, 0, 0, 0, 1, 0, 0, -1, 0);
        return new Trace(GRAPH, List.of(relu), List.of(), Map.of(),
                Map.of("out:0", TensorData.ofFloats("out:0", Shape.of(values.length), values)));
    }

    @Test
    void aFusedReluThatMapsNanToZeroIsNamedWithBothCounts() {
        Trace trace = traced(Float.NaN, Float.NaN, 1f, 2f);
        Map<String, TensorData> plain = Map.of("out:0", TensorData.ofFloats("out:0", Shape.of(4), 0f, Float.NaN, 1f, 2f));
        List<RuntimeRewrite> rewrites = List.of(new RuntimeRewrite("head/Relu", "_FusedConv2D", List.of("Conv2D", "BiasAdd", "Relu")),
                new RuntimeRewrite("conv/Relu", "_FusedConv2D", List.of("Conv2D", "BiasAdd", "Relu")));
        NanReport.Fidelity fidelity = FidelityCheck.compare(trace, plain, rewrites);
        assertFalse(fidelity.agree());
        assertEquals(2, fidelity.outputs().get(0).tracedNan());
        assertEquals(1, fidelity.outputs().get(0).plainNan());
        assertEquals("_FusedConv2D at conv/Relu fuses Conv2D+BiasAdd+Relu", fidelity.rewrites().get(0),
                "the rewrite that met NaN in the traced run comes first");
        assertEquals("The optimised runtime fuses Conv2D+BiasAdd+Relu at conv/Relu (_FusedConv2D) and 1 other place(s); a fused "
                + "kernel's activation maps NaN to a number (Relu gives 0), so output out:0 holds 1 NaN/Inf (1 NaN) in "
                + "the optimised run instead of 2 (2 NaN) in the traced run. The trace explains the traced (unfused) "
                + "values; the application sees the optimised ones.", fidelity.explanation());
    }

    @Test
    void finiteOutputsThatDifferAreBlamedOnRoundingNotOnNan() {
        Trace trace = traced(1f, 2f, 3f);
        Map<String, TensorData> plain = Map.of("out:0", TensorData.ofFloats("out:0", Shape.of(3), 1f, 2.5f, 3f));
        NanReport.Fidelity fidelity = FidelityCheck.compare(trace, plain,
                List.of(new RuntimeRewrite("head/Relu6", "_FusedConv2D", List.of("Conv2D", "BiasAdd", "Relu6"))));
        assertFalse(fidelity.agree());
        assertEquals("The optimised runtime fuses Conv2D+BiasAdd+Relu6 at head/Relu6 (_FusedConv2D); a fused kernel adds"
                + " and rounds in another order than the ops it replaces, so output out:0 differs by up to 0.5 between the"
                + " optimised and the traced run. The trace explains the traced (unfused) values; the application sees the"
                + " optimised ones.", fidelity.explanation());
    }

    @Test
    void rewritesThatChangeNothingVisibleAreListedButTheRunsAgree() {
        Trace trace = traced(1f, 2f, 3f);
        Map<String, TensorData> plain = Map.of("out:0", TensorData.ofFloats("out:0", Shape.of(3), 1f, 2.0000002f, 3f));
        NanReport.Fidelity fidelity = FidelityCheck.compare(trace, plain,
                List.of(new RuntimeRewrite("head/Relu", "_FusedConv2D", List.of("Conv2D", "BiasAdd", "Relu"))));
        assertTrue(fidelity.agree());
        assertEquals("", fidelity.explanation());
        assertEquals(1, fidelity.rewrites().size());
    }
}
