package org.tensorscope.report.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.tensorscope.core.analysis.NanOrigin;
import org.tensorscope.core.report.CoverageText;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.report.Numbers;
import org.tensorscope.report.JsonNumbers;
import org.tensorscope.report.NanReportSections;
import org.tensorscope.report.ReportHtml;
import org.tensorscope.report.ReportJson;
import org.tensorscope.report.ReportText;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;

/**
 * One report with an origin of every kind, unchecked tensors, a runtime that disagrees and
 * offending values that are themselves NaN or infinite, rendered as the command line's text, the
 * HTML page and JSON: all three must state the same facts and spell every number the same way.
 */
class OneReportThreeRenderingsTest {

    private static final NanReport.TensorSummary X = new NanReport.TensorSummary("x:0", "float32", "[4]", 4, 1, 0, 1,
            0, -1.5, 1234567.5, 2, 3.25);

    private static final NanReport.Value[] LOG_VALUES = { new NanReport.Value(0, List.of(1L), -1.5),
            new NanReport.Value(0, List.of(2L), Double.NEGATIVE_INFINITY) };
    private static final NanReport.Value SUB_VALUE = new NanReport.Value(1, List.of(0L, 3L), Double.POSITIVE_INFINITY);
    private static final NanReport.Value WEIGHT_VALUE = new NanReport.Value(0, List.of(2L), Double.NaN);

    private static final String RUNTIME = "The optimised runtime fuses Conv2D+BiasAdd+Relu at conv/Relu (_FusedConv2D); "
            + "output out:0 holds 0 NaN/Inf in the optimised run instead of 1 in the traced run.";

    static NanReport everyKind() {
        NanReport.Cause log = new NanReport.Cause("log-of-non-positive", "Log of a non-positive number: 2 of 4 values <= 0",
                List.of(LOG_VALUES), "Clip the input to (0, inf) or add an epsilon");
        NanReport.Cause sub = new NanReport.Cause("inf-minus-inf", "inf - inf: 1 element(s) subtract infinities",
                List.of(SUB_VALUE), "Subtract the maximum before the exp");
        NanReport.Histogram histogram = new NanReport.Histogram("x:0", List.of(-1.5, 0.0, 1234567.5), List.of(1L, 2L), 0,
                1, 0);
        NanReport.Origin computation = new NanReport.Origin("model/log", "Log", NanOrigin.Kind.COMPUTATION, "model/log",
                "model/sub", log, sub, List.of(X), histogram, "while", 3);
        NanReport.Cause weight = new NanReport.Cause("weights-not-finite", "The weight w already holds NaN or infinity",
                List.of(WEIGHT_VALUE), "Retrain with gradient clipping");
        NanReport.Origin weights = new NanReport.Origin("w", "Const", NanOrigin.Kind.WEIGHTS, null, "w", weight, null,
                List.of(), null, null, -1);
        NanReport.Origin input = new NanReport.Origin("y", "Placeholder", NanOrigin.Kind.INPUT, "y", null, null, null,
                List.of(), null, null, -1);
        List<NanReport.Unchecked> unchecked = List.of(
                new NanReport.Unchecked("loop/body/mul:0", "inside the body of Loop 'loop'"),
                new NanReport.Unchecked("cond/then/add:0", "inside an If branch ONNX Runtime cannot expose"));
        NanReport.Fidelity fidelity = new NanReport.Fidelity(false, 1e-5,
                List.of(new NanReport.OutputComparison("out:0", 1, 0, 1, 0, Double.NaN)),
                List.of("_FusedConv2D at conv/Relu fuses Conv2D+BiasAdd+Relu"), RUNTIME);
        List<NanReport.OpHealth> ops = List.of(
                new NanReport.OpHealth("model/log:0", "Log", "CPU:0", 4, 1, 1, 0, 0.25, 0.5, 0.375, 12),
                new NanReport.OpHealth("model/sub:0", "Sub", "CPU:0", 4, 4, 0, 0, Double.NaN, Double.NaN, Double.NaN, -1));
        return new NanReport("model.pb", "Frozen GraphDef", "serving_default", "cpu", "", "FULL", false, computation,
                List.of("model/sub", "out"),
                List.of(new NanReport.InputHealth("x", "ramp*1e38", X, List.of("input x already holds 1 NaN and 1 infinite values"))),
                List.of(new NanReport.WeightHealth("w", "[3]", 1)), 7, ops, 5, unchecked, fidelity,
                List.of(computation, weights, input));
    }

    /** A weight the trace left out (an infinity by design) is said apart from a broken one, and is not red. */
    @Test
    void aWeightLeftOutOfTheCheckIsNotCalledBroken() {
        NanReport.WeightHealth designed = new NanReport.WeightHealth("pad/value", "[]", 1,
                "holds an infinity by design: PadV2 pad pads the input of MaxPool pool with this -inf");
        NanReportSections.WeightsSection both = new NanReportSections.WeightsSection(9,
                List.of(new NanReport.WeightHealth("w", "[3]", 2), designed));
        assertEquals("1 of 9 weights hold NaN or infinity: w (2); 1 of 9 weights holds NaN or infinity and is left out"
                + " of the check (see Checked): pad/value (1)", both.text());
        assertTrue(both.broken());
        NanReportSections.WeightsSection onlyDesigned = new NanReportSections.WeightsSection(9, List.of(designed));
        assertEquals("1 of 9 weights holds NaN or infinity and is left out of the check (see Checked): pad/value (1)",
                onlyDesigned.text());
        assertFalse(onlyDesigned.broken());

        NanReport base = everyKind();
        NanReport report = new NanReport(base.model(), base.format(), base.signature(), base.device(), base.deviceNote(),
                base.healthMode(), base.finite(), base.origin(), base.propagation(), base.inputs(), List.of(designed),
                base.weightCount(), base.ops(), base.checked(), base.unchecked(), base.fidelity(), base.origins());
        String html = ReportHtml.toHtml(report);
        assertTrue(html.contains("<h2>Weights</h2><p>1 of 7 weights holds NaN"), html);
        JsonObject weight = JsonParser.parseString(ReportJson.toJson(report)).getAsJsonObject().getAsJsonArray("weights")
                .get(0).getAsJsonObject();
        assertEquals(designed.leftOut(), weight.get("leftOut").getAsString());
    }

    @Test
    void theTextStatesEveryFact() {
        NanReport report = everyKind();
        String text = ReportText.toText(report);
        assertTrue(text.contains("Origin:      model/log (Log) at iteration 3 of loop while, computed from finite inputs\n"),
                text);
        assertTrue(text.contains("Cause:       Log of a non-positive number: 2 of 4 values <= 0 [log-of-non-positive]\n"),
                text);
        assertTrue(text.contains("  input 0 at [1] = -1.5\n  input 0 at [2] = -Inf\n"), text);
        assertTrue(text.contains("Fix:         Clip the input to (0, inf) or add an epsilon\n"), text);
        assertTrue(text.contains("First ±Inf:  model/log\nFirst NaN:   model/sub\n"), text);
        assertTrue(text.contains("  then:      inf - inf: 1 element(s) subtract infinities [inf-minus-inf]\n"
                + "    input 1 at [0, 3] = +Inf\n  then fix:  Subtract the maximum before the exp\n"), text);
        assertTrue(text.contains("Also origin: w (Const), the weights already hold NaN or infinity; independent of the "
                + "first: it needs its own fix\n"), text);
        assertTrue(text.contains("    input 0 at [2] = NaN\n"), text);
        assertTrue(text.contains("Also origin: y (Placeholder), the input already holds NaN or infinity;"), text);
        assertTrue(text.contains("  Cause:     " + NanReportSections.NO_CAUSE + "\n"), text);
        assertTrue(text.contains("Input:       x = ramp*1e38  range [-1.5, 1.2346e+06]\n"), text);
        assertTrue(text.contains("Checked:     " + CoverageText.verdict(report) + "\n"), text);
        assertTrue(text.contains("Runtime:     " + RUNTIME + "\n"), text);
        assertTrue(text.contains("Propagates:  2 later ops, e.g. model/sub -> out\n"), text);
    }

    @Test
    void textHtmlAndJsonStateTheSameFacts() {
        NanReport report = everyKind();
        String text = ReportText.toText(report);
        String html = ReportHtml.toHtml(report);
        JsonObject json = JsonParser.parseString(ReportJson.toJson(report)).getAsJsonObject();
        JsonArray origins = json.getAsJsonArray("origins");
        assertEquals(3, origins.size());
        for (int i = 0; i < report.origins().size(); i++) {
            NanReport.Origin origin = report.origins().get(i);
            JsonObject written = origins.get(i).getAsJsonObject();
            assertEquals(origin.op(), written.get("op").getAsString());
            assertEquals(origin.kind().displayName(), written.get("kind").getAsString());
            String blame = NanReportSections.OriginSection.blame(origin.kind());
            assertTrue(text.contains(origin.op() + " (" + origin.type() + ")"), origin.op() + " in " + text);
            assertTrue(html.contains("<code>" + origin.op() + "</code> (" + origin.type() + ")"), origin.op() + " in " + html);
            assertTrue(text.contains(blame), blame + " in " + text);
            assertTrue(html.contains("Origin: " + blame + "."), blame + " in " + html);
            if (origin.cause() == null) {
                assertTrue(written.get("cause").isJsonNull());
                assertTrue(text.contains(NanReportSections.NO_CAUSE), text);
                assertTrue(html.contains("No rule recognised this case; see the inputs of the op."), html);
                continue;
            }
            JsonObject cause = written.getAsJsonObject("cause");
            assertEquals(origin.cause().rule(), cause.get("rule").getAsString());
            assertEquals(origin.cause().suggestion(), cause.get("suggestion").getAsString());
            for (String words : List.of(origin.cause().description(), origin.cause().suggestion())) {
                assertTrue(text.contains(words), words + " in " + text);
                assertTrue(html.contains(words.replace("<", "&lt;")), words + " in " + html);
            }
            JsonArray values = cause.getAsJsonArray("offendingValues");
            for (int v = 0; v < origin.cause().offendingValues().size(); v++) {
                NanReport.Value value = origin.cause().offendingValues().get(v);
                String spelled = Numbers.format(value.value());
                JsonElement writtenValue = values.get(v).getAsJsonObject().get("value");
                assertEquals(spelled, Numbers.format(JsonNumbers.valueOf(writtenValue)), "the JSON value reads back");
                assertTrue(text.contains("input " + value.input() + " at " + value.position() + " = " + spelled), text);
                assertTrue(html.contains("<td>" + value.input() + "</td><td>" + value.position() + "</td><td>" + spelled
                        + "</td>"), spelled + " in " + html);
            }
        }
        JsonObject first = origins.get(0).getAsJsonObject();
        assertEquals("model/sub", first.get("firstNanOp").getAsString());
        assertTrue(html.contains("first NaN: <code>model/sub</code>"), html);
        assertEquals("inf-minus-inf", first.getAsJsonObject("firstNanCause").get("rule").getAsString());
        assertTrue(html.contains("inf - inf: 1 element(s) subtract infinities"), html);
        assertTrue(html.contains("Subtract the maximum before the exp"), html);
        assertTrue(html.contains("<td>1</td><td>[0, 3]</td><td>+Inf</td>"), html);
        assertEquals(3, first.get("iteration").getAsInt());
        assertTrue(html.contains("at iteration 3 of loop while"), html);

        JsonArray unchecked = json.getAsJsonArray("unchecked");
        for (int i = 0; i < report.unchecked().size(); i++) {
            NanReport.Unchecked u = report.unchecked().get(i);
            assertEquals(u.tensor(), unchecked.get(i).getAsJsonObject().get("tensor").getAsString());
            assertEquals(u.reason(), unchecked.get(i).getAsJsonObject().get("reason").getAsString());
            assertTrue(text.contains(u.tensor()) && text.contains(u.reason()), u + " in " + text);
            assertTrue(html.contains("<td>" + u.tensor() + "</td><td>" + u.reason() + "</td>"),
                    u + " in " + html);
        }
        String verdict = CoverageText.verdict(report);
        assertTrue(verdict.startsWith("5 checked, 2 non-finite; 2 not checked"), verdict);
        assertTrue(html.contains(verdict), html);
        assertTrue(html.contains(RUNTIME), html);
        assertEquals(RUNTIME, json.getAsJsonObject("fidelity").get("explanation").getAsString());
        assertTrue(html.contains("1 of 7 weights hold NaN or infinity: w (1)"), html);
        assertTrue(text.contains("Weights:     1 of 7 weights hold NaN or infinity: w (1)"), text);
    }

    @Test
    void everyNumberIsSpelledOneWayInTextAndHtmlAndJsonTellsTheThreeNonFiniteValuesApart() {
        NanReport report = everyKind();
        String text = ReportText.toText(report);
        String html = ReportHtml.toHtml(report);
        String json = ReportJson.toJson(report);
        for (String rendering : List.of(text, html)) {
            assertTrue(rendering.contains("-Inf") && rendering.contains("+Inf") && rendering.contains("NaN"), rendering);
            assertFalse(rendering.contains("Infinity") || rendering.contains("1234567") || rendering.contains("1.234568e"),
                    "five significant digits, ±Inf spelled as everywhere: " + rendering);
            assertTrue(rendering.contains("1.2346e+06"), rendering);
        }
        assertTrue(json.contains("\"value\": \"-Infinity\""), json);
        assertTrue(json.contains("\"value\": \"Infinity\""), json);
        assertTrue(json.contains("\"value\": \"NaN\""), json);
        assertTrue(json.contains("\"max\": 1234567.5"), "JSON keeps full precision: " + json);
        JsonReader strict = new JsonReader(new StringReader(json));
        strict.setStrictness(Strictness.STRICT);
        JsonParser.parseReader(strict); // a bare NaN or Infinity would not parse
        assertEquals(report, ReportJson.fromJson(json), "the JSON reads back to the same report");
    }

    @Test
    void theDefaultLocaleChangesNothing() {
        NanReport report = everyKind();
        Locale before = Locale.getDefault();
        String text;
        String html;
        String json;
        try {
            Locale.setDefault(Locale.ROOT);
            text = ReportText.toText(report);
            html = ReportHtml.toHtml(report);
            json = ReportJson.toJson(report);
            for (Locale locale : List.of(Locale.GERMANY, Locale.FRANCE)) {
                Locale.setDefault(locale);
                assertEquals(text, ReportText.toText(report), locale.toString());
                assertEquals(html, ReportHtml.toHtml(report), locale.toString());
                assertEquals(json, ReportJson.toJson(report), locale.toString());
            }
        } finally {
            Locale.setDefault(before);
        }
        assertTrue(text.contains("-1.5") && !text.contains("-1,5"), text);
    }
}
