package org.tensorscope.report;

import java.io.IOException;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonPrimitive;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;

/**
 * The one way Tensorscope's JSON ({@code run --json}, {@code info --json}, the trace report) writes
 * a number: a finite number as a JSON number at full precision; NaN, +Inf and -Inf, which JSON
 * has no numbers for, as the strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"}.
 * Every JSON parser reads these, the three stay apart, and they are the spellings that
 * JavaScript's {@code Number(s)}, Python's {@code float(s)} and Java's {@code Double.parseDouble}
 * turn back into the value (see docs/trace-report.md).
 */
public final class JsonNumbers {

    public static final String NAN = "NaN";
    public static final String POSITIVE_INFINITY = "Infinity";
    public static final String NEGATIVE_INFINITY = "-Infinity";

    /** Writes and reads {@code double}/{@code Double} by this policy; also reads {@code null} as NaN. */
    public static final TypeAdapter<Double> ADAPTER = new TypeAdapter<>() {

        @Override
        public void write(JsonWriter out, Double value) throws IOException {
            if (value == null) {
                out.nullValue();
            } else if (Double.isFinite(value)) {
                out.value(value.doubleValue());
            } else {
                out.value(spelled(value));
            }
        }

        @Override
        public Double read(JsonReader in) throws IOException {
            JsonToken token = in.peek();
            if (token == JsonToken.NULL) { // reports written before this policy wrote null
                in.nextNull();
                return Double.NaN;
            }
            return token == JsonToken.STRING ? parse(in.nextString()) : in.nextDouble();
        }
    };

    private JsonNumbers() {
    }

    /** A Gson builder that writes numbers by this policy, as every Tensorscope JSON writer does. */
    public static GsonBuilder gson() {
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
                .registerTypeAdapter(Double.class, ADAPTER).registerTypeAdapter(double.class, ADAPTER);
    }

    /** The value as a JSON element: a number, or the string spelling a non-finite value. */
    public static JsonElement of(double value) {
        return Double.isFinite(value) ? new JsonPrimitive(value) : new JsonPrimitive(spelled(value));
    }

    /** The value of an element written by {@link #of}; {@code null} (older files) reads as NaN. */
    public static double valueOf(JsonElement element) {
        if (element == null || element instanceof JsonNull) {
            return Double.NaN;
        }
        JsonPrimitive primitive = element.getAsJsonPrimitive();
        return primitive.isString() ? parse(primitive.getAsString()) : primitive.getAsDouble();
    }

    /** "NaN", "Infinity" or "-Infinity" for a value that is not finite. */
    public static String spelled(double value) {
        if (Double.isNaN(value)) {
            return NAN;
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? POSITIVE_INFINITY : NEGATIVE_INFINITY;
        }
        throw new IllegalArgumentException(value + " is finite: write it as a number");
    }

    private static double parse(String text) {
        return switch (text) {
            case NAN -> Double.NaN;
            case POSITIVE_INFINITY -> Double.POSITIVE_INFINITY;
            case NEGATIVE_INFINITY -> Double.NEGATIVE_INFINITY;
            default -> throw new NumberFormatException("not a number: \"" + text + "\"");
        };
    }
}
