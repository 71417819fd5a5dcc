package org.tensorscope.report;

import java.io.IOException;
import java.util.Locale;

import com.google.gson.stream.JsonWriter;

/**
 * How the comparison renderers write numbers: for people, five significant digits with trailing
 * zeros dropped and NaN, +Inf, -Inf; in JSON, a finite number at full precision and the strings
 * "NaN", "Infinity", "-Infinity" for the others (JSON has no such numbers).
 */
final class CompareNumbers {

    private CompareNumbers() {
    }

    static String text(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == 0) {
            return "0";
        }
        String text = String.format(Locale.ROOT, "%.5g", value);
        int exponent = text.indexOf('e');
        String mantissa = exponent < 0 ? text : text.substring(0, exponent);
        if (mantissa.indexOf('.') >= 0) {
            mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return exponent < 0 ? mantissa : mantissa + text.substring(exponent);
    }

    static void json(JsonWriter out, double value) throws IOException {
        if (Double.isFinite(value)) {
            out.value(value);
        } else {
            out.value(Double.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }
}
