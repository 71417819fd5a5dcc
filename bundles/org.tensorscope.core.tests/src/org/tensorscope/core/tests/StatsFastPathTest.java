package org.tensorscope.core.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.tensorscope.core.analysis.Histogram;
import org.tensorscope.core.analysis.Histogram.Binning;
import org.tensorscope.core.analysis.StatsAndHistogram;
import org.tensorscope.core.analysis.TensorStats;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.tensor.TensorData;

/**
 * TensorStats and Histogram read buffers in bulk and bin through lookups; here they are held to
 * straightforward element-by-element definitions on random tensors of every numeric type, laced
 * with NaN, infinities, signed zeros and subnormals.
 */
class StatsFastPathTest {

    private static final DType[] NUMERIC = { DType.FLOAT32, DType.FLOAT64, DType.FLOAT16, DType.BFLOAT16, DType.INT8,
            DType.UINT8, DType.INT16, DType.UINT16, DType.INT32, DType.UINT32, DType.INT64, DType.BOOL };

    @Test
    void statsMatchTheDefinitionOnEveryType() {
        Random random = new Random(7);
        for (DType dtype : NUMERIC) {
            for (int size : new int[] { 1, 3, 100, 4095, 4097, 30_000 }) {
                TensorData t = randomTensor(dtype, size, random);
                String what = dtype.displayName() + " x" + size;
                assertMatchesReference(new Reference(t), TensorStats.of(t), what);
            }
        }
    }

    @Test
    void theSummaryWithoutPercentilesMatchesTheDefinitionOnEveryType() {
        Random random = new Random(13);
        for (DType dtype : NUMERIC) {
            for (int size : new int[] { 1, 3, 100, 4095, 4097, 30_000 }) {
                TensorData t = randomTensor(dtype, size, random);
                String what = dtype.displayName() + " x" + size + " summary";
                TensorStats s = TensorStats.summaryOf(t, 1);
                assertTrue(Arrays.stream(s.percentiles()).allMatch(Double::isNaN), what + " has no percentiles");
                assertMatchesReference(new Reference(t), s, what, false);
            }
        }
        TensorData large = randomTensor(DType.FLOAT32, 9_000_000, random);
        TensorStats full = TensorStats.of(large, 1);
        for (int threads : new int[] { 1, 3 }) {
            TensorStats summary = TensorStats.summaryOf(large, threads);
            String what = "summary on " + threads + " threads";
            assertEquals(full.nan(), summary.nan(), what + " NaN");
            assertEquals(full.posInf() + full.negInf(), summary.posInf() + summary.negInf(), what + " infinities");
            assertEquals(full.zeros(), summary.zeros(), what + " zeros");
            assertEquals(full.subnormals(), summary.subnormals(), what + " subnormals");
            assertEquals(full.min(), summary.min(), 0, what + " min");
            assertEquals(full.max(), summary.max(), 0, what + " max");
            assertEquals(full.mean(), summary.mean(), 1e-12 * Math.abs(full.max()), what + " mean");
            assertEquals(full.std(), summary.std(), 1e-9 * full.std(), what + " std");
        }
    }

    private static void assertMatchesReference(Reference r, TensorStats s, String what) {
        assertMatchesReference(r, s, what, true);
    }

    private static void assertMatchesReference(Reference r, TensorStats s, String what, boolean percentiles) {
        assertEquals(r.count, s.count(), what);
        assertEquals(r.nan, s.nan(), what + " NaN");
        assertEquals(r.posInf, s.posInf(), what + " +Inf");
        assertEquals(r.negInf, s.negInf(), what + " -Inf");
        assertEquals(r.zeros, s.zeros(), what + " zeros");
        assertEquals(r.subnormals, s.subnormals(), what + " subnormals");
        if (r.finite == 0) {
            assertTrue(Double.isNaN(s.min()) && Double.isNaN(s.max()) && Double.isNaN(s.mean())
                    && Double.isNaN(s.std()) && Double.isNaN(s.percentile(50)), what + " has no finite value");
            return;
        }
        assertEquals(r.min, s.min(), 0, what + " min");
        assertEquals(r.max, s.max(), 0, what + " max");
        double scale = Math.max(Math.abs(r.min), Math.abs(r.max));
        assertEquals(r.mean, s.mean(), 1e-12 * scale, what + " mean");
        assertEquals(r.std, s.std(), 1e-9 * scale, what + " std");
        if (!percentiles) {
            return;
        }
        double[] p = s.percentiles();
        for (int k = 0; k < p.length; k++) {
            double exact = r.percentiles[k];
            if (r.finite <= 4096) {
                assertEquals(exact, p[k], 0, what + " exact percentile " + TensorStats.PERCENTILE_RANKS[k]);
            } else {
                // from buckets of 1/128 of a binade, interpolated
                assertEquals(exact, p[k], Math.abs(exact) / 64 + 1e-30,
                        what + " percentile " + TensorStats.PERCENTILE_RANKS[k]);
            }
        }
    }

    @Test
    void histogramsCountExactlyAsTheDefinitionOnEveryType() {
        Random random = new Random(11);
        for (DType dtype : NUMERIC) {
            for (int size : new int[] { 1, 100, 5000, 70_000 }) {
                TensorData t = randomTensor(dtype, size, random);
                for (Binning binning : Binning.values()) {
                    for (int bins : new int[] { 1, 7, 100, 1000 }) {
                        String what = dtype.displayName() + " x" + size + " " + binning + " " + bins;
                        Histogram fast = Histogram.of(t, bins, binning);
                        Histogram slow = referenceHistogram(t, bins, binning);
                        assertHistogramsEqual(slow, fast, what);
                        assertHistogramsEqual(slow, Histogram.of(t, bins, binning, TensorStats.of(t)),
                                what + " from stats");
                        StatsAndHistogram both = StatsAndHistogram.of(t, bins, binning);
                        assertHistogramsEqual(slow, both.histogram(), what + " fused");
                        assertStatsEqual(TensorStats.of(t), both.stats(), what + " fused");
                        TensorData other = randomTensor(dtype, size, random);
                        assertHistogramsEqual(referenceCount(other, binning, slow.edges()), fast.sameBins(other),
                                what + " same bins");
                    }
                }
            }
        }
    }

    @Test
    void largeFloatTensorsAreBinnedAsDefinedWithTheirStatistics() {
        // past Histogram's threshold for counting by buckets, with every special value
        Random random = new Random(13);
        for (DType dtype : new DType[] { DType.FLOAT32, DType.FLOAT16, DType.BFLOAT16 }) {
            TensorData t = randomTensor(dtype, 300_000, random);
            TensorData other = randomTensor(dtype, 200_000, random);
            Reference r = new Reference(t);
            for (Binning binning : Binning.values()) {
                for (int bins : new int[] { 1, 2, 7, 100, 1000, 5000 }) {
                    String what = dtype.displayName() + " " + binning + " " + bins;
                    Histogram slow = referenceHistogram(t, bins, binning);
                    StatsAndHistogram both = StatsAndHistogram.of(t, bins, binning);
                    assertHistogramsEqual(slow, both.histogram(), what + " fused");
                    assertHistogramsEqual(slow, Histogram.of(t, bins, binning), what);
                    assertHistogramsEqual(slow, Histogram.of(t, bins, binning, both.stats()), what + " from stats");
                    assertHistogramsEqual(referenceCount(other, binning, slow.edges()), slow.sameBins(other),
                            what + " same bins");
                    assertMatchesReference(r, both.stats(), what);
                }
            }
        }
    }

    @Test
    void largeTensorsOfValuesOnAndNextToBinEdgesAreBinnedAsDefined() {
        // negative and positive values exactly on the edges of 0.01-wide bins and one float32 step
        // either side of them, and values crowded into a few buckets each holding many edges
        float[] values = new float[200_000];
        Random random = new Random(17);
        for (int i = 0; i < values.length; i++) {
            float edge = (random.nextInt(201) - 100) / 100f;
            values[i] = switch (i % 5) {
                case 0 -> edge;
                case 1 -> Math.nextUp(edge);
                case 2 -> Math.nextDown(edge);
                case 3 -> 1 + random.nextInt(1000) * 1e-6f;
                default -> -1 - random.nextInt(1000) * 1e-6f;
            };
        }
        values[7] = -1.5f;
        values[8] = 1.5f;
        TensorData t = TensorData.ofFloats("edges:0", Shape.of(values.length), values);
        for (Binning binning : Binning.values()) {
            for (int bins : new int[] { 3, 300, 3000, 30_000 }) {
                String what = binning + " " + bins;
                Histogram slow = referenceHistogram(t, bins, binning);
                assertHistogramsEqual(slow, Histogram.of(t, bins, binning), what);
                assertHistogramsEqual(slow, StatsAndHistogram.of(t, bins, binning).histogram(), what + " fused");
            }
        }
    }

    @Test
    void aTensorSplitAcrossThreadsHasTheStatisticsAndHistogramOfOnePass() {
        Random random = new Random(23);
        TensorData t = randomTensor(DType.FLOAT32, (1 << 22) + 12_345, random); // past the size that is split
        Reference r = new Reference(t);
        TensorStats alone = TensorStats.of(t, 1);
        Histogram slow = referenceHistogram(t, 100, Binning.SYMLOG);
        Histogram linearSlow = referenceHistogram(t, 100, Binning.LINEAR);
        StatsAndHistogram onePass = StatsAndHistogram.of(t, 100, Binning.SYMLOG, 1);
        StatsAndHistogram onePassLinear = StatsAndHistogram.of(t, 100, Binning.LINEAR, 1);
        assertHistogramsEqual(slow, onePass.histogram(), "one pass");
        assertHistogramsEqual(linearSlow, onePassLinear.histogram(), "one pass, linear");
        for (int threads : new int[] { 2, 3, 8 }) {
            String what = threads + " threads";
            TensorStats split = TensorStats.of(t, threads);
            assertMatchesReference(r, split, what);
            assertArrayEquals(alone.percentiles(), split.percentiles(), 0, what + " percentiles");
            double scale = Math.max(-alone.min(), alone.max());
            assertEquals(alone.mean(), split.mean(), 1e-15 * scale, what + " mean");
            assertEquals(alone.std(), split.std(), 1e-12 * alone.std(), what + " std");
            StatsAndHistogram both = StatsAndHistogram.of(t, 100, Binning.SYMLOG, threads);
            assertMatchesReference(r, both.stats(), what + " fused");
            assertHistogramsEqual(slow, both.histogram(), what + " fused");
            assertHistogramsEqual(onePass.histogram(), both.histogram(), what + " fused, as in one pass");
            assertArrayEquals(onePass.stats().percentiles(), both.stats().percentiles(), 0, what + " fused percentiles");
            StatsAndHistogram linear = StatsAndHistogram.of(t, 100, Binning.LINEAR, threads);
            assertHistogramsEqual(linearSlow, linear.histogram(), what + " fused, linear");
            assertHistogramsEqual(onePassLinear.histogram(), linear.histogram(), what + " fused, linear, as in one pass");
        }
        assertThrows(IllegalArgumentException.class, () -> TensorStats.of(t, 0));
    }

    @Test
    void symlogEdgesAreTheNearestBucketBoundariesAndTheCountsFollowThem() {
        Random random = new Random(31);
        for (DType dtype : new DType[] { DType.FLOAT32, DType.FLOAT16, DType.BFLOAT16, DType.FLOAT64 }) {
            for (int size : new int[] { 1000, 70_000, 300_000 }) {
                TensorData t = randomTensor(dtype, size, random);
                for (int bins : new int[] { 2, 9, 100, 1000 }) {
                    String what = dtype.displayName() + " x" + size + " " + bins + " bins";
                    for (Histogram h : List.of(Histogram.of(t, bins, Binning.SYMLOG),
                            StatsAndHistogram.of(t, bins, Binning.SYMLOG, 1).histogram(),
                            StatsAndHistogram.of(t, bins, Binning.SYMLOG, 3).histogram())) {
                        assertEdgesOnBoundaries(t, h, what);
                        assertHistogramsEqual(referenceCount(t, Binning.SYMLOG, h.edges()), h, what);
                    }
                    // a tensor of the same range whose values are these edges and their neighbours
                    double[] edges = Histogram.of(t, bins, Binning.SYMLOG).edges();
                    TensorData onEdges = valuesAround(dtype, edges, size, random);
                    Histogram again = StatsAndHistogram.of(onEdges, bins, Binning.SYMLOG).histogram();
                    assertArrayEquals(edges, again.edges(), what + " on its edges: the same edges");
                    assertHistogramsEqual(referenceCount(onEdges, Binning.SYMLOG, edges), again, what + " on its edges");
                    assertHistogramsEqual(referenceCount(onEdges, Binning.SYMLOG, edges), Histogram.of(onEdges, bins,
                            Binning.SYMLOG), what + " on its edges, histogram alone");
                }
            }
        }
    }

    /** Inner symmetric-log edges: bucket boundaries (or the min or max), within 1/256 of the exact edge. */
    private static void assertEdgesOnBoundaries(TensorData t, Histogram h, String what) {
        double[] edges = h.edges();
        TensorStats s = TensorStats.of(t);
        if (edges.length < 3) {
            return;
        }
        assertEquals(s.min(), edges[0], 0, what + " first edge is the min");
        assertEquals(s.max(), edges[edges.length - 1], 0, what + " last edge is the max");
        double lo = transform(s.min(), Binning.SYMLOG);
        double[] exact = exactEdges(Binning.SYMLOG, lo, transform(s.max(), Binning.SYMLOG), edges.length - 1);
        for (int b = 1; b < edges.length - 1; b++) {
            double e = edges[b];
            assertTrue(e >= edges[b - 1], what + " edges in order at " + b);
            assertTrue(isBucketBoundary(e) || e == s.min() || e == s.max() || Math.abs(e) > Float.MAX_VALUE,
                    what + " edge " + b + " = " + e + " on a bucket boundary");
            assertEquals(exact[b], e, Math.abs(exact[b]) / 256 + 1e-40, what + " edge " + b + " near the exact one");
        }
    }

    /** Values of this type: the edges given, one step either side of them (as float32), in random order. */
    private static TensorData valuesAround(DType dtype, double[] edges, int size, Random random) {
        ByteBuffer b = ByteBuffer.allocate(size * dtype.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < size; i++) {
            double v;
            if (i < 2) {
                v = edges[i == 0 ? 0 : edges.length - 1]; // the range stays that of the edges
            } else {
                float e = (float) edges[random.nextInt(edges.length)];
                v = switch (random.nextInt(4)) {
                    case 0 -> Math.nextUp(e);
                    case 1 -> Math.nextDown(e);
                    case 2 -> Float.NaN;
                    default -> e;
                };
                v = Math.max(edges[0], Math.min(edges[edges.length - 1], v));
            }
            switch (dtype) {
                case FLOAT32 -> b.putFloat((float) v);
                case FLOAT64 -> b.putDouble(v);
                case FLOAT16 -> b.putShort(Float.floatToFloat16((float) v));
                case BFLOAT16 -> b.putShort((short) (Float.floatToRawIntBits((float) v) >>> 16));
                default -> throw new AssertionError(dtype);
            }
        }
        b.flip();
        return new TensorData("e:0", dtype, Shape.of(size), b);
    }

    /**
     * Linear edges fall inside buckets: the chunks holding values in those buckets are read a second
     * time. Here a few chunks, far apart, hold values on, and next to, edges far from the bulk, so
     * reading again too few chunks (or the wrong ones) changes the counts.
     */
    @Test
    void linearBinsOfValuesNearEdgesInAFewChunksAreCountedAsDefined() {
        Random random = new Random(37);
        float[] values = new float[1 << 21];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        values[5] = -1000;
        values[values.length - 5] = 1000;
        for (int chunk : new int[] { 3, 100, 333, 511 }) {
            for (int k = 0; k < 30; k++) {
                float edge = -1000 + 20 * (1 + random.nextInt(99)); // 100 bins of 20 from -1000
                int step = random.nextInt(3) - 1;
                values[chunk * 4096 + random.nextInt(4096)] = step == 0 ? edge : step < 0 ? Math.nextDown(edge) : Math.nextUp(edge);
            }
        }
        TensorData t = TensorData.ofFloats("few:0", Shape.of(values.length), values);
        Histogram slow = referenceHistogram(t, 100, Binning.LINEAR);
        assertTrue(slow.counts()[1] > 0 && slow.counts()[98] > 0, "values near the far edges");
        for (int threads : new int[] { 1, 2, 3 }) {
            assertHistogramsEqual(slow, StatsAndHistogram.of(t, 100, Binning.LINEAR, threads).histogram(),
                    threads + " threads");
        }
        assertHistogramsEqual(slow, Histogram.of(t, 100, Binning.LINEAR), "histogram alone");
    }

    @Test
    void tensorsWhoseBufferStartsPastOtherBytesAreReadFromTheirFirstValue() {
        Random random = new Random(29);
        for (DType dtype : NUMERIC) {
            for (int size : new int[] { 100, 70_000 }) {
                ByteBuffer own = randomTensor(dtype, size, random).bytes();
                ByteBuffer shifted = ByteBuffer.allocate(own.remaining() + 3).order(ByteOrder.LITTLE_ENDIAN);
                shifted.put(new byte[] { 7, 7, 7 }).put(own).position(3);
                TensorData t = new TensorData("s:0", dtype, Shape.of(size), shifted);
                String what = dtype.displayName() + " x" + size + " after 3 other bytes";
                assertMatchesReference(new Reference(t), TensorStats.of(t), what);
                assertHistogramsEqual(referenceHistogram(t, 10, Binning.LINEAR), Histogram.of(t, 10, Binning.LINEAR), what);
            }
        }
    }

    @Test
    void valuesOnBinEdgesAndConcentratedValuesAreBinnedAsDefined() {
        // many values in few float32 groups, some exactly on edges of 0.01-wide bins
        float[] values = new float[50_000];
        Random random = new Random(3);
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 3 == 0 ? random.nextInt(101) / 100f : 1 + random.nextInt(1000) * 1e-6f;
        }
        TensorData t = TensorData.ofFloats("edges:0", Shape.of(values.length), values);
        for (Binning binning : Binning.values()) {
            assertHistogramsEqual(referenceHistogram(t, 100, binning), Histogram.of(t, 100, binning), binning.name());
        }
    }

    @Test
    void percentilesOfALargeTensorAreCloseAndOrdered() {
        float[] values = new float[1 << 20];
        Random random = new Random(5);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        TensorStats s = TensorStats.of(TensorData.ofFloats("g:0", Shape.of(values.length), values));
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        double[] p = s.percentiles();
        for (int k = 0; k < p.length; k++) {
            double exact = sorted[(int) Math.round(TensorStats.PERCENTILE_RANKS[k] / 100 * (values.length - 1))];
            assertEquals(exact, p[k], Math.abs(exact) / 64 + 1e-6, "percentile " + TensorStats.PERCENTILE_RANKS[k]);
            assertTrue(k == 0 || p[k] >= p[k - 1], "ordered");
        }
        assertEquals(-2.326, s.percentile(1), 0.02, "1st percentile of a standard normal");
        assertEquals(0, s.percentile(50), 0.01, "median of a standard normal");
    }

    @Test
    void stdStaysExactForALargeOffset() {
        float[] values = new float[100_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = 1e6f + (i % 2 == 0 ? -1 : 1) * (i < 50_000 ? 0.5f : 1.5f);
        }
        TensorStats s = TensorStats.of(TensorData.ofFloats("o:0", Shape.of(values.length), values));
        assertEquals(1e6, s.mean(), 1e-6);
        assertEquals(Math.sqrt((0.25 + 2.25) / 2), s.std(), 1e-9);
    }

    /**
     * Mean and standard deviation against exact decimal arithmetic, on data made to defeat sums in
     * float32 or sums of squares around zero: a large offset, magnitudes from 1e-30 to 1e30 of both
     * signs, and a mean that jumps by 3e7 between chunks. Sums in float32 would be off by 1e-8 to
     * 1e-7 of the values; double sums around the running mean stay near 1e-16 for the mean and
     * 1e-12 for the standard deviation, and the bounds leave a margin of about ten.
     */
    @Test
    void meanAndStdHoldToExactArithmeticOnAdversarialData() {
        Random random = new Random(19);
        int n = 300_000;
        float[] offset = new float[n];
        float[] mixed = new float[n];
        float[] jump = new float[n];
        for (int i = 0; i < n; i++) {
            offset[i] = 1e7f + random.nextInt(64) / 8f;
            mixed[i] = (float) (Math.scalb(random.nextDouble() + 0.5, random.nextInt(200) - 100) * (random.nextBoolean() ? 1 : -1));
            jump[i] = i < n / 3 ? random.nextInt(3) - 1 : 3e7f + random.nextInt(3) - 1;
        }
        for (float[] values : List.of(offset, mixed, jump)) {
            TensorData t = TensorData.ofFloats("a:0", Shape.of(n), values);
            BigDecimal sum = BigDecimal.ZERO;
            double scale = 0;
            for (float v : values) {
                sum = sum.add(new BigDecimal(v));
                scale = Math.max(scale, Math.abs(v));
            }
            BigDecimal mean = sum.divide(BigDecimal.valueOf(n), MathContext.DECIMAL128);
            BigDecimal squares = BigDecimal.ZERO;
            for (float v : values) {
                BigDecimal d = new BigDecimal(v).subtract(mean);
                squares = squares.add(d.multiply(d));
            }
            double std = Math.sqrt(squares.divide(BigDecimal.valueOf(n), MathContext.DECIMAL128).doubleValue());
            for (TensorStats s : List.of(TensorStats.of(t), StatsAndHistogram.of(t, 10, Binning.LINEAR).stats())) {
                double meanError = Math.abs(s.mean() - mean.doubleValue()) / scale;
                double stdError = Math.abs(s.std() - std) / std;
                System.out.println("mean error " + meanError + " of the largest value, std error " + stdError);
                assertTrue(meanError < 1e-14, "mean " + s.mean() + " against " + mean);
                assertTrue(stdError < 1e-10, "std " + s.std() + " against " + std);
            }
        }
    }

    private static void assertStatsEqual(TensorStats expected, TensorStats actual, String what) {
        assertEquals(expected.count(), actual.count(), what + " count");
        assertEquals(expected.nan(), actual.nan(), what + " NaN");
        assertEquals(expected.posInf(), actual.posInf(), what + " +Inf");
        assertEquals(expected.negInf(), actual.negInf(), what + " -Inf");
        assertEquals(expected.zeros(), actual.zeros(), what + " zeros");
        assertEquals(expected.subnormals(), actual.subnormals(), what + " subnormals");
        assertEquals(expected.min(), actual.min(), 0, what + " min");
        assertEquals(expected.max(), actual.max(), 0, what + " max");
        assertEquals(expected.mean(), actual.mean(), 0, what + " mean");
        assertEquals(expected.std(), actual.std(), 0, what + " std");
        assertArrayEquals(expected.percentiles(), actual.percentiles(), 0, what + " percentiles");
    }

    private static void assertHistogramsEqual(Histogram expected, Histogram actual, String what) {
        assertArrayEquals(expected.counts(), actual.counts(), what + " counts");
        double[] e = expected.edges();
        double[] a = actual.edges();
        assertEquals(e.length, a.length, what + " edges");
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], 0, what + " edge " + i);
        }
        assertEquals(expected.nan(), actual.nan(), what + " NaN");
        assertEquals(expected.posInf(), actual.posInf(), what + " +Inf");
        assertEquals(expected.negInf(), actual.negInf(), what + " -Inf");
        assertEquals(expected.zeros(), actual.zeros(), what + " zeros");
    }

    /** Random values of a type: for floating types, of all magnitudes and with every special value. */
    static TensorData randomTensor(DType dtype, int size, Random random) {
        ByteBuffer b = ByteBuffer.allocate(size * dtype.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < size; i++) {
            int kind = random.nextInt(20);
            double v = switch (kind) {
                case 0 -> Double.NaN;
                case 1 -> Double.POSITIVE_INFINITY;
                case 2 -> Double.NEGATIVE_INFINITY;
                case 3 -> 0.0;
                case 4 -> -0.0;
                case 5 -> tinyFor(dtype) * random.nextDouble() * (random.nextBoolean() ? 1 : -1); // subnormal
                case 6 -> Math.scalb(random.nextGaussian(), random.nextInt(200) - 100);
                default -> random.nextGaussian() * 100;
            };
            switch (dtype) {
                case FLOAT32 -> b.putFloat((float) v);
                case FLOAT64 -> b.putDouble(v);
                case FLOAT16 -> b.putShort(Float.floatToFloat16((float) v));
                case BFLOAT16 -> b.putShort((short) (Float.floatToRawIntBits((float) v) >>> 16));
                case INT8, UINT8 -> b.put((byte) random.nextInt());
                case BOOL -> b.put((byte) random.nextInt(2));
                case INT16, UINT16 -> b.putShort((short) (kind == 3 ? 0 : random.nextInt()));
                case INT32, UINT32 -> b.putInt(kind == 3 ? 0 : random.nextInt() >> random.nextInt(32));
                case INT64 -> b.putLong(kind == 3 ? 0 : random.nextLong() >> random.nextInt(64));
                default -> throw new AssertionError(dtype);
            }
        }
        b.flip();
        return new TensorData("r:0", dtype, Shape.of(size), b);
    }

    private static double tinyFor(DType dtype) {
        return switch (dtype) {
            case FLOAT16 -> 0x1p-14;
            case FLOAT64 -> Double.MIN_NORMAL;
            default -> Float.MIN_NORMAL;
        };
    }

    /** The statistics by their definition, one element at a time, percentiles from a full sort. */
    private static final class Reference {
        long count;
        long nan;
        long posInf;
        long negInf;
        long zeros;
        long subnormals;
        long finite;
        double min = Double.NaN;
        double max = Double.NaN;
        double mean = Double.NaN;
        double std = Double.NaN;
        double[] percentiles = new double[TensorStats.PERCENTILE_RANKS.length];

        Reference(TensorData t) {
            double[] values = new double[(int) t.size()];
            count = values.length;
            double tiny = t.dtype().isFloating() ? tinyFor(t.dtype()) : 0;
            for (int i = 0; i < values.length; i++) {
                double v = t.getDouble(i);
                if (Double.isNaN(v)) {
                    nan++;
                } else if (v == Double.POSITIVE_INFINITY) {
                    posInf++;
                } else if (v == Double.NEGATIVE_INFINITY) {
                    negInf++;
                } else {
                    zeros += v == 0 ? 1 : 0;
                    subnormals += v != 0 && Math.abs(v) < tiny ? 1 : 0;
                    values[(int) finite++] = v;
                }
            }
            Arrays.fill(percentiles, Double.NaN);
            if (finite == 0) {
                return;
            }
            double[] sorted = Arrays.copyOf(values, (int) finite);
            Arrays.sort(sorted);
            min = sorted[0];
            max = sorted[sorted.length - 1];
            double sum = 0;
            for (double v : sorted) {
                sum += v;
            }
            mean = sum / finite;
            double squares = 0;
            for (double v : sorted) {
                squares += (v - mean) * (v - mean);
            }
            std = Math.sqrt(squares / finite);
            for (int k = 0; k < percentiles.length; k++) {
                percentiles[k] = sorted[(int) Math.min(finite - 1,
                        Math.round(TensorStats.PERCENTILE_RANKS[k] / 100 * (finite - 1)))];
            }
        }
    }

    /**
     * The histogram by its definition: the range from the finite min and max, log10 per element
     * for the exact symmetric-log edges, each inner one then moved to the nearest float32 bucket
     * boundary ({@link #bucketBoundary}); division per element for linear bins.
     */
    private static Histogram referenceHistogram(TensorData tensor, int bins, Binning binning) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (long i = 0; i < tensor.size(); i++) {
            double v = tensor.getDouble(i);
            if (Double.isFinite(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (min > max) {
            return referenceCount(tensor, binning, new double[0]);
        }
        double lo = transform(min, binning);
        double hi = transform(max, binning);
        boolean equal = lo == hi;
        if (equal) {
            double half = lo == 0 ? 0.5 : Math.abs(lo) * 0.5;
            lo -= half;
            hi += half;
            bins = 1;
        }
        double[] edges = exactEdges(binning, lo, hi, bins);
        if (binning == Binning.SYMLOG && !equal) {
            edges[0] = min;
            edges[bins] = max;
            for (int b = 1; b < bins; b++) {
                edges[b] = Math.max(min, Math.min(max, bucketBoundary(edges[b])));
            }
        }
        return referenceCount(tensor, binning, edges);
    }

    private static double[] exactEdges(Binning binning, double lo, double hi, int bins) {
        double width = (hi - lo) / bins;
        double[] edges = new double[bins + 1];
        for (int b = 0; b <= bins; b++) {
            edges[b] = binning == Binning.SYMLOG ? Math.signum(lo + b * width) * (Math.pow(10, Math.abs(lo + b * width)) - 1)
                    : lo + b * width;
        }
        return edges;
    }

    /** Whether v is the smallest float32 of its top 16 bits with a float32 of other top bits just below it. */
    private static boolean isBucketBoundary(double v) {
        float f = (float) v;
        if (f != v || f == 0 || Float.isInfinite(f)) {
            return false;
        }
        float below = Math.nextDown(f);
        return Float.floatToRawIntBits(below) >>> 16 != Float.floatToRawIntBits(f) >>> 16 && below != 0;
    }

    /**
     * The bucket boundary nearest to x, among the float32 values whose top 16 bits are those of x
     * or one step either side, low bits all clear or all set, that are {@link #isBucketBoundary
     * boundaries}.
     */
    private static double bucketBoundary(double x) {
        if (Math.abs(x) > Float.MAX_VALUE) {
            return x;
        }
        int top = Float.floatToRawIntBits((float) x) >>> 16;
        double best = Double.NaN;
        for (int key = top - 2; key <= top + 2; key++) {
            for (int low : new int[] { 0, 0xffff }) {
                double candidate = Float.intBitsToFloat(key << 16 | low);
                if (isBucketBoundary(candidate) && (Double.isNaN(best) || Math.abs(candidate - x) < Math.abs(best - x))) {
                    best = candidate;
                }
            }
        }
        if (Double.isNaN(best)) { // x next to zero: the boundaries either side of the buckets of -0 and +0
            best = x < 0 ? -Float.intBitsToFloat(0xffff) : Float.intBitsToFloat(0x10000);
        }
        return best;
    }

    /**
     * Counts by the definition over the given edges: a linear bin from the distance to the first
     * edge in widths, a symmetric-log bin as the number of inner edges at or below the value.
     */
    private static Histogram referenceCount(TensorData tensor, Binning binning, double[] edges) {
        double lo = edges.length == 0 ? 0 : edges[0];
        int bins = Math.max(0, edges.length - 1);
        double width = edges.length == 0 ? 1 : (edges[edges.length - 1] - lo) / bins;
        long nan = 0;
        long negInf = 0;
        long posInf = 0;
        long zeros = 0;
        long[] binned = new long[bins];
        for (long i = 0; i < tensor.size(); i++) {
            double v = tensor.getDouble(i);
            if (Double.isNaN(v)) {
                nan++;
            } else if (v == Double.POSITIVE_INFINITY) {
                posInf++;
            } else if (v == Double.NEGATIVE_INFINITY) {
                negInf++;
            } else {
                zeros += v == 0 ? 1 : 0;
                if (bins > 0 && binning == Binning.LINEAR) {
                    int bin = (int) ((v - lo) / width);
                    binned[Math.min(bins - 1, Math.max(0, bin))]++;
                } else if (bins > 0) {
                    binned[innerEdgesAtOrBelow(edges, v)]++;
                }
            }
        }
        return new Histogram(binning, edges, binned, nan, negInf, posInf, zeros);
    }

    private static int innerEdgesAtOrBelow(double[] edges, double v) {
        if (edges.length <= 64) {
            int n = 0;
            for (int b = 1; b < edges.length - 1; b++) {
                n += edges[b] <= v ? 1 : 0;
            }
            return n;
        }
        int i = Arrays.binarySearch(edges, 1, edges.length - 1, v);
        if (i < 0) {
            return -i - 1 - 1;
        }
        while (i + 1 < edges.length - 1 && edges[i + 1] == v) {
            i++;
        }
        return i;
    }

    private static double transform(double v, Binning binning) {
        return binning == Binning.SYMLOG ? Math.signum(v) * Math.log10(1 + Math.abs(v)) : v;
    }
}
