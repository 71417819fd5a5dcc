package org.tensorscope.core.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** What a sequence result says about the tensors its steps could not check. */
class SequenceResultTest {

    private static SequenceStep step(int t, List<SequenceStep.Unchecked> unchecked) {
        return new SequenceStep(t, "", Map.of(), List.of(), List.of(),
                List.of(new OpStat("y:0", "Relu", 0, 0, 0, 1)), unchecked);
    }

    private static SequenceResult result(List<SequenceStep> steps) {
        return new SequenceResult("m", "tfjs", "serving_default", "cpu", "", "FULL", "ramp", "x", List.of(), 2, 10,
                steps, "", new SequenceFindings(null, List.of(), List.of()));
    }

    @Test
    void tensorsAStepCouldNotCheckAreNamedOnceWithTheirReason() {
        String body = "inside the body of Loop 'while'";
        SequenceResult result = result(List.of(
                step(0, List.of(new SequenceStep.Unchecked("while/body/add:0", body))),
                step(1, List.of(new SequenceStep.Unchecked("while/body/add:0", body),
                        new SequenceStep.Unchecked("decode:0", "a string tensor")))));
        assertEquals(2, result.unchecked().size());
        assertEquals("2 not checked: while/body/add:0 (inside the body of Loop 'while'); decode:0 (a string tensor)",
                result.uncheckedText());
        assertEquals("", result(List.of(step(0, List.of()), step(1, List.of()))).uncheckedText());
    }

    @Test
    void anOpWhoseNanWereNotCountedIsNotFinite() {
        OpStat flagged = new OpStat("add:0", "AddV2", org.tensorscope.core.trace.TensorHealth.NOT_COUNTED, 0, 0, Double.NaN);
        assertEquals(org.tensorscope.core.trace.TensorHealth.NOT_COUNTED, flagged.nonFinite(),
                "a sum with a count it does not know is not a count");
        assertEquals(5, new OpStat("mul:0", "Mul", 2, 1, 2, 1).nonFinite());
    }
}
