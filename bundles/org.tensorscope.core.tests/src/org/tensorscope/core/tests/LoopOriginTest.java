package org.tensorscope.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tensorscope.core.analysis.NanOriginFinder;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.OpRole;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.trace.LoopHealth;
import org.tensorscope.core.trace.TensorHealth;
import org.tensorscope.core.trace.Trace;

/**
 * The NaN origin inside a loop body, where rows sum every iteration: x = merge(enter, next); y = x * 1e10;
 * next = y. The Inf appears in y at iteration 3 and reaches x, through the back edge, at iteration 4.
 */
class LoopOriginTest {

    private static OpNode op(String name, String type, String... inputs) {
        return op(name, type, OpRole.COMPUTATION, inputs);
    }

    private static OpNode op(String name, String type, OpRole role, String... inputs) {
        return new OpNode(name, type, "", Map.of(), List.of(inputs),
                List.of(new TensorSpec(name + ":0", DType.FLOAT32, Shape.of(2))), role, "");
    }

    private static TensorHealth row(String op, String type, long posInf) {
        return new TensorHealth(op + ":0", type, "", 10, 0, 0, posInf, 1, 1e30, 1, 1, -1, 0);
    }

    private static final ModelGraph GRAPH = new ModelGraph(Path.of("loop.pb"), "test",
            List.of(op("x", "Placeholder", OpRole.INPUT), op("merge", "Merge", "x:0", "next:0"), op("y", "Mul", "merge:0"),
                    op("next", "NextIteration", "y:0")),
            List.of(), List.of());

    private static final List<TensorHealth> ROWS = List.of(row("x", "Placeholder", 0), row("merge", "Merge", 2),
            row("y", "Mul", 4), row("next", "NextIteration", 4));

    @Test
    void anInputThatTurnedNonFiniteOnlyInALaterIterationCountsAsFinite() {
        Trace trace = new Trace(GRAPH, ROWS, List.of(), Map.of("merge:0", new LoopHealth("loop", 5, 4), "y:0",
                new LoopHealth("loop", 5, 3), "next:0", new LoopHealth("loop", 5, 3)), Map.of());
        assertEquals("y", new NanOriginFinder().find(trace).orElseThrow().op().name());
    }

    @Test
    void withoutIterationsTheLoopsRowsBlameEachOther() {
        Trace trace = new Trace(GRAPH, ROWS, List.of(), Map.of(), Map.of());
        assertEquals(true, new NanOriginFinder().find(trace).isEmpty(), "every non-finite row has a non-finite input");
    }

    @Test
    void iterationsOfAnotherLoopAreNotCompared() {
        Trace trace = new Trace(GRAPH, ROWS, List.of(), Map.of("merge:0", new LoopHealth("outer", 5, 4), "y:0",
                new LoopHealth("loop", 5, 3), "next:0", new LoopHealth("loop", 5, 3)), Map.of());
        assertEquals(true, new NanOriginFinder().find(trace).isEmpty());
    }

    @Test
    void aControlFlowOpReturningWhatItsBodyMadeIsNotAnIndependentOrigin() {
        // choose = If(c) returns then_branch/square, whose x * x overflowed; then a second op overflows on its own.
        // The op types are made up: the loader's roles, not the names, say what is fed and what returns a body's values
        ModelGraph graph = new ModelGraph(Path.of("if.model"), "test", List.of(op("x", "Arg", OpRole.INPUT),
                op("c", "Arg", OpRole.INPUT), op("choose/then_branch/square", "Times", "x:0"),
                op("choose", "Choose", OpRole.CONTROL_FLOW, "c:0"), op("scaled", "Times", "x:0")),
                List.of(), List.of());
        Trace trace = new Trace(graph, List.of(row("x", "Arg", 0), row("c", "Arg", 0),
                row("choose/then_branch/square", "Times", 1), row("choose", "Choose", 1), row("scaled", "Times", 1)));
        var origin = new NanOriginFinder().find(trace).orElseThrow();
        assertEquals("choose/then_branch/square", origin.op().name());
        assertEquals(List.of("scaled"), origin.others().stream().map(TensorHealth::opName).toList());
        assertEquals(List.of("choose"), origin.propagation().stream().map(TensorHealth::opName).toList());
    }
}
