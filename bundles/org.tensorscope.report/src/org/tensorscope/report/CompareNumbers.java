package org.tensorscope.report;

import java.io.IOException;

import org.tensorscope.core.report.Numbers;

import com.google.gson.stream.JsonWriter;

/**
 * How the comparison renderers write numbers: for people as every report does ({@link Numbers});
 * in JSON by the reports' policy ({@link JsonNumbers}).
 */
final class CompareNumbers {

    private CompareNumbers() {
    }

    static String text(double value) {
        return Numbers.format(value);
    }

    static void json(JsonWriter out, double value) throws IOException {
        if (Double.isFinite(value)) {
            out.value(value);
        } else {
            out.value(JsonNumbers.spelled(value));
        }
    }
}
