package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.tensorscope.tensorflow.internal.run.ThreeDigits;

/** ThreeDigits writes what String.format("%.3g") writes, on the edges of its notations and on random doubles. */
class ThreeDigitsTest {

    private static void same(double value) {
        assertEquals(String.format(Locale.ROOT, "%.3g", value), ThreeDigits.of(value), "for " + value);
    }

    @Test
    void edges() {
        for (double v : new double[] {0, -0.0, 1, 3, 6, 7, 9.995, 9.994999, 99.95, 999.4, 999.5, 999.6, 1000, 0.0001,
                0.00009999, 0.000099995, 0.00099995, 1e-5, 3e30, 3.4028234663852886e38, Float.MAX_VALUE / (1 << 20),
                Double.MIN_VALUE, Double.MAX_VALUE, 1.005, 2.675, 0.125, 0.0625, 123456789, 1e100, 4.4184, 9.9608e37,
                -2.5, -1e-7, Double.NaN, Double.POSITIVE_INFINITY}) {
            same(v);
        }
    }

    @Test
    void randomDoubles() {
        Random random = new Random(11);
        for (int i = 0; i < 200_000; i++) {
            double v = (random.nextDouble() * 10) * Math.pow(10, random.nextInt(80) - 40);
            same(i % 3 == 0 ? (float) v : v);
            same(Math.round(v * 1000) / 1000.0);
        }
    }
}
