package org.tensorscope.report.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.tensorscope.report.Numbers;

/** Numbers as the command line, the HTML report, the Inspector, the values grid and the NaN Trace view write them. */
class NumbersTest {

    @Test
    void fiveSignificantDigitsWithoutTrailingZeros() {
        assertEquals("-3.3965e+38", Numbers.format(-3.396528009268411E38));
        assertEquals("3.1271e+37", Numbers.format(3.127101251728126E37));
        assertEquals("0.125", Numbers.format(0.125));
        assertEquals("255", Numbers.format(255));
        assertEquals("1", Numbers.format(1.0000001));
        assertEquals("0", Numbers.format(-0.0));
        assertEquals("1.2346e-05", Numbers.format(0.0000123456));
    }

    @Test
    void nonFiniteValuesAreSpelledAsInTheReports() {
        assertEquals("NaN", Numbers.format(Double.NaN));
        assertEquals("+Inf", Numbers.format(Double.POSITIVE_INFINITY));
        assertEquals("-Inf", Numbers.format(Double.NEGATIVE_INFINITY));
    }

    @Test
    void theLocaleDoesNotChangeTheDecimalPoint() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertEquals("0.5", Numbers.format(0.5));
            assertEquals("1.5 KB", Numbers.bytes(1536));
            Locale.setDefault(Locale.FRANCE);
            assertEquals("-1.2346e+06", Numbers.format(-1234567.5));
            assertEquals("2.5 MB", Numbers.bytes(5 << 19));
        } finally {
            Locale.setDefault(before);
        }
    }
}
