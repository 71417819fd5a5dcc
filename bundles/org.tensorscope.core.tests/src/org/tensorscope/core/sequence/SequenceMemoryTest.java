package org.tensorscope.core.sequence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.OpRole;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.SignatureTensor;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.run.NanTracer;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.core.trace.TensorHealth;
import org.tensorscope.core.trace.Trace;

/**
 * A recurrent model computed in Java, h_out = 0.5 * h + x, with an int32 output counting the steps, run over a long
 * generated sequence: what the steps keep to be run again stays within the budget, a step run again is fed what it
 * was fed, and the class-index output is left out of drift and jitter with the reason.
 */
class SequenceMemoryTest {

    private static final int N = 4096; // 16 KiB of float32 per fed-back state

    private static final TensorSpec X = new TensorSpec("x:0", DType.FLOAT32, Shape.of(1, N));
    private static final TensorSpec H = new TensorSpec("h:0", DType.FLOAT32, Shape.of(1, N));
    private static final TensorSpec H_OUT = new TensorSpec("h_out:0", DType.FLOAT32, Shape.of(1, N));
    private static final TensorSpec COUNT = new TensorSpec("count:0", DType.INT32, Shape.of(1));
    private static final Signature SIGNATURE = new Signature("serving_default",
            List.of(new SignatureTensor("x", X), new SignatureTensor("h", H)),
            List.of(new SignatureTensor("h_out", H_OUT), new SignatureTensor("count", COUNT)));
    private static final ModelGraph GRAPH = new ModelGraph(Path.of("recurrent.pb"), "test", List.of(
            new OpNode("x", "Placeholder", "", Map.of(), List.of(), List.of(X), OpRole.INPUT),
            new OpNode("h", "Placeholder", "", Map.of(), List.of(), List.of(H), OpRole.INPUT),
            new OpNode("h_out", "AddV2", "", Map.of(), List.of("x:0", "h:0"), List.of(H_OUT)),
            new OpNode("count", "Cast", "", Map.of(), List.of("h:0"), List.of(COUNT))),
            List.of(SIGNATURE), List.of());

    /** Answers runs of the model; counts the steps so that "count" grows 1, 2, 3... */
    private static final class Recurrent implements InferenceSession {
        int runs;

        Map<String, TensorData> compute(Map<String, TensorData> feeds) {
            TensorData x = feeds.get("x:0");
            TensorData h = feeds.get("h:0");
            float[] out = new float[N];
            for (int i = 0; i < N; i++) {
                out[i] = (float) (0.5 * h.getDouble(i) + x.getDouble(i));
            }
            ByteBuffer count = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, ++runs * 100);
            Map<String, TensorData> values = new LinkedHashMap<>();
            values.put("h_out:0", TensorData.ofFloats("h_out:0", Shape.of(1, N), out));
            values.put("count:0", new TensorData("count:0", DType.INT32, Shape.of(1), count));
            return values;
        }

        @Override
        public String deviceNote() {
            return "";
        }

        @Override
        public Map<String, TensorData> fetch(Map<String, TensorData> feeds, List<String> tensors,
                Map<String, TensorData> overrides, IProgressMonitor monitor) {
            Map<String, TensorData> all = compute(feeds);
            runs--; // a plain run for the fidelity check is no step
            Map<String, TensorData> asked = new LinkedHashMap<>();
            tensors.forEach(t -> asked.put(t, all.get(t)));
            return asked;
        }

        @Override
        public Trace healthPass(Map<String, TensorData> feeds, List<String> outputs, HealthMode mode,
                Map<String, TensorData> overrides, IProgressMonitor monitor) {
            Map<String, TensorData> values = compute(feeds);
            TensorData h = values.get("h_out:0");
            double max = 0;
            for (long i = 0; i < h.size(); i++) {
                max = Math.max(max, Math.abs(h.getDouble(i)));
            }
            List<TensorHealth> rows = List.of(new TensorHealth("h_out:0", "AddV2", "", N, 0, 0, 0, -max, max, 0, 0, 0, 0));
            return new Trace(GRAPH, rows, List.of(), Map.of(), values);
        }

        @Override
        public void close() {
        }
    }

    private static SequencePlan plan(String frames, int steps) throws Exception {
        return SequenceSetup.plan(SIGNATURE, "x=" + frames, List.of("h_out=h"), List.of(), Map.of(), steps,
                HealthMode.FULL, SequencePlan.DEFAULT_DRIFT_FACTOR, "cpu");
    }

    private static SequenceResult run(SequencePlan plan, long budget) throws Exception {
        return new SequenceRunner(new NanTracer(List.of()), budget).run(GRAPH, SIGNATURE, new Recurrent(), plan,
                new NullProgressMonitor());
    }

    private static float[] floats(TensorData t) {
        float[] v = new float[Math.toIntExact(t.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) t.getDouble(i);
        }
        return v;
    }

    @Test
    void aLongSequenceKeepsItsFramesAsRecipesAndItsFedBackValuesWithinTheBudget() throws Exception {
        long state = 4L * N;
        long budget = 20 * state;
        SequenceResult r = run(plan("uniform:0:1:7+noise:0.1:3", 200), budget);

        assertEquals(200, r.steps().size());
        assertTrue(r.keptInputBytes() <= budget, "kept " + r.keptInputBytes() + " of a budget of " + budget);
        assertEquals(20 * state, r.keptInputBytes(), "the budget fills with the last 20 steps' states");
        for (SequenceStep step : r.steps()) {
            assertEquals(step.index() == 0 ? 0 : step.index() >= 180 ? state : 0, step.inputs().storedBytes(),
                    "step " + step.index() + " stores only its fed-back h, and only while it fits");
            assertEquals(step.index() == 0 || step.index() >= 180, step.inputs().canRerun(), "step " + step.index());
        }
        assertEquals(List.of("h:0"), r.steps().get(150).inputs().fedBack());
        IllegalStateException gone = assertThrows(IllegalStateException.class,
                () -> r.steps().get(150).inputs().values());
        assertEquals("step 150 can no longer be run again: fed-back values (h:0) were let go to keep the run's kept "
                + "inputs within " + org.tensorscope.core.report.Numbers.bytes(budget) + " (later steps are kept)",
                gone.getMessage());
        assertTrue(r.rerunText().startsWith("179 steps (1 to 179) can no longer be run again"), r.rerunText());
    }

    @Test
    void aStepRunAgainIsFedWhatItWasFed() throws Exception {
        SequencePlan plan = plan("uniform:0:1:7+noise:0.1:3", 12);
        SequenceResult r = run(plan, SequenceRunner.DEFAULT_KEPT_BYTES);
        Recurrent replay = new Recurrent();
        // run the model again from step 0's kept inputs, then each step's: the same frame and the same state
        Map<String, TensorData> previous = null;
        for (SequenceStep step : r.steps()) {
            Map<String, TensorData> again = SequenceRunner.inputsOf(SIGNATURE, plan, step).feeds();
            assertEquals(java.util.Set.of("x:0", "h:0"), again.keySet());
            if (previous != null) {
                assertArrayEquals(floats(previous.get("h_out:0")), floats(again.get("h:0")),
                        "step " + step.index() + " is fed step " + (step.index() - 1) + "'s h_out");
            }
            assertEquals(step.state("h").orElseThrow().norm(), SequenceRunner.summary("h", again.get("h:0")).norm(), 1e-9);
            previous = replay.compute(again);
            assertEquals(step.output("h_out").orElseThrow().norm(), SequenceRunner.summary("h_out",
                    previous.get("h_out:0")).norm(), 1e-9, "step " + step.index() + " computes what it computed");
        }
        // the frame is rebuilt from its recipe: noise drawn for that step, not another
        TensorData frame3 = r.steps().get(3).inputs().values().get("x:0");
        TensorData frame4 = r.steps().get(4).inputs().values().get("x:0");
        assertFalse(java.util.Arrays.equals(floats(frame3), floats(frame4)), "each step has its own noise");
        assertArrayEquals(floats(frame3), floats(r.steps().get(3).inputs().values().get("x:0")));
    }

    @Test
    void anIntegerOutputIsLeftOutOfDriftAndJitterWithTheReason() throws Exception {
        SequenceResult r = run(plan("uniform:0:1:7", 12), SequenceRunner.DEFAULT_KEPT_BYTES);

        assertEquals(1200, r.steps().get(11).output("count").orElseThrow().norm(), 1e-9,
                "count grows 100, 200, ... 1200: 12x its first norm");
        assertTrue(r.findings().drift().stream().noneMatch(d -> d.name().equals("count")), "" + r.findings().drift());
        assertEquals(List.of("h_out"), r.findings().jitter().stream().map(JitterStats::output).toList());
        SequenceFindings.NotWatched left = r.findings().notWatched().get(0);
        assertEquals(List.of("count"), r.findings().notWatched().stream().map(SequenceFindings.NotWatched::name).toList());
        assertEquals("output", left.kind());
        assertTrue(left.reason().startsWith("int32 values (class indices, counts or flags)"), left.reason());
        assertTrue(r.fidelity().agree(), "the plain run computes the same");
        assertEquals(11, r.fidelityStep());
        assertEquals("", r.fidelityText());
    }

    @Test
    void withoutTheExclusionTheSameCountWouldDrift() {
        List<SequenceStep> steps = new ArrayList<>();
        for (int t = 0; t < 12; t++) {
            steps.add(new SequenceStep(t, "", Map.of(), List.of(new ValueSummary("count", "count:0", "[1]", 1,
                    100.0 * (t + 1), 100.0 * (t + 1), 0, 0, 0)), List.of(), List.of(), List.of()));
        }
        assertEquals(List.of("count"), DriftFinder.find(steps, 10).stream().map(DriftFinding::name).toList());
        assertEquals(List.of(), DriftFinder.find(steps, 10, java.util.Set.of("count")));
    }
}
