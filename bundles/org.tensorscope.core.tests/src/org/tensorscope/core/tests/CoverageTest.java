package org.tensorscope.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tensorscope.core.analysis.NanOrigin;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.report.CoverageText;
import org.tensorscope.core.report.NanReport;

/** What a trace may claim about tensors it checked and did not check, and what it watches. */
class CoverageTest {

    private static NanReport report(boolean finite, List<NanReport.Unchecked> unchecked) {
        return new NanReport("m.pb", "test", "serving_default", "cpu", "", "FULL", finite, null, List.of(), List.of(),
                List.of(), 0, List.of(), 12, unchecked, null);
    }

    @Test
    void everyTensorIsFiniteOnlyWhenEveryTensorWasChecked() {
        assertEquals("Every tensor is finite (12 checked).", CoverageText.verdict(report(true, List.of())));
        NanReport partial = report(true, List.of(new NanReport.Unchecked("If_0/then/mul:0", "inside If 'If_0'"),
                new NanReport.Unchecked("If_0/then/add:0", "inside If 'If_0'"),
                new NanReport.Unchecked("loop/x:0", "inside Loop 'loop'")));
        String verdict = CoverageText.verdict(partial);
        assertEquals("12 checked, all finite; 3 not checked: If_0/then/mul:0, If_0/then/add:0 (inside If 'If_0'); "
                + "loop/x:0 (inside Loop 'loop')", verdict);
        assertFalse(verdict.contains("Every tensor is finite"));
        assertFalse(partial.allClear());
        assertTrue(report(true, List.of()).allClear());
    }

    @Test
    void longListsOfUncheckedTensorsAreCountedNotDropped() {
        List<NanReport.Unchecked> many = java.util.stream.IntStream.range(0, 8)
                .mapToObj(i -> new NanReport.Unchecked("body/op" + i + ":0", "in a loop body")).toList();
        assertEquals("8 not checked: body/op0:0, body/op1:0, body/op2:0, body/op3:0, body/op4:0 and 3 more (in a loop body)",
                CoverageText.uncheckedText(many));
    }

    @Test
    void loopOriginsNameTheIteration() {
        NanReport.Origin origin = new NanReport.Origin("while/mul", "Mul", NanOrigin.Kind.COMPUTATION, "while/mul", null, null, null,
                List.of(), null, "while/while_context", 3);
        assertEquals(" at iteration 3 of loop while/while_context", CoverageText.loopText(origin));
    }

    private static OpNode op(String name, String... inputs) {
        return new OpNode(name, "Op", "", Map.of(), List.of(inputs),
                List.of(new TensorSpec(name + ":0", DType.FLOAT32, Shape.of(1))));
    }

    @Test
    void aSignatureNeedsOnlyWhatItsOutputsReadFrom() {
        // two signatures share "x": y = f(x), z = g(w) with w a placeholder only z needs
        ModelGraph graph = new ModelGraph(Path.of("m.pb"), "test", List.of(op("x"), op("w"), op("f", "x:0"),
                op("g", "w:0", "x:0"), op("y", "f:0"), op("z", "g:0")), List.of(), List.of());
        assertEquals(List.of("x", "f", "y"),
                graph.opsNeededFor(List.of("y:0"), List.of("x:0")).stream().map(OpNode::name).toList());
        assertEquals(List.of("f", "y"), graph.opsNeededFor(List.of("y"), List.of("f:0")).stream().map(OpNode::name).toList(),
                "a fed intermediate is listed (its value is watched) but what it reads is not");
    }
}
