package org.tensorscope.report.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tensorscope.core.analysis.NanOrigin;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.sequence.DriftFinding;
import org.tensorscope.core.sequence.JitterStats;
import org.tensorscope.core.sequence.NanFinding;
import org.tensorscope.core.sequence.OpStat;
import org.tensorscope.core.sequence.SequenceFindings;
import org.tensorscope.core.sequence.SequenceResult;
import org.tensorscope.core.sequence.SequenceStep;
import org.tensorscope.core.sequence.ValueSummary;
import org.tensorscope.report.SequenceReportHtml;
import org.tensorscope.report.SequenceReportJson;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** The sequence report in JSON (docs/sequence.md) and HTML, on a state growing 10x per step that overflows at step 3. */
class SequenceReportTest {

    private static ValueSummary value(String name, double norm, long posInf) {
        return new ValueSummary(name, name + ":0", "[1,4]", 4, norm, norm / 2, 0, 0, posInf);
    }

    static SequenceResult overflowing() {
        List<SequenceStep> steps = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            double norm = Math.pow(10, t);
            List<OpStat> ops = new ArrayList<>(List.of(new OpStat("grow:0", "Mul", 0, 0, t == 3 ? 4 : 0, norm * 10)));
            if (t == 1) {
                ops.add(new OpStat("branch/only:0", "Relu", 0, 0, 0, 7));
            }
            steps.add(new SequenceStep(t, "ramp*10^t", Map.of(), List.of(value("state_out", t == 3 ? 0 : norm * 10, t == 3 ? 4 : 0)),
                    List.of(value("state", norm, 0)), ops, List.of()));
        }
        NanReport.Origin origin = new NanReport.Origin("grow", "Mul", NanOrigin.Kind.COMPUTATION, "grow", null,
                new NanReport.Cause("overflow", "The product overflows float32", List.of(), "Clip the state"), null,
                List.of(), null, null, -1);
        NanReport trace = new NanReport("m.pb", "frozen GraphDef", "serving_default", "cpu", "", "FULL", false, origin,
                List.of(), List.of(), List.of(), 0, List.of(), 3, List.of(), null);
        SequenceFindings findings = new SequenceFindings(new NanFinding(3, "grow", "Mul", NanOrigin.Kind.COMPUTATION, trace),
                List.of(new DriftFinding("state", "state", 2, 0, 1, 100, 10, 10, "grow", "Mul", 1)),
                List.of(new JitterStats("state_out", 2, 45, 90, 2, "Kalman (constant velocity, q/r=0.01)", 9, 0.8, 3)));
        return new SequenceResult("m.pb", "frozen GraphDef", "serving_default", "cpu", "", "FULL", "ramp*10^t", "image",
                List.of("state_out=state"), 10, 10, steps, "stopped at step 3", findings);
    }

    @Test
    void jsonHoldsTheStepsAsColumnsAndTheFindingsWithTheNanTraceOfTheirStep() {
        JsonObject json = JsonParser.parseString(SequenceReportJson.toJson(overflowing())).getAsJsonObject();
        assertEquals("sequence", json.get("kind").getAsString());
        assertEquals(4, json.get("stepsRun").getAsInt());
        assertEquals(10, json.get("stepsAsked").getAsInt());
        assertEquals("stopped at step 3", json.get("stopped").getAsString());
        assertEquals("state_out=state", json.getAsJsonArray("feedback").get(0).getAsString());
        JsonArray ops = json.getAsJsonArray("ops");
        assertEquals(2, ops.size());
        assertEquals("branch/only:0", ops.get(1).getAsJsonObject().get("tensor").getAsString());
        JsonArray steps = json.getAsJsonArray("steps");
        JsonObject second = steps.get(2).getAsJsonObject();
        assertEquals(100.0, second.getAsJsonArray("states").get(0).getAsJsonObject().get("norm").getAsDouble());
        assertEquals(1000.0, second.getAsJsonArray("opMaxAbs").get(0).getAsDouble());
        assertTrue(second.getAsJsonArray("opMaxAbs").get(1).isJsonNull(), "step 2 did not check branch/only");
        assertEquals(7.0, steps.get(1).getAsJsonObject().getAsJsonArray("opMaxAbs").get(1).getAsDouble());
        JsonObject last = steps.get(3).getAsJsonObject();
        assertEquals(4, last.getAsJsonArray("outputs").get(0).getAsJsonObject().get("posInf").getAsInt());
        assertEquals(4, last.getAsJsonArray("opNonFinite").get(0).getAsInt());
        JsonObject findings = json.getAsJsonObject("findings");
        JsonObject nan = findings.getAsJsonObject("nan");
        assertEquals(3, nan.get("step").getAsInt());
        assertEquals("grow", nan.get("op").getAsString());
        assertEquals("overflow", nan.getAsJsonObject("trace").getAsJsonObject("origin").getAsJsonObject("cause")
                .get("rule").getAsString(), "the step's NaN trace as tensorscope trace writes it");
        assertTrue(nan.getAsJsonObject("trace").get("fidelity").isJsonNull(), "nulls are kept in the nested trace");
        JsonObject drift = findings.getAsJsonArray("drift").get(0).getAsJsonObject();
        assertEquals(2, drift.get("step").getAsInt());
        assertEquals(10.0, drift.get("growthPerStep").getAsDouble());
        assertEquals("grow", drift.get("op").getAsString());
        assertEquals(0.8, findings.getAsJsonArray("jitter").get(0).getAsJsonObject().get("reduction").getAsDouble());
    }

    @Test
    void htmlChartsTheNormsOnALogAxisWithTheNanAndDriftStepsMarked() {
        String html = SequenceReportHtml.toHtml(overflowing());
        assertTrue(html.contains("<svg"), "an inline chart");
        // state norms 1, 10, 100, 1000 on decades 1e0..1e3 over steps 0..3: a straight line, x from 60 to 700
        assertTrue(html.contains("points=\"60.0,270.0 273.3,183.3 486.7,96.7 700.0,10.0\"><title>state state</title>"),
                html);
        // the output's Inf at step 3 leaves a gap: its line stops at step 2
        assertTrue(html.contains("points=\"60.0,183.3 273.3,96.7 486.7,10.0\"><title>output state_out</title>"), html);
        assertTrue(html.contains("<title>NaN/Inf at step 3</title>"));
        assertTrue(html.contains("<title>drift of state at step 2</title>"));
        assertTrue(html.contains("NaN/Inf first at step 3: <code>grow</code> (Mul), computed from finite inputs."));
        assertTrue(html.contains("Cause: The product overflows float32 [overflow]"));
        assertTrue(html.contains("<td>NaN 0, Inf 4</td>"), "the table shows the Inf step's counts");
        assertTrue(html.contains("4 of 10 steps ran: stopped at step 3."));
        assertFalse(html.contains("<script"), "self-contained, no scripts");
    }

    @Test
    void htmlWithoutFindingsNamesTheTensorsAStepCouldNotCheck() {
        List<SequenceStep> steps = List.of(new SequenceStep(0, "ramp", Map.of(), List.of(value("out", 1, 0)), List.of(),
                List.of(new OpStat("out:0", "Relu", 0, 0, 0, 1)),
                List.of(new SequenceStep.Unchecked("while/body/mul:0", "inside the body of Loop 'while'"))));
        String html = SequenceReportHtml.toHtml(new SequenceResult("m.pb", "frozen GraphDef", "serving_default", "cpu",
                "", "FULL", "ramp", "image", List.of(), 1, 10, steps, "", new SequenceFindings(null, List.of(),
                        List.of())));
        assertTrue(html.contains("No NaN or infinity in the checked tensors of 1 steps; 1 not checked: "
                + "while/body/mul:0 (inside the body of Loop 'while')."), html);
    }

    /**
     * A step that did not check an op, an op without a finite value, a tensor no step could check, an int32 output
     * left out of drift, and a plain run that disagrees with the traced one.
     */
    static SequenceResult notCheckedAndNotFinite() {
        List<SequenceStep> steps = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            List<OpStat> ops = new ArrayList<>(List.of(new OpStat("relu:0", "Relu", 4, 0, 0, Double.NaN)));
            if (t == 0) {
                ops.add(new OpStat("branch:0", "Mul", 0, 0, 0, 2.5));
            }
            steps.add(new SequenceStep(t, "ramp", Map.of(), List.of(value("out", 1, 0)), List.of(), ops,
                    List.of(new SequenceStep.Unchecked("while/body/mul:0", "inside the body of Loop 'while'"))));
        }
        NanReport.Fidelity fidelity = new NanReport.Fidelity(false, 1e-3,
                List.of(new NanReport.OutputComparison("out:0", 4, 0, 4, 0, 0)), List.of("_FusedConv2D at relu fuses "
                        + "Conv2D+BiasAdd+Relu"), "The optimised runtime fuses Conv2D+BiasAdd+Relu at relu (_FusedConv2D)"
                        + "; a fused kernel's activation maps NaN to a number (Relu gives 0), so output out:0 holds 0 NaN/Inf");
        SequenceFindings findings = new SequenceFindings(null, List.of(), List.of(new JitterStats("out", 0, Double.NaN,
                Double.NaN, -1, "Kalman (constant velocity, q/r=0.01)", Double.NaN, Double.NaN, Double.NaN)),
                List.of(new SequenceFindings.NotWatched("count", "output", "int32 values (class indices, counts or "
                        + "flags): a norm or a change from frame to frame of labels means nothing, so drift and jitter "
                        + "leave it out")));
        return new SequenceResult("m.pb", "frozen GraphDef", "serving_default", "cpu", "", "FULL", "ramp", "image",
                List.of(), 2, 10, steps, "", findings, fidelity, 1);
    }

    @Test
    void jsonTellsANumberThatIsNotFiniteFromAnOpNotCheckedAndListsWhatWasNotChecked() {
        JsonObject json = JsonParser.parseString(SequenceReportJson.toJson(notCheckedAndNotFinite())).getAsJsonObject();
        JsonArray steps = json.getAsJsonArray("steps");
        JsonArray first = steps.get(0).getAsJsonObject().getAsJsonArray("opMaxAbs");
        JsonArray second = steps.get(1).getAsJsonObject().getAsJsonArray("opMaxAbs");
        assertEquals("NaN", first.get(0).getAsString(), "relu has no finite value: the number NaN, spelled");
        assertEquals(2.5, first.get(1).getAsDouble());
        assertTrue(second.get(1).isJsonNull(), "null means one thing: step 1 did not check branch:0");
        assertEquals(4, steps.get(1).getAsJsonObject().getAsJsonArray("opNonFinite").get(0).getAsInt());
        assertTrue(steps.get(1).getAsJsonObject().getAsJsonArray("opNonFinite").get(1).isJsonNull());
        assertEquals("while/body/mul:0", steps.get(1).getAsJsonObject().getAsJsonArray("unchecked").get(0).getAsString());
        JsonObject unchecked = json.getAsJsonArray("unchecked").get(0).getAsJsonObject();
        assertEquals("while/body/mul:0", unchecked.get("tensor").getAsString());
        assertEquals("inside the body of Loop 'while'", unchecked.get("reason").getAsString());
        JsonObject jitter = json.getAsJsonObject("findings").getAsJsonArray("jitter").get(0).getAsJsonObject();
        assertEquals("NaN", jitter.get("meanChange").getAsString(), "no change measured: NaN, not null");
        JsonObject left = json.getAsJsonObject("findings").getAsJsonArray("notWatched").get(0).getAsJsonObject();
        assertEquals("count", left.get("name").getAsString());
        assertEquals("output", left.get("kind").getAsString());
        JsonObject fidelity = json.getAsJsonObject("fidelity");
        assertEquals(1, fidelity.get("step").getAsInt());
        assertFalse(fidelity.get("agree").getAsBoolean());
        assertEquals(4, fidelity.getAsJsonArray("outputs").get(0).getAsJsonObject().get("tracedNonFinite").getAsInt());
        assertEquals("_FusedConv2D at relu fuses Conv2D+BiasAdd+Relu", fidelity.getAsJsonArray("rewrites").get(0)
                .getAsString());
        assertTrue(steps.get(0).getAsJsonObject().get("canRerun").getAsBoolean());
        assertEquals("", json.get("rerun").getAsString());
        assertTrue(JsonParser.parseString(SequenceReportJson.toJson(overflowing())).getAsJsonObject().get("fidelity")
                .isJsonNull(), "not compared");
    }

    @Test
    void htmlShowsTheRuntimeNoticeAndTheOutputsLeftOut() {
        String html = SequenceReportHtml.toHtml(notCheckedAndNotFinite());
        assertTrue(html.contains("<h2>Your runtime</h2><p class=\"bad\">step 1: The optimised runtime fuses "
                + "Conv2D+BiasAdd+Relu at relu (_FusedConv2D)"), html);
        assertTrue(html.contains("Left out of drift and jitter: <code>count</code> (output), int32 values"), html);
    }
}
