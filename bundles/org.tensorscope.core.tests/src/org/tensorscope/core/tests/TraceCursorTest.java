package org.tensorscope.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.trace.Breakpoint;
import org.tensorscope.core.trace.TensorHealth;
import org.tensorscope.core.trace.Trace;
import org.tensorscope.core.trace.TraceCursor;

class TraceCursorTest {

    private static TensorHealth row(String op, double max, long nan, long zeros) {
        return new TensorHealth(op + ":0", "Op", "CPU:0", 10, nan, 0, 0, -max, max, 0, max / 2, 5, zeros);
    }

    private static final Trace TRACE = new Trace(new ModelGraph(Path.of("m.pb"), "test", List.of(), List.of(), List.of()),
            List.of(row("input", 1, 0, 0), row("conv", 50, 0, 1), row("relu", 50, 0, 7), row("big", 1e30, 0, 0),
                    row("div", 3, 2, 0), row("out", 3, 4, 0)));

    private static String op(TraceCursor cursor) {
        return cursor.current().map(TensorHealth::opName).orElse("<none>");
    }

    @Test
    void stepsForwardAndBackAndStaysAtTheEnds() {
        TraceCursor cursor = new TraceCursor(TRACE);
        assertEquals("<none>", op(cursor));
        cursor.next();
        assertEquals("input", op(cursor));
        cursor.previous();
        assertEquals("input", op(cursor));
        cursor.next();
        cursor.next();
        assertEquals("relu", op(cursor));
        cursor.previous();
        assertEquals("conv", op(cursor));
        cursor.seek("out");
        cursor.next();
        assertEquals("out", op(cursor));
    }

    @Test
    void runsToTheFirstAnomalyThenToTheNext() {
        TraceCursor cursor = new TraceCursor(TRACE);
        assertEquals("div", cursor.runToNextAnomaly().orElseThrow().opName());
        assertEquals("out", cursor.runToNextAnomaly().orElseThrow().opName());
        assertTrue(cursor.runToNextAnomaly().isEmpty());
        assertEquals("out", op(cursor), "no further anomaly: the cursor stays");
    }

    @Test
    void conditionalBreakpointsStopWhereTheirConditionHolds() {
        TraceCursor cursor = new TraceCursor(TRACE);
        List<Breakpoint> bigValues = List.of(new Breakpoint.MaxAbsAbove(1e6, true));
        assertEquals("big", cursor.runToBreakpoint(bigValues).orElseThrow().opName());

        cursor = new TraceCursor(TRACE);
        List<Breakpoint> deadRelu = List.of(new Breakpoint.ZeroFractionAbove(0.5, true));
        assertEquals("relu", cursor.runToBreakpoint(deadRelu).orElseThrow().opName());

        cursor = new TraceCursor(TRACE);
        List<Breakpoint> disabled = List.of(new Breakpoint.OnOp("conv", false), new Breakpoint.OnOp("relu", true));
        assertEquals("relu", cursor.runToBreakpoint(disabled).orElseThrow().opName());
        assertEquals("div", cursor.runToBreakpoint(disabled).orElseThrow().opName(), "anomalies always stop");
    }

    @Test
    void runToOpStopsThere() {
        TraceCursor cursor = new TraceCursor(TRACE);
        assertEquals("big", cursor.runTo("big").orElseThrow().opName());
        assertTrue(cursor.runTo("conv").isEmpty(), "conv is behind the cursor");
        assertEquals("big", op(cursor));
    }

    @Test
    void breakpointsReadBackWhatTheyWrite() {
        List<Breakpoint> all = List.of(new Breakpoint.OnOp("block1/conv", false), new Breakpoint.NonFinite(true),
                new Breakpoint.MaxAbsAbove(1000.0, true), new Breakpoint.ZeroFractionAbove(0.9, false));
        assertEquals(List.of("op block1/conv off", "nonfinite on", "maxabs 1000.0 on", "zeros 0.9 off"),
                all.stream().map(Breakpoint::toText).toList());
        assertEquals(all, all.stream().map(b -> Breakpoint.parse(b.toText())).toList());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> Breakpoint.parse("maxabs big on"));
        assertEquals("Breakpoint 'maxabs big on' needs a number, not 'big'", bad.getMessage());
    }
}
