package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorscope.core.analysis.NanOrigin;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.run.NanTracer;
import org.tensorscope.core.run.TraceOutcome;
import org.tensorscope.core.sequence.DriftFinding;
import org.tensorscope.core.sequence.JitterStats;
import org.tensorscope.core.sequence.NanFinding;
import org.tensorscope.core.sequence.SequencePlan;
import org.tensorscope.core.sequence.SequenceResult;
import org.tensorscope.core.sequence.SequenceRunner;
import org.tensorscope.core.sequence.SequenceSetup;
import org.tensorscope.core.sequence.SequenceStep;
import org.tensorscope.core.sequence.ValueSummary;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.tensorflow.internal.TensorFlowBackend;
import org.tensorscope.tensorflow.internal.load.FrozenGraphLoader;
import org.tensorscope.tensorflow.internal.load.TfjsGraphModelLoader;

/**
 * Sequence runs with a known answer: generated recurrent models whose state grows by a known factor per step, one
 * that overflows at a known step, a jittering output; and the real video-matting model carrying its recurrent state
 * from step to step, and a hand-pose model fed frames ten times brighter each step.
 */
class SequenceTest {

    @TempDir
    static Path folder;

    private static Operand<TFloat32> state(Ops tf, long... dims) {
        return tf.withName("state").placeholder(TFloat32.class, Placeholder.shape(Shape.of(dims)));
    }

    /** state_out = state * factor: fed back, the state is factor^t times its start at step t */
    private static Consumer<Ops> recurrent(float factor) {
        return tf -> tf.withName("state_out").identity(tf.withName("grow").math.mul(state(tf, 1, 4), tf.constant(factor)));
    }

    private static SequenceResult run(LoadedModel model, InferenceSession session, String frames, List<String> feedback,
            List<String> inputs, int steps) throws Exception {
        Signature signature = model.graph().defaultSignature().orElseThrow();
        SequencePlan plan = SequenceSetup.plan(signature, frames, feedback, inputs, Map.of(), steps, HealthMode.FULL,
                SequencePlan.DEFAULT_DRIFT_FACTOR, "cpu");
        return new SequenceRunner(new NanTracer(Tracing.rules())).run(model.graph(), signature, session, plan,
                new NullProgressMonitor());
    }

    private static SequenceResult runGenerated(String name, Consumer<Ops> body, String frames, List<String> feedback,
            List<String> inputs, int steps) throws Exception {
        Path file = PlantedModels.write(folder, name, body);
        try (LoadedModel model = new FrozenGraphLoader().load(file, new NullProgressMonitor());
                InferenceSession session = new TensorFlowBackend().open(model, Device.CPU)) {
            return run(model, session, frames, feedback, inputs, steps);
        }
    }

    @Test
    void aStateGrowingTenPercentPerStepDriftsAtTheStepItPassesTenTimesItsStart() throws Exception {
        SequenceResult r = runGenerated("grow", recurrent(1.1f), null, List.of("state_out=state"),
                List.of("state=const:1"), 30);

        assertEquals(30, r.steps().size());
        assertTrue(r.complete());
        assertNull(r.findings().nan());
        // 1.1^24 = 9.85, 1.1^25 = 10.83: step 25 is the first past 10x, for the fed state and the output alike
        double[] state = r.stateNorms("state");
        assertEquals(2.0, state[0], 1e-6, "four ones");
        assertEquals(2.0 * Math.pow(1.1, 25), state[25], 1e-3);
        DriftFinding output = r.findings().drift().stream().filter(d -> d.kind().equals("output")).findFirst().orElseThrow();
        assertEquals("state_out", output.name());
        assertEquals(25, output.step(), "the output of step t is 1.1^(t+1), 1.1 at step 0: 10.83x at step 25");
        DriftFinding fed = r.findings().drift().stream().filter(d -> d.kind().equals("state")).findFirst().orElseThrow();
        assertEquals("state", fed.name());
        assertEquals(25, fed.step());
        assertEquals(1.1, fed.growthPerStep(), 1e-4);
        assertEquals(1.1, output.growthPerStep(), 1e-4);
        assertEquals("grow", output.op(), "the multiplication is where the growth shows first");
        assertEquals("Mul", output.opType());
        assertEquals(25, output.opStep());
        assertEquals(r.findings().drift().get(0), output, "findings in the order they drifted");
        assertTrue(r.findings().any());
        // the per-op max|x| is kept for every step
        assertEquals(Math.pow(1.1, 11), r.opMaxAbs("grow")[10], 1e-4);
    }

    @Test
    void aStateThatOverflowsNamesTheStepAndTheOpOfThatStepsNanTrace() throws Exception {
        // state 1e5^t: the product 1e5^(t+1) passes float32's 3.4e38 at t = 7
        SequenceResult r = runGenerated("overflow", recurrent(1e5f), null, List.of("state_out=state"),
                List.of("state=const:1"), 20);

        NanFinding nan = r.findings().nan();
        assertNotNull(nan);
        assertEquals(7, nan.step());
        assertEquals("grow", nan.op());
        assertEquals("Mul", nan.opType());
        assertEquals(NanOrigin.Kind.COMPUTATION, nan.kind());
        assertEquals("grow", nan.report().origin().op(), "the NaN trace of step 7 names the same origin");
        assertFalse(nan.report().finite());
        assertEquals(8, r.steps().size(), "the run stops at the step where Inf appears");
        assertFalse(r.complete());
        assertTrue(r.stopped().contains("step 7"), r.stopped());
        assertEquals(0, r.steps().get(6).ops().stream().mapToLong(o -> o.nonFinite()).sum());
        assertTrue(r.steps().get(7).hasNonFinite());
        assertEquals(1e35, r.steps().get(7).state("state").orElseThrow().maxAbs(), 1e30, "the state fed to step 7");
        assertEquals(4, r.steps().get(7).output("state_out").orElseThrow().posInf());
    }

    /** a batch of two states grown 1.1x per step, and each one's class (ArgMax, int32) */
    private static void batchWithClasses(Ops tf) {
        Operand<TFloat32> grown = tf.withName("grow").math.mul(state(tf, 2, 3), tf.constant(1.1f));
        tf.withName("state_out").identity(grown);
        tf.withName("cls").math.argMax(grown, tf.constant(1), TInt32.class);
    }

    @Test
    void aBatchOfTwoStatesWithAnInt32OutputBesideItRunsWithTheClassesSteady() throws Exception {
        SequenceResult r = runGenerated("batch", SequenceTest::batchWithClasses, null, List.of("state_out=state"),
                List.of("state=const:1"), 30);

        assertTrue(r.complete(), r.stopped());
        assertEquals(30, r.steps().size());
        ValueSummary classes = r.steps().get(29).output("cls").orElseThrow();
        assertEquals("[2]", classes.shape());
        assertEquals(0, classes.norm(), "equal values: ArgMax takes the first of each row");
        assertEquals(Math.sqrt(6) * Math.pow(1.1, 30), r.steps().get(29).output("state_out").orElseThrow().norm(),
                1e-2);
        assertEquals(List.of("state_out", "state"), r.findings().drift().stream().map(DriftFinding::name).toList());
        assertEquals(25, r.findings().drift().get(0).step());
        assertTrue(r.findings().jitter().stream().noneMatch(j -> j.output().equals("cls")),
                "class indices have no jitter to measure: " + r.findings().jitter());
        assertEquals(List.of("cls"), r.findings().notWatched().stream().map(n -> n.name()).toList());
        assertTrue(r.findings().notWatched().get(0).reason().startsWith("int32 values (class indices, counts or flags)"),
                r.findings().notWatched().get(0).reason());
        assertEquals(29, r.findings().jitter().stream().filter(j -> j.output().equals("state_out")).findFirst()
                .orElseThrow().changes());
    }

    /** out = x * 2 */
    private static void doubling(Ops tf) {
        tf.withName("out").math.mul(tf.withName("x").placeholder(TFloat32.class), tf.constant(2f));
    }

    @Test
    void aJitteringOutputHasItsFrameToFrameChangeMeasuredAndTheFilterReducesIt() throws Exception {
        // noise of std 0.1 doubled: |n[t] - n[t-1]| has mean 0.2 * 2/sqrt(pi) = 0.2257
        SequenceResult r = runGenerated("jitter", SequenceTest::doubling, "const:0.5+noise:0.1:7@1x2000", List.of(),
                List.of(), 40);
        JitterStats j = r.findings().jitter().get(0);
        assertEquals("out", j.output());
        assertEquals(39, j.changes());
        assertEquals(0.2 * 2 / Math.sqrt(Math.PI), j.meanChange(), 0.01);
        assertTrue(j.reduction() > 0.6, "the filter removes most of the jitter: " + j);
        assertTrue(j.filteredMeanChange() < 0.4 * j.meanChange(), j.toString());
        assertFalse(r.findings().any(), "jitter is information, not a finding: " + r.findings());

        // a steady ramp has changes the constant-velocity filter keeps: it follows, it does not flatten
        SequenceResult ramp = runGenerated("steady", SequenceTest::doubling, "const:1*1.01^t@1x100", List.of(),
                List.of(), 40);
        JitterStats steady = ramp.findings().jitter().get(0);
        assertTrue(steady.reduction() < 0.1, "a steady change is not jitter: " + steady);
        assertTrue(steady.meanChange() > 0.02, steady.toString());
    }

    @Test
    void aCancelledRunKeepsTheStepsItRan() throws Exception {
        Path file = PlantedModels.write(folder, "cancelled", recurrent(1.1f));
        try (LoadedModel model = new FrozenGraphLoader().load(file, new NullProgressMonitor());
                InferenceSession session = new TensorFlowBackend().open(model, Device.CPU)) {
            Signature signature = model.graph().defaultSignature().orElseThrow();
            SequencePlan plan = SequenceSetup.plan(signature, null, List.of("state_out=state"), List.of("state=const:1"),
                    Map.of(), 30, HealthMode.FULL, SequencePlan.DEFAULT_DRIFT_FACTOR, "cpu");
            // the user presses Cancel while step 4 (index 3) is about to run
            NullProgressMonitor monitor = new NullProgressMonitor() {
                @Override
                public void subTask(String name) {
                    if (name.startsWith("step 4 ")) {
                        setCanceled(true);
                    }
                }
            };
            SequenceResult r = new SequenceRunner(new NanTracer(Tracing.rules())).run(model.graph(), signature, session,
                    plan, monitor);
            assertTrue(r.cancelled(), r.stopped());
            assertEquals("cancelled after 3 of 30 steps", r.stopped());
            assertEquals(3, r.steps().size());
            assertEquals(2 * 1.1 * 1.1, r.stateNorms("state")[2], 1e-5);
        }
    }

    @Test
    void aFeedbackExpressionClipsTheFedBackValue() throws Exception {
        SequenceResult r = runGenerated("clipped", recurrent(3f), null, List.of("state=clip(state_out, 0, 5)"),
                List.of("state=const:1"), 5);
        // 1, 3, 5 (9 clipped), 5 (15 clipped), 5
        double[] fed = r.stateNorms("state");
        assertEquals(2.0, fed[0], 1e-6);
        assertEquals(6.0, fed[1], 1e-6);
        assertEquals(10.0, fed[2], 1e-6);
        assertEquals(10.0, fed[4], 1e-6);
        assertTrue(r.findings().drift().isEmpty(), r.findings().drift().toString());
    }

    @Test
    void aFedBackValueOfTheWrongShapeIsRefusedNamingTheRule() throws Exception {
        Consumer<Ops> widening = tf -> {
            Operand<TFloat32> state = state(tf, 1, 4);
            tf.withName("state_out").concat(List.of(state, state), tf.constant(1));
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> runGenerated("widening", widening, null, List.of("state_out=state"), List.of("state=zeros"), 3));
        assertTrue(e.getMessage().contains("step 1") && e.getMessage().contains("--feedback 'state_out=state'")
                && e.getMessage().contains("[1,8]"), e.getMessage());
    }

    @Test
    void rvmCarriesItsRecurrentStateFromStepToStep() throws Exception {
        try (LoadedModel rvm = new TfjsGraphModelLoader().load(TestModels.get("tfjs/rvm/rvm.json"), new NullProgressMonitor());
                InferenceSession session = new TensorFlowBackend().open(rvm, Device.CPU)) {
            List<String> feedback = List.of("r1o=r1i", "r2o=r2i", "r3o=r3i", "r4o=r4i");
            SequenceResult r = run(rvm, session, "uniform:0:1:3@1x64x64x3+noise:0.05:1", feedback,
                    List.of("downsample_ratio=const:0.5@scalar"), 5);

            assertEquals(5, r.steps().size());
            assertTrue(r.complete(), r.stopped());
            assertNull(r.findings().nan());
            assertEquals("src", r.framesInput());
            assertEquals(List.of("r1i", "r2i", "r3i", "r4i"), r.stateNames());
            for (int k = 1; k <= 4; k++) {
                double[] fed = r.stateNorms("r" + k + "i");
                double[] out = r.outputNorms("r" + k + "o");
                assertEquals(0.0, fed[0], "the states start at zero");
                for (int t = 1; t < 5; t++) {
                    assertTrue(fed[t] > 0 && Double.isFinite(fed[t]), "r" + k + "i at step " + t + ": " + fed[t]);
                    assertEquals(out[t - 1], fed[t], 1e-6 * out[t - 1], "r" + k + "o of step " + (t - 1) + " is r" + k
                            + "i of step " + t);
                }
            }
            SequenceStep second = r.steps().get(1);
            ValueSummary r1 = second.state("r1i").orElseThrow();
            assertEquals(r.steps().get(0).output("r1o").orElseThrow().shape(), r1.shape());
            assertTrue(second.ops().size() > 100, "every step keeps its per-op health: " + second.ops().size());
            assertEquals(6, second.inputs().names().size(), "src, r1i..r4i, downsample_ratio: " + second.inputs().names());
            assertEquals(4, second.inputs().fedBack().size(), "only r1i..r4i are stored: " + second.inputs().fedBack());
            var r1i = second.inputs().values().get(rvm.graph().defaultSignature().orElseThrow().input("r1i").orElseThrow()
                    .tensor().name());
            double sumSq = 0;
            for (long i = 0; i < r1i.size(); i++) {
                sumSq += r1i.getDouble(i) * r1i.getDouble(i);
            }
            assertEquals(r.steps().get(0).output("r1o").orElseThrow().norm(), Math.sqrt(sumSq), 1e-6 * Math.sqrt(sumSq),
                    "running step 1 again feeds it step 0's r1o");
        }
    }

    @Test
    void handPoseFedFramesTenTimesBrighterEachStepNamesTheFirstInfStepAndOp() throws Exception {
        try (LoadedModel model = new TfjsGraphModelLoader().load(TestModels.get("tfjs/handskeleton/handskeleton.json"),
                new NullProgressMonitor()); InferenceSession session = new TensorFlowBackend().open(model, Device.CPU)) {
            SequenceResult r = run(model, session, "ramp*10^t", List.of(), List.of(), 45);
            NanFinding nan = r.findings().nan();
            assertNotNull(nan, "float32 overflows long before 1e45");
            int k = nan.step();
            assertEquals(k + 1, r.steps().size());
            // the same frame traced on its own agrees: finite one step before, the same origin at step k
            TraceOutcome before = Tracing.trace(model, session, List.of("ramp*1e" + (k - 1)), HealthMode.FULL);
            TraceOutcome at = Tracing.trace(model, session, List.of("ramp*1e" + k), HealthMode.FULL);
            assertTrue(before.report().finite(), "step " + (k - 1) + " is finite on its own");
            assertEquals(at.report().origin().op(), nan.op());
            assertEquals(at.report().origin().op(), nan.report().origin().op());
            assertEquals(K_EXPECTED, k, "origin " + nan.op());
            assertEquals(OP_EXPECTED, nan.op());
        }
    }

    /** Found by running it, and checked above against the frames traced on their own. */
    private static final int K_EXPECTED = 36;
    private static final String OP_EXPECTED = "StatefulPartitionedCall/model/depthwise_conv2d_1/depthwise";
}
