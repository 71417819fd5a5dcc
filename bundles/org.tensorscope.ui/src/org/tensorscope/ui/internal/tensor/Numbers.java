package org.tensorscope.ui.internal.tensor;

import java.util.Locale;

/**
 * How the workbench writes a number: five significant digits in any locale, trailing zeros dropped
 * (-3.3965e+38, 0.125, 255), and NaN, +Inf and -Inf spelled as in the reports.
 */
public final class Numbers {

    private Numbers() {
    }

    public static String format(double value) {
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
}
