package org.tensorscope.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.tensorscope.core.analysis.TensorStats;
import org.tensorscope.core.input.InputCheck;
import org.tensorscope.core.input.InputSources;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.report.Numbers;
import org.tensorscope.core.tensor.TensorData;

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
            TensorData fed = TensorData.ofFloats("x", Shape.of(3), 0.5f, 1.25f, Float.NaN);
            assertEquals(List.of("input x already holds 1 NaN and 0 infinite values",
                    "input x has values in [0.5, 1.25], outside the range [0, 1] its source promises"),
                    InputCheck.health("x", InputSources.parse("ramp"), TensorStats.of(fed)),
                    "core's sentences write numbers the same way");
        } finally {
            Locale.setDefault(before);
        }
    }
}
