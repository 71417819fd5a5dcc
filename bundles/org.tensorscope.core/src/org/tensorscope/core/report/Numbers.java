package org.tensorscope.core.report;

import java.util.Locale;

/**
 * How Tensorscope writes a number for people to read, on the command line, in the HTML report,
 * in the workbench and in the sentences core writes for them: five significant digits with
 * trailing zeros dropped ({@code -3.3965e+38}, {@code 0.125}, {@code 255}), a point as the decimal
 * mark whatever the default locale, and {@code NaN}, {@code +Inf} and {@code -Inf} for the values
 * that are not finite.
 * <p>
 * JSON does not use this: it keeps full precision and writes non-finite numbers as the report
 * bundle's {@code JsonNumbers} says.
 */
public final class Numbers {

    /** How non-finite values are spelled in text. */
    public static final String NAN = "NaN";
    public static final String POSITIVE_INFINITY = "+Inf";
    public static final String NEGATIVE_INFINITY = "-Inf";

    private Numbers() {
    }

    /** The value in five significant digits, or NaN, +Inf, -Inf. */
    public static String format(double value) {
        if (Double.isNaN(value)) {
            return NAN;
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? POSITIVE_INFINITY : NEGATIVE_INFINITY;
        }
        if (value == 0) {
            return "0";
        }
        String text = String.format(Locale.ROOT, "%.5g", value);
        int exponent = text.indexOf('e');
        String mantissa = exponent < 0 ? text : text.substring(0, exponent);
        if (mantissa.indexOf('.') >= 0) {
            // trailing zeros, then a trailing point; by hand, as the values grid formats every cell shown
            int end = mantissa.length();
            while (mantissa.charAt(end - 1) == '0') {
                end--;
            }
            if (mantissa.charAt(end - 1) == '.') {
                end--;
            }
            mantissa = mantissa.substring(0, end);
        }
        return exponent < 0 ? mantissa : mantissa + text.substring(exponent);
    }

    /** A byte count as "512 B", "1.5 KB" or "3.2 MB". */
    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }
}
