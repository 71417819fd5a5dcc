package org.tensorscope.report;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

import org.tensorscope.core.sequence.DriftFinding;
import org.tensorscope.core.sequence.JitterStats;
import org.tensorscope.core.sequence.NanFinding;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.sequence.OpStat;
import org.tensorscope.core.sequence.SequenceFindings;
import org.tensorscope.core.sequence.SequenceResult;
import org.tensorscope.core.sequence.SequenceStep;
import org.tensorscope.core.sequence.ValueSummary;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonWriter;

/**
 * Writes a {@link SequenceResult} as JSON (schema: docs/sequence.md). Per-op values are columns: the op list is
 * given once and each step holds arrays in its order. Numbers follow {@link JsonNumbers} (NaN and ±Inf are the
 * strings "NaN", "Infinity" and "-Infinity"), so {@code null} in a step's op columns means one thing only: the step
 * did not check that op; what could not be checked is listed with the reason. The NaN step's trace is the same JSON
 * {@code tensorscope trace} writes.
 */
public final class SequenceReportJson {

    /** Written as "kind"; a reader tells a sequence report from a NaN trace report by it. */
    public static final String KIND = "sequence";

    private static final Gson NESTED = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    private SequenceReportJson() {
    }

    public static String toJson(SequenceResult r) {
        StringWriter text = new StringWriter();
        try (JsonWriter json = new JsonWriter(text)) {
            json.setIndent("  ");
            json.setSerializeNulls(true);
            json.beginObject();
            json.name("kind").value(KIND);
            json.name("model").value(r.model());
            json.name("format").value(r.format());
            json.name("signature").value(r.signature());
            json.name("device").value(r.device());
            json.name("deviceNote").value(r.deviceNote());
            json.name("healthMode").value(r.healthMode());
            json.name("frames").value(r.frames());
            json.name("framesInput").value(r.framesInput());
            strings(json.name("feedback"), r.feedback());
            json.name("stepsAsked").value(r.stepsAsked());
            json.name("stepsRun").value(r.steps().size());
            json.name("stopped").value(r.stopped().isEmpty() ? null : r.stopped());
            json.name("driftFactor");
            number(json, r.driftFactor());
            json.name("keptInputBytes").value(r.keptInputBytes());
            json.name("rerun").value(r.rerunText());
            unchecked(json.name("unchecked"), r.unchecked());
            fidelity(json.name("fidelity"), r);
            strings(json.name("outputs"), r.outputNames());
            strings(json.name("states"), r.stateNames());
            List<String> ops = r.opTensors();
            json.name("ops").beginArray();
            for (String op : ops) {
                json.beginObject().name("tensor").value(op).name("type")
                        .value(r.steps().stream().map(s -> s.op(op)).filter(java.util.Optional::isPresent)
                                .map(o -> o.get().opType()).findFirst().orElse(""))
                        .endObject();
            }
            json.endArray();
            json.name("steps").beginArray();
            for (SequenceStep step : r.steps()) {
                step(json, step, ops);
            }
            json.endArray();
            json.name("findings").beginObject();
            nan(json, r.findings().nan());
            json.name("drift").beginArray();
            for (DriftFinding d : r.findings().drift()) {
                json.beginObject().name("name").value(d.name()).name("kind").value(d.kind()).name("step").value(d.step())
                        .name("baseStep").value(d.baseStep());
                number(json.name("baseNorm"), d.baseNorm());
                number(json.name("norm"), d.norm());
                number(json.name("factor"), d.factor());
                number(json.name("growthPerStep"), d.growthPerStep());
                json.name("op").value(d.op()).name("opType").value(d.opType()).name("opStep").value(d.opStep());
                json.endObject();
            }
            json.endArray();
            json.name("jitter").beginArray();
            for (JitterStats j : r.findings().jitter()) {
                json.beginObject().name("output").value(j.output()).name("changes").value(j.changes());
                number(json.name("meanChange"), j.meanChange());
                number(json.name("maxChange"), j.maxChange());
                json.name("maxChangeStep").value(j.maxChangeStep()).name("filter").value(j.filter());
                number(json.name("filteredMeanChange"), j.filteredMeanChange());
                number(json.name("reduction"), j.reduction());
                number(json.name("meanLag"), j.meanLag());
                json.endObject();
            }
            json.endArray();
            json.name("notWatched").beginArray();
            for (SequenceFindings.NotWatched n : r.findings().notWatched()) {
                json.beginObject().name("name").value(n.name()).name("kind").value(n.kind()).name("reason")
                        .value(n.reason()).endObject();
            }
            json.endArray();
            json.endObject();
            json.endObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static void step(JsonWriter json, SequenceStep step, List<String> ops) throws IOException {
        json.beginObject().name("step").value(step.index()).name("frame").value(step.frame());
        json.name("canRerun").value(step.inputs().canRerun());
        values(json.name("outputs"), step.outputs());
        values(json.name("states"), step.states());
        java.util.Map<String, OpStat> byTensor = new java.util.HashMap<>();
        step.ops().forEach(o -> byTensor.put(o.tensor(), o));
        json.name("opMaxAbs").beginArray();
        for (String op : ops) {
            OpStat o = byTensor.get(op);
            if (o == null) {
                json.nullValue(); // not checked at this step
            } else {
                number(json, o.maxAbs());
            }
        }
        json.endArray();
        json.name("opNonFinite").beginArray();
        for (String op : ops) {
            OpStat o = byTensor.get(op);
            if (o == null) {
                json.nullValue();
            } else {
                json.value(o.nonFinite());
            }
        }
        json.endArray();
        json.name("unchecked").beginArray();
        for (SequenceStep.Unchecked u : step.unchecked()) {
            json.value(u.tensor());
        }
        json.endArray();
        json.endObject();
    }

    private static void values(JsonWriter json, List<ValueSummary> values) throws IOException {
        json.beginArray();
        for (ValueSummary v : values) {
            json.beginObject().name("name").value(v.name()).name("tensor").value(v.tensor()).name("shape")
                    .value(v.shape()).name("elements").value(v.elements());
            number(json.name("norm"), v.norm());
            number(json.name("maxAbs"), v.maxAbs());
            json.name("nan").value(v.nan()).name("negInf").value(v.negInf()).name("posInf").value(v.posInf());
            json.endObject();
        }
        json.endArray();
    }

    private static void nan(JsonWriter json, NanFinding nan) throws IOException {
        json.name("nan");
        if (nan == null) {
            json.nullValue();
            return;
        }
        json.beginObject().name("step").value(nan.step()).name("op").value(nan.op()).name("opType").value(nan.opType())
                .name("kind").value(nan.kind() == null ? null : nan.kind().displayName()).name("trace");
        if (nan.report() == null) {
            json.nullValue();
        } else {
            NESTED.toJson(JsonParser.parseString(ReportJson.toJson(nan.report())), json);
        }
        json.endObject();
    }

    private static void strings(JsonWriter json, List<String> values) throws IOException {
        json.beginArray();
        for (String v : values) {
            json.value(v);
        }
        json.endArray();
    }

    private static void number(JsonWriter json, double v) throws IOException {
        CompareNumbers.json(json, v);
    }

    private static void unchecked(JsonWriter json, List<NanReport.Unchecked> unchecked) throws IOException {
        json.beginArray();
        for (NanReport.Unchecked u : unchecked) {
            json.beginObject().name("tensor").value(u.tensor()).name("reason").value(u.reason()).endObject();
        }
        json.endArray();
    }

    /** The step's traced run against a plain run, shaped as the trace report's {@code fidelity} plus the step. */
    private static void fidelity(JsonWriter json, SequenceResult r) throws IOException {
        NanReport.Fidelity f = r.fidelity();
        if (f == null) {
            json.nullValue();
            return;
        }
        json.beginObject().name("step").value(r.fidelityStep()).name("agree").value(f.agree());
        number(json.name("tolerance"), f.tolerance());
        json.name("outputs").beginArray();
        for (NanReport.OutputComparison o : f.outputs()) {
            json.beginObject().name("tensor").value(o.tensor()).name("tracedNonFinite").value(o.tracedNonFinite())
                    .name("plainNonFinite").value(o.plainNonFinite()).name("tracedNan").value(o.tracedNan())
                    .name("plainNan").value(o.plainNan());
            number(json.name("maxDifference"), o.maxDifference());
            json.endObject();
        }
        json.endArray();
        strings(json.name("rewrites"), f.rewrites());
        json.name("explanation").value(f.explanation());
        json.endObject();
    }
}
