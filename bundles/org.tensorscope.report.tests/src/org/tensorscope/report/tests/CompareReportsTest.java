package org.tensorscope.report.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.tensorscope.core.compare.ComparedSide;
import org.tensorscope.core.compare.Comparison;
import org.tensorscope.core.compare.Divergence;
import org.tensorscope.core.compare.ErrorMetrics;
import org.tensorscope.core.compare.PairStatus;
import org.tensorscope.core.compare.TensorMatching;
import org.tensorscope.core.compare.TensorPair;
import org.tensorscope.core.compare.WeightPair;
import org.tensorscope.core.compare.WeightsComparison;
import org.tensorscope.core.model.Shape;
import org.tensorscope.report.CompareReportHtml;
import org.tensorscope.report.CompareReportJson;
import org.tensorscope.report.CompareReportText;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** The three renderings of one comparison: what diverged first and why, the numbers, the chart. */
class CompareReportsTest {

    private static ErrorMetrics metrics(double abs, long mismatches, long beyond) {
        return new ErrorMetrics(4, abs, abs / 2, abs / 3, 0.999, 0, 0, mismatches, 0, mismatches, beyond,
                abs == 0 ? List.of() : List.of(2L), abs == 0 ? Double.NaN : 6, abs == 0 ? Double.NaN : 6 + abs);
    }

    private static Comparison perturbed() {
        Shape four = Shape.of(4);
        TensorPair x = new TensorPair(0, "x:0", "x:0", "Placeholder", true, "float32", four, four, PairStatus.MATCH,
                metrics(0, 0, 0), "");
        TensorPair mul = new TensorPair(3, "mul:0", "mul:0", "Mul", false, "float32", four, four, PairStatus.DIVERGED,
                metrics(0.03, 0, 1), "");
        TensorPair add = new TensorPair(4, "add:0", "add:0", "Add", false, "float32", four, four, PairStatus.NOT_COMPARED,
                null, "B: add:0 was not computed for this input");
        TensorPair out = new TensorPair(5, "out:0", "out:0", "Relu", false, "float32", four, four, PairStatus.DIVERGED,
                metrics(0.03, 1, 1), "", true);
        WeightPair w = new WeightPair(0, "w", "w", "float32", four, four, PairStatus.DIVERGED, metrics(0.01, 0, 1),
                Double.POSITIVE_INFINITY, "");
        WeightPair b = new WeightPair(1, "b", "b", "float32", four, four, PairStatus.MATCH, metrics(0, 0, 0), 0, "");
        ComparedSide a = new ComparedSide("a.pb", "TensorFlow frozen GraphDef", "serving_default", List.of("x = ramp"), "");
        ComparedSide sideB = new ComparedSide("b.pb", "TensorFlow frozen GraphDef", "serving_default",
                List.of("x = A's values"), "");
        return new Comparison(a, sideB, 1e-4, TensorMatching.NAME, List.of(x, mul, add, out),
                Optional.of(new Divergence(mul, List.of("w:0"))), List.of(), List.of("extra:0"),
                new WeightsComparison(TensorMatching.NAME, List.of(w, b), List.of(), List.of()), false);
    }

    @Test
    void aDivergenceWithAnInputNotComparedSaysSoInsteadOfBlamingTheOp() {
        Comparison c = perturbed();
        Divergence d = new Divergence(c.firstDivergence().orElseThrow().pair(), List.of(), List.of("hidden:0"));
        Comparison uncompared = new Comparison(c.a(), c.b(), c.tolerance(), c.matching(), c.pairs(),
                Optional.of(d), c.unmatchedA(), c.unmatchedB(), c.weights(), false);
        String text = CompareReportText.toText(uncompared, 10);
        assertTrue(text.contains("  its input hidden:0 was not compared (no counterpart, or no value): the "
                + "difference may come from before this op"), text);
        assertFalse(text.contains("its inputs match"), text);
        String html = CompareReportHtml.toHtml(uncompared);
        assertTrue(html.contains("<code>hidden:0</code> were not compared"), html);
        assertFalse(html.contains("Its inputs match"), html);
    }

    @Test
    void textNamesTheFirstDivergenceItsReasonAndTheOutputs() {
        String text = CompareReportText.toText(perturbed(), 10);
        assertTrue(text.contains("First divergence: mul (Mul), tensor mul:0, #3 in execution order"), text);
        assertTrue(text.contains("because its input w:0 already differs; every computed tensor before it matches"), text);
        assertTrue(text.contains("max abs 0.03  max rel 0.015  cosine 0.999  1 of 4 beyond, worst at [2]: A 6, B 6.03"),
                text);
        assertTrue(text.contains("Output:           out:0  max abs 0.03"), text);
        assertTrue(text.contains("NaN A/B 0/1"), text);
        assertTrue(text.contains("#5     out:0 (Relu)  error +Inf"), "a NaN mismatch tops the largest errors: " + text);
        assertFalse(text.contains("#0     x:0"), "an input is not among the largest errors: " + text);
        assertTrue(text.contains("not compared: add:0 (B: add:0 was not computed for this input)"), text);
        assertTrue(text.contains("1 of B unmatched (extra:0)"), text);
        assertTrue(text.contains("Weights:          2 paired by name, 1 differ: w"), text);
        assertTrue(text.contains("Result:           the two sides diverge beyond the tolerance 0.0001"), text);
    }

    @Test
    void jsonHoldsEveryPairAndSpellsNonFiniteNumbers() {
        String json = CompareReportJson.toJson(perturbed());
        JsonObject o = JsonParser.parseString(json).getAsJsonObject();
        assertEquals("comparison", o.get("kind").getAsString());
        assertTrue(o.get("diverged").getAsBoolean());
        assertEquals("name", o.get("matching").getAsString());
        assertEquals("mul", o.getAsJsonObject("firstDivergence").get("op").getAsString());
        assertEquals("w:0", o.getAsJsonObject("firstDivergence").getAsJsonArray("differingInputs").get(0).getAsString());
        assertEquals(4, o.getAsJsonArray("tensors").size());
        JsonObject mul = o.getAsJsonArray("tensors").get(1).getAsJsonObject();
        assertEquals(0.03, mul.getAsJsonObject("metrics").get("maxAbsError").getAsDouble(), 1e-12);
        assertEquals("diverged", mul.get("status").getAsString());
        assertEquals(4, mul.getAsJsonArray("shapeA").get(0).getAsInt());
        assertTrue(o.getAsJsonArray("tensors").get(2).getAsJsonObject().get("metrics").isJsonNull());
        assertTrue(o.getAsJsonArray("tensors").get(3).getAsJsonObject().get("output").getAsBoolean());
        assertEquals("NaN", o.getAsJsonArray("tensors").get(0).getAsJsonObject().getAsJsonObject("metrics")
                .get("worstA").getAsString());
        JsonObject weights = o.getAsJsonObject("weights");
        assertEquals("Infinity", weights.getAsJsonArray("pairs").get(0).getAsJsonObject().get("relativeChange").getAsString());
        assertEquals("w", weights.get("ranked").getAsJsonArray().get(0).getAsString());
        assertTrue(weights.get("firstNonFinite").isJsonNull());
        assertEquals("extra:0", o.getAsJsonArray("unmatchedB").get(0).getAsString());
    }

    @Test
    void htmlIsSelfContainedWithTheErrorChart() {
        String html = CompareReportHtml.toHtml(perturbed());
        assertTrue(html.contains("First divergence: <code>mul</code> (Mul), #3 in execution order"), html);
        assertTrue(html.contains("<code>w:0</code> already differ"), html);
        assertTrue(html.contains("<svg"), "the chart is inline SVG");
        assertEquals(4, html.split("<rect ", -1).length - 1, "one bar per pair");
        assertTrue(html.contains("<title>#1 mul:0 (Mul): 0.01</title>"), "a bar tells its tensor and error");
        assertTrue(html.contains("<title>#2 add:0 (Add): not compared</title>"), html);
        assertTrue(html.contains("<title>#3 out:0 (Relu): +Inf</title>"), "a NaN mismatch reaches the top");
        assertTrue(html.contains("tolerance 0.0001"), "the tolerance is drawn");
        assertFalse(html.contains("<script") || html.contains("src=\"http") || html.contains("href=\"http"),
                "no external resources");
    }

    @Test
    void everyRenderingSaysWhenOutputsWerePairedByShape() {
        Comparison c = perturbed();
        String note = "outputs paired by shape, in order, not by signature key, as their keys differ: Identity with "
                + "ld_3d [1,195]";
        Comparison noted = new Comparison(c.a(), c.b(), c.tolerance(), TensorMatching.POSITION, c.pairs(),
                c.firstDivergence(), c.unmatchedA(), c.unmatchedB(), c.weights(), false, List.of(note));
        assertTrue(CompareReportText.toText(noted, 10).contains("\n  note: " + note + "\n"), CompareReportText.toText(noted, 10));
        assertEquals(note, JsonParser.parseString(CompareReportJson.toJson(noted)).getAsJsonObject()
                .getAsJsonArray("matchingNotes").get(0).getAsString());
        assertTrue(CompareReportHtml.toHtml(noted).contains("<p>Note: " + note + ".</p>"));
        assertEquals(0, JsonParser.parseString(CompareReportJson.toJson(c)).getAsJsonObject()
                .getAsJsonArray("matchingNotes").size(), "nothing to note: an empty list");
    }
}
