package org.tensorscope.report.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.tensorscope.core.analysis.NanOrigin;
import org.tensorscope.core.report.CoverageText;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.report.ReportHtml;
import org.tensorscope.report.ReportJson;
import org.tensorscope.report.ReportText;

class ReportWritersTest {

    private static final NanReport.TensorSummary X = new NanReport.TensorSummary("x:0", "float32", "[4]", 4, 0, 0, 0,
            0, -1, 8, 2, 3.5);

    private static NanReport logOfNegative() {
        NanReport.Cause cause = new NanReport.Cause("log-of-non-positive", "Log of a negative number: 1 of 4 values is <= 0",
                List.of(new NanReport.Value(0, List.of(1L), -1)), "Clip the input to (0, inf) or add an epsilon");
        NanReport.Histogram histogram = new NanReport.Histogram("x:0", List.of(-1.0, 3.5, 8.0), List.of(1L, 3L), 0, 0, 0);
        NanReport.Origin origin = new NanReport.Origin("log", "Log", NanOrigin.Kind.COMPUTATION, null, "log", cause, null, List.of(X),
                histogram, null, -1);
        return new NanReport("model.pb", "Frozen GraphDef", "serving_default", "cpu", "", "FULL", false, origin,
                List.of("out"), List.of(new NanReport.InputHealth("x", "const:1", X, List.of())), List.of(), 1,
                List.of(new NanReport.OpHealth("log:0", "Log", "CPU:0", 4, 1, 0, 0, 0, 2.07, Double.NaN, 12)), 1, List.of(), null);
    }

    @Test
    void jsonKeepsWhatTheUserNeedsAndSpellsNonFiniteNumbersAsStrings() {
        String json = ReportJson.toJson(logOfNegative());
        assertTrue(json.contains("\"rule\": \"log-of-non-positive\""), json);
        assertTrue(json.contains("\"kind\": \"computation\""), json);
        assertTrue(json.contains("\"mean\": \"NaN\""), json);
        NanReport back = ReportJson.fromJson(json);
        assertEquals(logOfNegative(), back);
        assertEquals("log", back.origin().op());
        assertEquals(-1.0, back.origin().cause().offendingValues().get(0).value());
        assertEquals(List.of(1L), back.origin().cause().offendingValues().get(0).position());
        assertTrue(Double.isNaN(back.ops().get(0).mean()));
        NanReport old = ReportJson.fromJson(json.replace("\"mean\": \"NaN\"", "\"mean\": null"));
        assertTrue(Double.isNaN(old.ops().get(0).mean()), "reports written before the strings read null as NaN");
    }

    @Test
    void htmlIsOneSelfContainedPageWithTheCauseAndTheHistogramImage() {
        String html = ReportHtml.toHtml(logOfNegative());
        assertTrue(html.contains("NaN/Inf starts at <code>log</code> (Log)"), html);
        assertTrue(html.contains("Log of a negative number"), html);
        assertTrue(html.contains("Clip the input to (0, inf)"), html);
        assertTrue(html.contains("<svg"), "histogram as an inline image");
        assertTrue(html.contains("<title>NaN: 0</title>"), "NaN bucket apart");
        assertFalse(html.contains("<script") || html.contains("src=\"http") || html.contains("href=\"http"),
                "no external resources");
    }

    /** Two independent divisions by zero: the second is an origin of its own, with its own cause and fix. */
    private static NanReport twoOrigins() {
        NanReport one = logOfNegative();
        NanReport.Cause cause = new NanReport.Cause("division-by-zero", "Division by zero: 1 element(s) divide a "
                + "non-zero value by 0, giving infinity", List.of(new NanReport.Value(1, List.of(0L), 0)),
                "Add an epsilon to the denominator");
        NanReport.Origin second = new NanReport.Origin("div_b", "RealDiv", NanOrigin.Kind.COMPUTATION, "div_b", null, cause, null,
                List.of(), null, null, -1);
        return new NanReport(one.model(), one.format(), one.signature(), one.device(), "", one.healthMode(), false,
                one.origin(), one.propagation(), one.inputs(), one.weights(), 1, one.ops(), 1, List.of(), null,
                List.of(one.origin(), second));
    }

    @Test
    void everyOriginIsWrittenWithItsCauseAndTheFirstStaysOrigin() {
        String json = ReportJson.toJson(twoOrigins());
        NanReport back = ReportJson.fromJson(json);
        assertEquals("log", back.origin().op());
        assertEquals(List.of("log", "div_b"), back.origins().stream().map(NanReport.Origin::op).toList());
        assertEquals("division-by-zero", back.otherOrigins().get(0).cause().rule());
        NanReport old = ReportJson.fromJson(json.replaceFirst("(?s),\\s*\"origins\": \\[.*\\]\\s*}\\s*$", "}"));
        assertEquals(List.of("log"), old.origins().stream().map(NanReport.Origin::op).toList(),
                "a report written before origins existed lists its one origin");
        String html = ReportHtml.toHtml(twoOrigins());
        assertTrue(html.contains("1 more independent origin(s), each needing its own fix"), html);
        assertTrue(html.contains("<code>div_b</code> (RealDiv)"), html);
        assertTrue(html.contains("Add an epsilon to the denominator"), html);
    }

    /** A CURT trace: log counted where NaN starts, out holds NaN that were not counted, y is finite. */
    private static NanReport curtWithRowsNotCounted() {
        NanReport one = logOfNegative();
        List<NanReport.OpHealth> ops = List.of(
                new NanReport.OpHealth("y:0", "Neg", "CPU:0", -1, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN, -1),
                new NanReport.OpHealth("log:0", "Log", "CPU:0", 4, 1, 0, 0, Double.NaN, Double.NaN, Double.NaN, -1),
                new NanReport.OpHealth("out:0", "Mul", "CPU:0", -1, -1, 0, 0, Double.NaN, Double.NaN, Double.NaN, -1));
        return new NanReport(one.model(), one.format(), one.signature(), one.device(), "", "CURT", false, one.origin(),
                one.propagation(), one.inputs(), one.weights(), 1, ops, 3, List.of(), null);
    }

    @Test
    void rowsWhoseNaNWereNotCountedStayNonFiniteAndAreSaidNotCounted() {
        NanReport report = curtWithRowsNotCounted();
        assertEquals("3 checked, 2 non-finite (1 of them not counted: the curt pass counts NaN and ±Inf only where "
                + "they start and in the first non-finite tensors)", CoverageText.verdict(report));
        assertTrue(ReportText.toText(report).contains("Checked:     3 checked, 2 non-finite (1 of them not counted"),
                ReportText.toText(report));
        String html = ReportHtml.toHtml(report);
        assertTrue(html.contains("<tr class=\"bad\"><td>2</td><td>out:0</td><td>Mul</td><td>CPU:0</td>"
                + "<td>present, not counted</td><td>0</td><td>0</td>"), html);
        assertTrue(html.contains("<tr><td>0</td><td>y:0</td>"), "the finite row is not marked: " + html);
        NanReport back = ReportJson.fromJson(ReportJson.toJson(report));
        assertEquals(-1, back.ops().get(2).nan(), "JSON keeps -1 for a count not computed");
        assertTrue(CoverageText.notCounted(back.ops().get(2)));
        assertFalse(CoverageText.notCounted(back.ops().get(1)));
    }

    /** A Merge after a multiway cond the trace cannot follow: its inputs were not checked, not found finite. */
    private static NanReport originAfterUncheckedInputs() {
        NanReport one = logOfNegative();
        NanReport.Origin merge = new NanReport.Origin("out", "Merge", NanOrigin.Kind.COMPUTATION, null, "out", null,
                null, List.of(), null, null, -1, List.of("healthy:0", "broken:0"));
        List<NanReport.Unchecked> unchecked = List.of(
                new NanReport.Unchecked("healthy:0", "it lies inside cond switch, whose branches Tensorscope cannot follow"),
                new NanReport.Unchecked("broken:0", "it lies inside cond switch, whose branches Tensorscope cannot follow"));
        return new NanReport(one.model(), one.format(), one.signature(), one.device(), "", one.healthMode(), false,
                merge, List.of(), one.inputs(), one.weights(), 1, List.of(new NanReport.OpHealth("out:0", "Merge",
                        "CPU:0", 2, 1, 0, 0, 0, 2, 2, 0)), 1, unchecked, null);
    }

    @Test
    void anOriginReadingUncheckedInputsIsNotSaidToBeComputedFromFiniteOnes() {
        NanReport report = originAfterUncheckedInputs();
        String said = "computed from inputs that could not be checked (healthy:0, broken:0): NaN or infinity may start "
                + "before it";
        String text = ReportText.toText(report);
        assertTrue(text.contains("Origin:      out (Merge), " + said), text);
        assertFalse(text.contains("computed from finite inputs"), text);
        String html = ReportHtml.toHtml(report);
        assertTrue(html.contains(said), html);
        String json = ReportJson.toJson(report);
        assertTrue(json.contains("\"uncheckedInputs\""), json);
        NanReport back = ReportJson.fromJson(json);
        assertEquals(List.of("healthy:0", "broken:0"), back.origin().uncheckedInputs());
        NanReport old = ReportJson.fromJson(ReportJson.toJson(logOfNegative()).replaceAll(
                "(?s),\\s*\"uncheckedInputs\": \\[\\s*\\]", ""));
        assertEquals(List.of(), old.origin().uncheckedInputs(), "a report written before the field reads none");
    }

    @Test
    void htmlEscapesNamesFromTheModel() {
        NanReport report = logOfNegative();
        NanReport nasty = new NanReport("<img src=x>.pb", report.format(), report.signature(), report.device(), "",
                report.healthMode(), true, null, List.of(), List.of(), List.of(), 0, List.of(), 0, List.of(), null);
        String html = ReportHtml.toHtml(nasty);
        assertFalse(html.contains("<img"), html);
        assertTrue(html.contains("Every tensor is finite (0 checked)."), html);
    }
}
