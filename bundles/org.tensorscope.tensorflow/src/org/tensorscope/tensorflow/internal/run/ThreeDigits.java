package org.tensorscope.tensorflow.internal.run;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * A finite number as {@code String.format(Locale.ROOT, "%.3g", value)} writes it, without a Formatter: a CURT pass
 * writes one such number per bounded tensor (a hundred or more per pass), and the Formatter was a tenth of the
 * pass's Java time. Same digits: the shortest decimal form of the double, rounded half up to three significant
 * digits; fixed notation from 1e-4 up to 1000 (after rounding), scientific notation otherwise.
 */
public final class ThreeDigits {

    private static final MathContext THREE = new MathContext(3, RoundingMode.HALF_UP);

    private ThreeDigits() {
    }

    public static String of(double value) {
        if (!Double.isFinite(value)) {
            return String.format(java.util.Locale.ROOT, "%.3g", value);
        }
        if (value == 0) {
            return (1 / value < 0 ? "-" : "") + "0.00";
        }
        BigDecimal rounded = new BigDecimal(Double.toString(value)).round(THREE);
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent >= -4 && exponent < 3) {
            return rounded.setScale(2 - exponent, RoundingMode.UNNECESSARY).toPlainString();
        }
        String digits = rounded.unscaledValue().abs().toString();
        digits = (digits + "00").substring(0, 3);
        StringBuilder text = new StringBuilder(10);
        if (rounded.signum() < 0) {
            text.append('-');
        }
        text.append(digits.charAt(0)).append('.').append(digits, 1, 3).append('e').append(exponent < 0 ? '-' : '+');
        int magnitude = Math.abs(exponent);
        if (magnitude < 10) {
            text.append('0');
        }
        return text.append(magnitude).toString();
    }
}
