package org.tensorscope.report;

import java.io.IOException;

import org.tensorscope.core.report.NanReport;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;

/**
 * Writes a {@link NanReport} as JSON (schema: docs/trace-report.md). Values that are not
 * finite (an unknown minimum, say) become {@code null}, since JSON has no NaN.
 */
public final class ReportJson {

    private static final Gson GSON = new GsonBuilder()
            .setPrettyPrinting()
            .disableHtmlEscaping()
            .serializeNulls()
            .registerTypeAdapter(Double.class, new FiniteOrNull())
            .registerTypeAdapter(double.class, new FiniteOrNull())
            .create();

    private ReportJson() {
    }

    public static String toJson(NanReport report) {
        return GSON.toJson(report);
    }

    public static NanReport fromJson(String json) {
        return GSON.fromJson(json, NanReport.class);
    }

    private static final class FiniteOrNull extends TypeAdapter<Double> {

        @Override
        public void write(JsonWriter out, Double value) throws IOException {
            if (value == null || !Double.isFinite(value)) {
                out.nullValue();
            } else {
                out.value(value);
            }
        }

        @Override
        public Double read(JsonReader in) throws IOException {
            if (in.peek() == com.google.gson.stream.JsonToken.NULL) {
                in.nextNull();
                return Double.NaN;
            }
            return in.nextDouble();
        }
    }
}
