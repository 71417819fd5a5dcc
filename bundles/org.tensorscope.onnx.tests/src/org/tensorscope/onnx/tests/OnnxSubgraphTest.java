package org.tensorscope.onnx.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.tensorscope.core.analysis.NanOrigin;
import org.tensorscope.core.input.Npy;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.report.CoverageText;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.run.NanTracer;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.run.TraceOutcome;
import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.NanCauseRule;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.core.trace.LoopHealth;
import org.tensorscope.core.trace.TensorHealth;
import org.tensorscope.core.trace.Trace;
import org.tensorscope.onnx.internal.OnnxBackend;
import org.tensorscope.onnx.internal.OnnxModel;
import org.tensorscope.onnx.internal.load.OnnxModelLoader;

/**
 * Tensors inside If branches and Loop bodies are checked: a trace names the op inside a subgraph
 * where NaN or infinity starts, and never says every tensor is finite when a body went unchecked.
 */
class OnnxSubgraphTest {

    @TempDir
    static Path folder;

    private static ServiceTracker<NanCauseRule, NanCauseRule> rules;

    @BeforeAll
    static void trackCauseRules() throws InterruptedException {
        rules = new ServiceTracker<>(FrameworkUtil.getBundle(NanCauseRule.class).getBundleContext(), NanCauseRule.class,
                null);
        rules.open();
        rules.waitForService(20_000);
    }

    @AfterAll
    static void close() {
        rules.close();
    }

    private static String input(String name, float... values) throws Exception {
        Path file = folder.resolve(name + "-" + System.nanoTime() + ".npy");
        Npy.write(TensorData.ofFloats(name, Shape.of(values.length), values), file);
        return name + "=" + file;
    }

    private static TraceOutcome trace(Path model, String... inputs) throws Exception {
        List<NanCauseRule> all = new ArrayList<>(org.tensorscope.core.service.Contributions.ranked(rules));
        try (OnnxModel loaded = new OnnxModelLoader().load(model, new NullProgressMonitor());
                InferenceSession session = new OnnxBackend().open(loaded, Device.CPU)) {
            var signature = loaded.graph().defaultSignature().orElseThrow();
            PreparedInputs prepared = PreparedInputs.prepare(signature, List.of(inputs));
            TraceOutcome full = new NanTracer(all).trace(loaded.graph(), signature, session, prepared, Map.of(),
                    HealthMode.FULL, "cpu", new NullProgressMonitor());
            // a CURT pass sums the values instead of reading them: the same tensors checked, the same origin
            TraceOutcome curt = new NanTracer(all).trace(loaded.graph(), signature, session, prepared, Map.of(),
                    HealthMode.CURT, "cpu", new NullProgressMonitor());
            assertEquals(full.trace().rows().stream().map(TensorHealth::tensor).toList(),
                    curt.trace().rows().stream().map(TensorHealth::tensor).toList());
            assertEquals(full.trace().unchecked(), curt.trace().unchecked());
            assertEquals(full.report().finite(), curt.report().finite());
            if (!full.report().finite()) {
                assertEquals(full.report().origin().op(), curt.report().origin().op());
                assertEquals(ruleOf(full.report()), ruleOf(curt.report()));
            }
            return full;
        }
    }

    private static String ruleOf(org.tensorscope.core.report.NanReport report) {
        return report.origin().cause() == null ? null : report.origin().cause().rule();
    }

    private static List<String> rowsUnder(Trace trace, String scope) {
        return trace.rows().stream().map(TensorHealth::tensor).filter(t -> t.startsWith(scope)).toList();
    }

    // --- silero VAD: the computation lives in the branch of If_0 that the sample rate picks

    private static final String THEN = "If_0/then_branch/If_0_then_branch__Inline_0__/";

    @Test
    void sileroHealthyTraceChecksTheBranchTakenAndNothingElse() throws Exception {
        TraceOutcome outcome = trace(OnnxSubgraphTest.SILERO, "input=ramp@1x512", "state=zeros", "sr=const:16000");
        NanReport r = outcome.report();
        assertTrue(r.allClear(), CoverageText.verdict(r));
        assertTrue(CoverageText.verdict(r).startsWith("Every tensor is finite (" + r.checked() + " checked)"));
        // 97 of the 103 float tensors checked are inside the 16 kHz branch (and the branches it takes in turn)
        assertEquals(103, r.checked());
        List<String> inBranch = rowsUnder(outcome.trace(), "If_0/then_branch/");
        assertEquals(97, inBranch.size(), inBranch.toString());
        assertTrue(inBranch.contains(THEN + "stft/Conv:0"), inBranch.toString());
        assertTrue(inBranch.contains(THEN + "stft/Pow:0"), inBranch.toString());
        assertTrue(inBranch.contains(THEN + "decoder/decoder/3/Sigmoid:0"), inBranch.toString());
        assertEquals(List.of(), rowsUnder(outcome.trace(), "If_0/else_branch/"), "the 8 kHz branch is not computed");
        // the voice probability as ONNX Runtime gives it running the model file unchanged
        TensorData probability = outcome.trace().outputs().get("Introduce_0_id0:0");
        assertEquals(0.270491, probability.getDouble(0), 1e-5);
        assertTrue(r.fidelity().agree());
    }

    @Test
    void sileroFedHugeSamplesNamesTheOpInsideTheBranchWhereInfinityStarts() throws Exception {
        NanReport r = trace(SILERO, "input=ramp*1e38@1x512", "state=zeros", "sr=const:16000").report();
        assertFalse(r.finite());
        assertTrue(r.complete(), r.unchecked().toString());
        assertEquals(THEN + "stft/Conv", r.origin().op());
        assertEquals("Conv", r.origin().type());
        assertEquals(NanOrigin.Kind.COMPUTATION, r.origin().kind());
        assertEquals(THEN + "stft/Conv", r.origin().firstInfOp());
        assertTrue(r.origin().opInputs().stream().anyMatch(i -> i.tensor().equals(THEN + "stft/Unsqueeze:0")
                && i.max() > 9e37), r.origin().opInputs().toString());
        // the squared magnitudes overflow too; the LSTM and the sigmoid then saturate: the output stays finite
        assertTrue(r.propagation().contains(THEN + "stft/Pow"), r.propagation().toString());
        assertFalse(r.propagation().contains("If_0"), r.propagation().toString());
    }

    @Test
    void sileroAt8kHzTakesTheOtherBranch() throws Exception {
        TraceOutcome outcome = trace(SILERO, "input=ramp*1e38@1x256", "state=zeros", "sr=const:8000");
        assertEquals("If_0/else_branch/If_0_else_branch__Inline_0__/stft/Conv", outcome.report().origin().op());
        assertEquals(List.of(), rowsUnder(outcome.trace(), "If_0/then_branch/"));
    }

    @Test
    void aFailureNamesTheOpInsideTheBranchAndTheShapesFed() throws Exception {
        BackendException e = assertThrows(BackendException.class,
                () -> trace(SILERO, "input=ramp", "state=zeros", "sr=const:16000"));
        assertEquals("ONNX Runtime could not run " + SILERO + ": Pad op " + "If_0/then_branch/"
                + "If_0_then_branch__Inline_0__/stft/padding/Pad failed: Pad reflect requires axis length >= 2 after "
                + "slicing. Input shape:{1,1}; inputs fed: input [1,1], state [2,1,128], sr []", e.getMessage());
    }

    static final Path SILERO = Path.of("../../testdata/onnx/silero_vad_v5.onnx").toAbsolutePath().normalize();

    // --- generated models with a known answer

    @Test
    void overflowInTheThenBranchIsTracedToItsOp() throws Exception {
        Path model = ControlFlowModels.squareOrRoot(folder);
        TraceOutcome outcome = trace(model, input("x", 1e20f, 1f, 2f));
        NanReport r = outcome.report();
        assertEquals("choose/then_branch/square", r.origin().op());
        assertEquals("Mul", r.origin().type());
        assertEquals(NanOrigin.Kind.COMPUTATION, r.origin().kind());
        assertEquals(List.of("choose/then_branch/double", "choose"), r.propagation().subList(0, 2));
        assertTrue(r.complete());
        assertEquals(List.of(), rowsUnder(outcome.trace(), "choose/else_branch/"));
    }

    @Test
    void nanInTheElseBranchIsTracedToItsOp() throws Exception {
        Path model = ControlFlowModels.squareOrRoot(folder);
        TraceOutcome outcome = trace(model, input("x", -1f, -4f, -9f));
        NanReport r = outcome.report();
        assertEquals("choose/else_branch/root", r.origin().op());
        assertEquals("sqrt-of-negative", r.origin().cause().rule());
        assertEquals(List.of(), rowsUnder(outcome.trace(), "choose/then_branch/"));
    }

    @Test
    void aHealthyRunChecksTheBranchTakenAndTheBranchNotTakenHasNoValue() throws Exception {
        Path model = ControlFlowModels.squareOrRoot(folder);
        TraceOutcome outcome = trace(model, input("x", 1f, 2f, 3f));
        NanReport r = outcome.report();
        assertTrue(r.allClear(), CoverageText.verdict(r));
        assertEquals(List.of("choose/then_branch/k:0", "choose/then_branch/square:0", "choose/then_branch/double:0"),
                rowsUnder(outcome.trace(), "choose/"));
        assertEquals(18, outcome.trace().row("choose").orElseThrow().max());
        try (OnnxModel loaded = new OnnxModelLoader().load(model, new NullProgressMonitor());
                InferenceSession session = new OnnxBackend().open(loaded, Device.CPU)) {
            Map<String, TensorData> feeds = Map.of("x:0", TensorData.ofFloats("x", Shape.of(3), 1f, 2f, 3f));
            TensorData square = session.fetch(feeds, List.of("choose/then_branch/square:0"), Map.of(),
                    new NullProgressMonitor()).get("choose/then_branch/square:0");
            assertEquals(9, square.getDouble(2));
            BackendException e = assertThrows(BackendException.class, () -> session.fetch(feeds,
                    List.of("choose/else_branch/root:0"), Map.of(), new NullProgressMonitor()));
            assertEquals("choose/else_branch/root has no value for this input: it is in the else_branch of If "
                    + "'choose', which this input does not take", e.getMessage());
        }
    }

    @Test
    void overflowInALoopBodyIsTracedToItsOpAndIteration() throws Exception {
        TraceOutcome outcome = trace(ControlFlowModels.growingLoop(folder, 5), input("x", 1f, 1f));
        NanReport r = outcome.report();
        assertEquals("loop/body/grow", r.origin().op());
        assertEquals("Mul", r.origin().type());
        assertEquals("loop", r.origin().loop());
        assertEquals(3, r.origin().iteration());
        assertTrue(r.complete(), r.unchecked().toString());
        // the op's inputs as they were at that iteration: v = 1e30, times the factor 1e10
        assertTrue(r.origin().opInputs().stream().anyMatch(i -> i.tensor().equals("loop/body/v:0")
                && Math.abs(i.max() - 1e30) < 1e24), r.origin().opInputs().toString());
        assertEquals(new LoopHealth("loop", 5, 3), outcome.trace().loop("loop/body/grow:0").orElseThrow());
    }

    @Test
    void aHealthyLoopBodyIsCheckedOverEveryIteration() throws Exception {
        TraceOutcome outcome = trace(ControlFlowModels.growingLoop(folder, 3), input("x", 1f, 1f));
        NanReport r = outcome.report();
        assertTrue(r.allClear(), CoverageText.verdict(r));
        TensorHealth grow = outcome.trace().row("loop/body/grow").orElseThrow();
        assertEquals(6, grow.elements(), "2 values in each of 3 iterations");
        assertEquals(1e10, grow.min(), 1e4);
        assertEquals(1e30, grow.max(), 1e24);
        assertEquals(new LoopHealth("loop", 3, -1), outcome.trace().loop("loop/body/grow").orElseThrow());
    }

    @Test
    void aLoopBodyThatCannotBeReturnedIsListedUncheckedNeverAllClear() throws Exception {
        NanReport healthy = trace(ControlFlowModels.concatenatingLoop(folder, 3), input("x", 1f)).report();
        assertTrue(healthy.finite());
        assertFalse(healthy.complete());
        NanReport.Unchecked grow = healthy.unchecked().stream().filter(u -> u.tensor().equals("loop/body/grow:0"))
                .findFirst().orElseThrow(() -> new AssertionError(healthy.unchecked().toString()));
        assertTrue(grow.reason().startsWith("inside the body of Loop 'loop': ONNX Runtime could not return its values "
                + "of every iteration"), grow.reason());
        String verdict = CoverageText.verdict(healthy);
        assertTrue(verdict.startsWith(healthy.checked() + " checked, all finite; "), verdict);
        assertTrue(verdict.contains("loop/body/grow:0"), verdict);

        NanReport overflowing = trace(ControlFlowModels.concatenatingLoop(folder, 5), input("x", 1f)).report();
        assertFalse(overflowing.finite());
        assertEquals("loop", overflowing.origin().op(), "the body is not seen: the Loop is where it shows");
        assertFalse(overflowing.complete());
    }

    @Test
    void overflowInAScanBodyIsTracedToItsOpAndIteration() throws Exception {
        TraceOutcome outcome = trace(ControlFlowModels.growingScan(folder), input("x", 1f, 1f));
        NanReport r = outcome.report();
        assertEquals("scan/body/grow", r.origin().op());
        assertEquals("scan", r.origin().loop());
        assertEquals(3, r.origin().iteration());
        assertTrue(r.complete(), r.unchecked().toString());
        assertEquals(new LoopHealth("scan", 4, 3), outcome.trace().loop("scan/body/copy").orElseThrow());
        // the Scan's own outputs are still what the model computes: the state and the four steps
        assertEquals(8, outcome.trace().row("scan:1").orElseThrow().elements());
    }

    @Test
    void branchesInsideALoopBodyAreListedUncheckedAndTheIfOutputIsChecked() throws Exception {
        NanReport r = trace(ControlFlowModels.loopWithAnIf(folder), input("x", 1f, 1f)).report();
        assertTrue(r.finite());
        assertFalse(r.allClear());
        assertEquals(List.of(
                new NanReport.Unchecked("loop/body/pick/then_branch/twice:0", "inside the then_branch of If "
                        + "'loop/body/pick' in the body of Loop 'loop': ONNX Runtime cannot return the values of a "
                        + "subgraph inside a loop body"),
                new NanReport.Unchecked("loop/body/pick/else_branch/thrice:0", "inside the else_branch of If "
                        + "'loop/body/pick' in the body of Loop 'loop': ONNX Runtime cannot return the values of a "
                        + "subgraph inside a loop body")), r.unchecked());
        // 1 -> 2 (i=0, even) -> 6 -> 12 -> 36
        assertTrue(r.ops().stream().anyMatch(o -> o.tensor().equals("loop/body/pick:0") && o.max() == 36),
                r.ops().toString());
    }
}
