package org.tensorscope.report;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

import org.tensorscope.core.compare.ComparedSide;
import org.tensorscope.core.compare.Comparison;
import org.tensorscope.core.compare.Divergence;
import org.tensorscope.core.compare.ErrorMetrics;
import org.tensorscope.core.compare.TensorPair;
import org.tensorscope.core.compare.WeightPair;
import org.tensorscope.core.compare.WeightsComparison;
import org.tensorscope.core.model.Shape;

import com.google.gson.stream.JsonWriter;

/**
 * Writes a {@link Comparison} as JSON (schema: docs/compare.md). Numbers that are not finite are
 * written as the strings "NaN", "Infinity" and "-Infinity".
 */
public final class CompareReportJson {

    private CompareReportJson() {
    }

    public static String toJson(Comparison c) {
        StringWriter text = new StringWriter();
        try (JsonWriter out = new JsonWriter(text)) {
            out.setIndent("  ");
            out.setHtmlSafe(false);
            out.beginObject();
            out.name("kind").value("comparison");
            out.name("a");
            side(out, c.a());
            out.name("b");
            side(out, c.b());
            out.name("tolerance");
            CompareNumbers.json(out, c.tolerance());
            out.name("weightsOnly").value(c.weightsOnly());
            out.name("diverged").value(c.diverged());
            out.name("matching").value(c.matching().displayName());
            out.name("matchingDescription").value(c.matching().description());
            strings(out, "matchingNotes", c.matchingNotes());
            out.name("matched").value(c.pairs().size());
            out.name("compared").value(c.comparedCount());
            strings(out, "unmatchedA", c.unmatchedA());
            strings(out, "unmatchedB", c.unmatchedB());
            out.name("firstDivergence");
            if (c.firstDivergence().isEmpty()) {
                out.nullValue();
            } else {
                Divergence d = c.firstDivergence().get();
                out.beginObject();
                out.name("tensorA").value(d.pair().tensorA());
                out.name("tensorB").value(d.pair().tensorB());
                out.name("op").value(d.pair().opA());
                out.name("opType").value(d.pair().opType());
                out.name("order").value(d.pair().order());
                strings(out, "differingInputs", d.differingInputs());
                strings(out, "uncomparedInputs", d.uncomparedInputs());
                out.endObject();
            }
            out.name("tensors").beginArray();
            for (TensorPair p : c.pairs()) {
                out.beginObject();
                out.name("order").value(p.order());
                out.name("tensorA").value(p.tensorA());
                out.name("tensorB").value(p.tensorB());
                out.name("opType").value(p.opType());
                out.name("input").value(p.input());
                out.name("output").value(p.output());
                out.name("dtype").value(p.dtype());
                shape(out, "shapeA", p.shapeA());
                shape(out, "shapeB", p.shapeB());
                out.name("status").value(p.status().displayName());
                out.name("note").value(p.note());
                metrics(out, p.metrics());
                out.endObject();
            }
            out.endArray();
            out.name("weights");
            weights(out, c.weights());
            out.endObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return text.toString() + "\n";
    }

    private static void side(JsonWriter out, ComparedSide side) throws IOException {
        out.beginObject();
        out.name("model").value(side.model());
        out.name("format").value(side.format());
        out.name("signature").value(side.signature());
        strings(out, "inputs", side.inputs());
        out.name("deviceNote").value(side.deviceNote());
        out.endObject();
    }

    private static void weights(JsonWriter out, WeightsComparison w) throws IOException {
        if (w == null) {
            out.nullValue();
            return;
        }
        out.beginObject();
        out.name("matching").value(w.matching().displayName());
        out.name("firstNonFinite").value(w.firstNonFinite().map(WeightPair::weightA).orElse(null));
        out.name("mostChanged").value(w.mostChanged().map(WeightPair::weightA).orElse(null));
        strings(out, "ranked", w.ranked().stream().map(WeightPair::weightA).toList());
        strings(out, "unmatchedA", w.unmatchedA());
        strings(out, "unmatchedB", w.unmatchedB());
        out.name("pairs").beginArray();
        for (WeightPair p : w.pairs()) {
            out.beginObject();
            out.name("order").value(p.order());
            out.name("weightA").value(p.weightA());
            out.name("weightB").value(p.weightB());
            out.name("dtype").value(p.dtype());
            shape(out, "shapeA", p.shapeA());
            shape(out, "shapeB", p.shapeB());
            out.name("status").value(p.status().displayName());
            out.name("note").value(p.note());
            out.name("relativeChange");
            CompareNumbers.json(out, p.relativeChange());
            metrics(out, p.metrics());
            out.endObject();
        }
        out.endArray();
        out.endObject();
    }

    private static void metrics(JsonWriter out, ErrorMetrics m) throws IOException {
        out.name("metrics");
        if (m == null) {
            out.nullValue();
            return;
        }
        out.beginObject();
        out.name("elements").value(m.elements());
        number(out, "maxAbsError", m.maxAbsError());
        number(out, "maxRelError", m.maxRelError());
        number(out, "error", m.error());
        number(out, "cosine", m.cosine());
        out.name("nanA").value(m.nanA());
        out.name("infA").value(m.infA());
        out.name("nanB").value(m.nanB());
        out.name("infB").value(m.infB());
        out.name("nonFiniteMismatches").value(m.nonFiniteMismatches());
        out.name("beyondTolerance").value(m.beyondTolerance());
        out.name("worstPosition").beginArray();
        for (long i : m.worstPosition()) {
            out.value(i);
        }
        out.endArray();
        number(out, "worstA", m.worstA());
        number(out, "worstB", m.worstB());
        out.endObject();
    }

    private static void number(JsonWriter out, String name, double value) throws IOException {
        out.name(name);
        CompareNumbers.json(out, value);
    }

    private static void strings(JsonWriter out, String name, List<String> values) throws IOException {
        out.name(name).beginArray();
        for (String v : values) {
            out.value(v);
        }
        out.endArray();
    }

    private static void shape(JsonWriter out, String name, Shape shape) throws IOException {
        out.name(name);
        if (shape == null || !shape.hasKnownRank()) {
            out.nullValue();
            return;
        }
        out.beginArray();
        for (long d : shape.dims()) {
            out.value(d);
        }
        out.endArray();
    }
}
