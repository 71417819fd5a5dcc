package org.tensorscope.report;

import java.io.IOException;
import java.util.Locale;

import org.tensorscope.core.analysis.NanOrigin;
import org.tensorscope.core.report.NanReport;

import com.google.gson.Gson;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;

/**
 * Writes a {@link NanReport} as JSON (schema: docs/trace-report.md). Numbers follow
 * {@link JsonNumbers}: NaN and ±Inf are the strings "NaN", "Infinity" and "-Infinity"; an origin's
 * kind is "input", "weights" or "computation".
 */
public final class ReportJson {

    private static final Gson GSON = JsonNumbers.gson()
            .serializeNulls()
            .registerTypeAdapter(NanOrigin.Kind.class, new KindInWords())
            .create();

    private ReportJson() {
    }

    public static String toJson(NanReport report) {
        return GSON.toJson(report);
    }

    public static NanReport fromJson(String json) {
        return GSON.fromJson(json, NanReport.class);
    }

    /** The kind as the lower-case word the schema documents. */
    private static final class KindInWords extends TypeAdapter<NanOrigin.Kind> {

        @Override
        public void write(JsonWriter out, NanOrigin.Kind kind) throws IOException {
            if (kind == null) {
                out.nullValue();
            } else {
                out.value(kind.displayName());
            }
        }

        @Override
        public NanOrigin.Kind read(JsonReader in) throws IOException {
            if (in.peek() == com.google.gson.stream.JsonToken.NULL) {
                in.nextNull();
                return null;
            }
            String word = in.nextString();
            try {
                return NanOrigin.Kind.valueOf(word.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IOException("an origin's kind must be input, weights or computation, not \"" + word + "\"", e);
            }
        }
    }
}
