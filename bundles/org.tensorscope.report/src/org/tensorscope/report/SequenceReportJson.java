package org.tensorscope.report;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

import org.tensorscope.core.sequence.DriftFinding;
import org.tensorscope.core.sequence.JitterStats;
import org.tensorscope.core.sequence.NanFinding;
import org.tensorscope.core.sequence.OpStat;
import org.tensorscope.core.sequence.SequenceResult;
import org.tensorscope.core.sequence.SequenceStep;
import org.tensorscope.core.sequence.ValueSummary;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonWriter;

/**
 * Writes a {@link SequenceResult} as JSON (schema: docs/sequence.md). Per-op values are columns: the op list is
 * given once and each step holds arrays in its order. Values that are not finite become {@code null}; the NaN step's
 * trace is the same JSON {@code tensorscope trace} writes.
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
            json.endObject();
            json.endObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static void step(JsonWriter json, SequenceStep step, List<String> ops) throws IOException {
        json.beginObject().name("step").value(step.index()).name("frame").value(step.frame());
        values(json.name("outputs"), step.outputs());
        values(json.name("states"), step.states());
        java.util.Map<String, OpStat> byTensor = new java.util.HashMap<>();
        step.ops().forEach(o -> byTensor.put(o.tensor(), o));
        json.name("opMaxAbs").beginArray();
        for (String op : ops) {
            OpStat o = byTensor.get(op);
            number(json, o == null ? Double.NaN : o.maxAbs());
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
        json.name("unchecked").value(step.unchecked().size());
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
        if (Double.isFinite(v)) {
            json.value(v);
        } else {
            json.nullValue();
        }
    }
}
