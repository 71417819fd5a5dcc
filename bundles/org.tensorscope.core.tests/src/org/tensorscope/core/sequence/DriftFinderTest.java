package org.tensorscope.core.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.tensor.TensorData;

/** Drift with a known answer on recorded steps, and the jitter preview on known signals. */
class DriftFinderTest {

    private static ValueSummary value(String name, double norm) {
        return new ValueSummary(name, name + ":0", "[1]", 1, norm, norm, 0, 0, 0);
    }

    private static TensorData state(double value) {
        return TensorData.ofFloats("h:0", Shape.of(1), (float) value);
    }

    /** A state starting at zero, then 1, growing 2x per step; an op growing 3x per step from step 0. */
    private static List<SequenceStep> steps(int n) {
        List<SequenceStep> steps = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            double state = t == 0 ? 0 : Math.pow(2, t - 1);
            steps.add(new SequenceStep(t, "", Map.of("h:0", state(state)), List.of(value("out", 5)), List.of(value("h", state)),
                    List.of(new OpStat("h:0", "Placeholder", 0, 0, 0, state),
                            new OpStat("steady:0", "Relu", 0, 0, 0, 1),
                            new OpStat("cell/mul:0", "Mul", 0, 0, 0, Math.pow(3, t))),
                    List.of()));
        }
        return steps;
    }

    @Test
    void driftIsMeasuredFromTheFirstNonZeroNormAndNamesTheFirstOpPastTheFactor() {
        List<DriftFinding> found = DriftFinder.find(steps(8), 10);
        assertEquals(1, found.size(), found.toString());
        DriftFinding h = found.get(0);
        assertEquals("h", h.name());
        assertEquals("state", h.kind());
        assertEquals(1, h.baseStep(), "step 0's zero is no starting magnitude");
        assertEquals(5, h.step(), "2^4 = 16 is the first past 10x of 1");
        assertEquals(2.0, h.growthPerStep(), 1e-12);
        assertEquals("cell/mul", h.op(), "the placeholder is fed, not where growth starts");
        assertEquals(3, h.opStep(), "3^3 = 27 > 10");
        assertEquals(0, DriftFinder.find(steps(5), 10).size(), "2^3 = 8 is not yet 10x");
        assertEquals(5, DriftFinder.find(steps(8), 8).get(0).step(), "8 is not past a factor of 8; 16 is");
        assertEquals(4, DriftFinder.find(steps(8), 7).get(0).step());
    }

    private static TensorData frame(double... values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return TensorData.ofFloats("y:0", Shape.of(values.length), f);
    }

    @Test
    void theKalmanPreviewRemovesAlternatingJitterAndFollowsASteadyMotion() {
        JitterTracker jitter = new JitterTracker("y");
        JitterTracker steady = new JitterTracker("y");
        for (int t = 0; t < 60; t++) {
            jitter.add(frame(t % 2 == 0 ? 1 : -1, 10 + (t % 2 == 0 ? 0.5 : -0.5)));
            steady.add(frame(0.1 * t, -0.1 * t));
        }
        JitterStats j = jitter.stats();
        assertEquals(59, j.changes());
        assertEquals(1.5, j.meanChange(), 1e-6, "|2| and |1| on the two elements");
        assertTrue(j.reduction() > 0.7, j.toString());
        JitterStats s = steady.stats();
        assertEquals(0.1, s.meanChange(), 1e-6);
        assertTrue(Math.abs(s.reduction()) < 0.1, "a steady motion is followed, not flattened: " + s);
        assertTrue(s.meanLag() < 0.02, s.toString());
    }
}
