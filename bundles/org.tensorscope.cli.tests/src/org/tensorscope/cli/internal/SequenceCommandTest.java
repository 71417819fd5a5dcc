package org.tensorscope.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.IProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tensorscope.core.analysis.NanOrigin;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.SignatureTensor;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.sequence.DriftFinding;
import org.tensorscope.core.sequence.JitterStats;
import org.tensorscope.core.sequence.NanFinding;
import org.tensorscope.core.sequence.OpStat;
import org.tensorscope.core.sequence.SequenceFindings;
import org.tensorscope.core.sequence.SequenceResult;
import org.tensorscope.core.sequence.SequenceStep;
import org.tensorscope.core.sequence.ValueSummary;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.service.ModelLoader;
import org.tensorscope.core.tensor.TensorData;

/**
 * {@code tensorscope sequence} as a script sees it: the arguments it refuses, each in one line naming the model and
 * the problem, and the table and findings it prints. A stub loader gives a model with a signature (frames input
 * "image", state input "state", outputs "Identity" and "state_out") that no backend runs: every check here happens
 * before a step would.
 */
class SequenceCommandTest {

    @RegisterExtension
    static final StubCli cli = new StubCli(new SignatureOnlyLoader());

    @TempDir
    Path folder;

    private Path model() throws IOException {
        return Files.writeString(folder.resolve("model.seqstub"), "stub");
    }

    @Test
    void withoutFramesOrFeedbackItSaysWhatToGive() throws IOException {
        assertEquals(TensorscopeCommand.EXIT_USAGE, cli.run("sequence", model().toString()));
        assertEquals("tensorscope: sequence: give the frames with --frames, or --feedback for a run driven by its own "
                + "outputs", cli.oneLine());
    }

    @Test
    void aReportThatIsNeitherJsonNorHtmlIsRefused() throws IOException {
        assertEquals(TensorscopeCommand.EXIT_USAGE,
                cli.run("sequence", model().toString(), "--frames", "ramp", "--report", "out.txt"));
        assertEquals("tensorscope: --report out.txt: the file name must end in .json or .html", cli.oneLine());
    }

    @Test
    void stepsThatAreNotANumberAreNamed() throws IOException {
        assertEquals(TensorscopeCommand.EXIT_USAGE, cli.run("sequence", model().toString(), "--frames", "ramp", "--steps", "many"));
        assertTrue(cli.err().contains("many"), cli.err());
    }

    @Test
    void aFeedbackRuleWithUnknownNamesListsTheSignaturesInputs() throws IOException {
        Path model = model();
        assertEquals(TensorscopeCommand.EXIT_USAGE, cli.run("sequence", model.toString(), "--frames", "ramp",
                "--feedback", "r1o=r1i"));
        assertEquals("tensorscope: " + model + ": --feedback 'r1o=r1i': neither 'r1o' nor 'r1i' is an input of signature "
                + "'serving_default'; its inputs are image, state", cli.oneLine());
    }

    @Test
    void anExpressionReadingAnUnknownOutputNamesIt() throws IOException {
        Path model = model();
        assertEquals(TensorscopeCommand.EXIT_USAGE, cli.run("sequence", model.toString(), "--feedback",
                "state=clip(Identity_9, 0, 1)"));
        assertEquals("tensorscope: " + model + ": --feedback 'state=clip(Identity_9, 0, 1)': unknown name 'Identity_9'; "
                + "an expression reads outputs of signature 'serving_default': Identity, state_out", cli.oneLine());
    }

    @Test
    void framesThatAreNoSourceAreNamed() throws IOException {
        Path model = model();
        assertEquals(TensorscopeCommand.EXIT_USAGE, cli.run("sequence", model.toString(), "--frames", "rampp"));
        assertTrue(cli.oneLine().startsWith("tensorscope: " + model + ": --frames 'rampp': not a folder of images, a .npy "
                + "file or a generated source"), cli.err());
        cli.forgetErr();
        Path missing = folder.resolve("no-frames.npy");
        assertEquals(TensorscopeCommand.EXIT_USAGE, cli.run("sequence", model.toString(), "--frames", missing.toString()));
        assertEquals("tensorscope: " + missing + ": no such file", cli.oneLine());
    }

    @Test
    void twoRulesFeedingOneInputAreRefused() throws IOException {
        Path model = model();
        assertEquals(TensorscopeCommand.EXIT_USAGE, cli.run("sequence", model.toString(), "--frames", "ramp",
                "--feedback", "state_out=state", "--feedback", "state=Identity * 2"));
        assertEquals("tensorscope: " + model + ": --feedback 'state=Identity * 2': input state is already fed by "
                + "another --feedback", cli.oneLine());
    }

    @Test
    void numbersAreBrief() {
        assertEquals("100", SequenceCommand.brief(100));
        assertEquals("10.83", SequenceCommand.brief(10.834705));
        assertEquals("1.1", SequenceCommand.brief(1.1000001));
        assertEquals("2.5e+38", SequenceCommand.brief(2.5e38));
        assertEquals("0.0001234", SequenceCommand.brief(1.234e-4));
        assertEquals("+Inf", SequenceCommand.brief(Double.POSITIVE_INFINITY));
    }

    private static ValueSummary value(String name, double norm, long posInf) {
        return new ValueSummary(name, name + ":0", "[1,4]", 4, norm, norm / 2, 0, 0, posInf);
    }

    @Test
    void theTableShowsStateAndOutputNormsPerStepAndTheFindings() {
        List<SequenceStep> steps = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            double norm = Math.pow(10, t);
            steps.add(new SequenceStep(t, "ramp*10^t", Map.of(), List.of(value("state_out", norm * 10, t == 3 ? 4 : 0)),
                    List.of(value("state", norm, 0)), List.of(new OpStat("grow:0", "Mul", 0, 0, t == 3 ? 4 : 0, norm)),
                    List.of()));
        }
        NanReport.Origin origin = new NanReport.Origin("grow", "Mul", NanOrigin.Kind.COMPUTATION, "grow", null,
                new NanReport.Cause("overflow", "The product overflows float32", List.of(), "Clip the state"), null,
                List.of(), null, null, -1);
        NanReport trace = new NanReport("m.pb", "frozen GraphDef", "serving_default", "cpu", "", "FULL", false, origin,
                List.of(), List.of(), List.of(), 0, List.of(), 3, List.of(), null);
        SequenceFindings findings = new SequenceFindings(new NanFinding(3, "grow", "Mul", NanOrigin.Kind.COMPUTATION, trace),
                List.of(new DriftFinding("state", "state", 2, 0, 1, 100, 10, 10, "grow", "Mul", 2)),
                List.of(new JitterStats("state_out", 3, 0.5, 0.9, 2, "Kalman (constant velocity, q/r=0.01)", 0.1, 0.8,
                        0.05)));
        SequenceResult result = new SequenceResult("m.pb", "frozen GraphDef", "serving_default", "cpu", "", "FULL",
                "ramp*10^t", "image", List.of("state_out=state"), 10, 10, steps, "stopped at step 3, where NaN or "
                        + "infinity appeared: later steps would carry it", findings);
        StringWriter text = new StringWriter();
        SequenceCommand.print(new PrintWriter(text, true), result);
        String printed = text.toString();

        assertTrue(printed.contains("Steps:       4 of 10 ran (stopped at step 3"), printed);
        assertTrue(printed.contains(" step      state*   state_out   (* state)"), printed);
        assertTrue(printed.contains("    2         100        1000\n"), printed);
        assertTrue(printed.contains("    3        1000         Inf  <- NaN/Inf"), printed);
        assertTrue(printed.contains("NaN/Inf:     first at step 3: grow (Mul), computed from finite inputs"), printed);
        assertTrue(printed.contains("  Cause:     The product overflows float32 [overflow]\n  Fix:       Clip the state"),
                printed);
        assertTrue(printed.contains("Drift:       state (state) passed 10x its step-0 norm at step 2 (1 -> 100, x10 per "
                + "step); first op past 10x: grow (Mul) at step 2"), printed);
        assertTrue(printed.contains("Jitter:      state_out: mean change 0.5 per step (max 0.9 at step 2); "
                + "Kalman (constant velocity, q/r=0.01) leaves 0.1 (-80%), mean lag 0.05"), printed);
    }

    @Test
    void aRunStoppedWhileTracingStillShowsItsStepsAndWhereNaNAppeared() {
        List<SequenceStep> steps = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            steps.add(new SequenceStep(t, "ramp*10^t", Map.of(), List.of(value("out", Math.pow(10, t), t == 2 ? 4 : 0)),
                    List.of(), List.of(new OpStat("grow:0", "Mul", 0, 0, t == 2 ? 4 : 0, 1)), List.of()));
        }
        SequenceFindings findings = new SequenceFindings(new NanFinding(2, "grow", "Mul", null, null), List.of(),
                List.of());
        SequenceResult result = new SequenceResult("m.pb", "frozen GraphDef", "serving_default", "cpu", "", "FULL",
                "ramp*10^t", "image", List.of(), 10, 10, steps, SequenceResult.CANCELLED + " while tracing step 2",
                findings);
        StringWriter text = new StringWriter();
        SequenceCommand.print(new PrintWriter(text, true), result);
        String printed = text.toString();

        assertTrue(result.cancelled());
        assertEquals(TraceCommand.EXIT_ANOMALY, SequenceCommand.exitCode(result), "a NaN found before the stop is a finding");
        assertTrue(printed.contains("Steps:       3 of 10 ran (" + SequenceResult.CANCELLED + " while tracing step 2)"),
                printed);
        assertTrue(printed.contains("NaN/Inf:     first at step 2: grow (Mul)\n"), printed);
        assertTrue(printed.contains("  Trace:     stopped before it found the origin (" + SequenceResult.CANCELLED
                + " while tracing step 2); `tensorscope trace` on step 2's inputs finds it"), printed);

        SequenceResult nothingFound = new SequenceResult("m.pb", "frozen GraphDef", "serving_default", "cpu", "", "FULL",
                "ramp", "image", List.of(), 10, 10, steps.subList(0, 2), SequenceResult.CANCELLED + " after 2 of 10 steps",
                new SequenceFindings(null, List.of(), List.of()));
        assertEquals(TensorscopeCommand.EXIT_USAGE, SequenceCommand.exitCode(nothingFound),
                "a run stopped with nothing found is not an all-clear");
    }

    @Test
    void findingsOverCheckedTensorsNameTheTensorsAStepCouldNotCheck() {
        List<SequenceStep> steps = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            steps.add(new SequenceStep(t, "ramp", Map.of(), List.of(value("out", 1, 0)), List.of(),
                    List.of(new OpStat("out:0", "Relu", 0, 0, 0, 1)),
                    List.of(new SequenceStep.Unchecked("while/body/mul:0", "inside the body of Loop 'while'"))));
        }
        SequenceResult result = new SequenceResult("m.pb", "frozen GraphDef", "serving_default", "cpu", "", "FULL",
                "ramp", "image", List.of(), 2, 10, steps, "", new SequenceFindings(null,
                        List.of(new DriftFinding("out", "output", 1, 0, 1, 20, 10, 20, "out", "Relu", 1)), List.of()));
        StringWriter text = new StringWriter();
        SequenceCommand.print(new PrintWriter(text, true), result);
        assertTrue(text.toString().contains("NaN/Inf:     none in the checked tensors of 2 steps; 1 not checked: "
                + "while/body/mul:0 (inside the body of Loop 'while')\n"), text.toString());
        assertTrue(text.toString().contains("; first checked op past 10x: out (Relu) at step 1"), text.toString());
    }

    @Test
    void theTextSaysWhatWasLeftOutWhatTheRuntimeComputesOtherwiseAndWhichStepsCannotRunAgain() {
        Map<String, TensorData> state = Map.of("h:0", TensorData.ofFloats("h:0", Shape.of(4), 1, 2, 3, 4));
        List<SequenceStep> steps = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            steps.add(new SequenceStep(t, "ramp", state, List.of(value("out", 1, 0)), List.of(),
                    List.of(new OpStat("out:0", "Relu", 0, 0, 0, 1)), List.of()));
        }
        NanReport.Fidelity fidelity = new NanReport.Fidelity(false, 1e-3, List.of(), List.of("_FusedConv2D at relu "
                + "fuses Conv2D+BiasAdd+Relu"), "The optimised runtime fuses Conv2D+BiasAdd+Relu at relu (_FusedConv2D)");
        SequenceResult result = new SequenceResult("m.pb", "frozen GraphDef", "serving_default", "cpu", "", "FULL",
                "ramp", "image", List.of(), 3, 10, steps, "", new SequenceFindings(null, List.of(), List.of(),
                        List.of(new SequenceFindings.NotWatched("cls", "output", "int32 values (class indices, counts "
                                + "or flags): a norm or a change from frame to frame of labels means nothing, so drift "
                                + "and jitter leave it out"))), fidelity, 2);
        StringWriter text = new StringWriter();
        SequenceCommand.print(new PrintWriter(text, true), result);
        String printed = text.toString();
        assertTrue(printed.contains("Left out:    cls (output): int32 values (class indices, counts or flags)"), printed);
        assertTrue(printed.contains("Runtime:     step 2: The optimised runtime fuses Conv2D+BiasAdd+Relu at relu "
                + "(_FusedConv2D)\n"), printed);
        assertFalse(printed.contains("Re-run:"), "every step can still run again: " + printed);
    }

    /** Loads *.seqstub files as a graph with a signature and no ops, which no backend claims. */
    private static final class SignatureOnlyLoader implements ModelLoader {

        @Override
        public String format() {
            return "Sequence stub";
        }

        @Override
        public boolean canLoad(Path path) {
            return path.getFileName().toString().endsWith(".seqstub");
        }

        @Override
        public LoadedModel load(Path path, IProgressMonitor monitor) {
            Signature signature = new Signature(Signature.DEFAULT_KEY,
                    List.of(new SignatureTensor("image", new TensorSpec("image:0", DType.FLOAT32, Shape.of(1, 2, 2, 1))),
                            new SignatureTensor("state", new TensorSpec("state:0", DType.FLOAT32, Shape.of(1, 4)))),
                    List.of(new SignatureTensor("Identity", new TensorSpec("Identity:0", DType.FLOAT32, Shape.of(1, 4))),
                            new SignatureTensor("state_out", new TensorSpec("state_out:0", DType.FLOAT32, Shape.of(1, 4)))));
            ModelGraph graph = new ModelGraph(path, "Sequence stub", List.of(), List.of(signature), List.of());
            return new LoadedModel() {
                @Override
                public ModelGraph graph() {
                    return graph;
                }

                @Override
                public String backendId() {
                    return "none";
                }

                @Override
                public void close() {
                    // nothing held
                }
            };
        }
    }
}
