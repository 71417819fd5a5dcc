package org.tensorscope.core.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.tensorscope.core.analysis.Histogram;
import org.tensorscope.core.analysis.Histogram.Binning;
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
                TensorStats s = TensorStats.of(t);
                Reference r = new Reference(t);
                String what = dtype.displayName() + " x" + size;
                assertEquals(size, s.count(), what);
                assertEquals(r.nan, s.nan(), what + " NaN");
                assertEquals(r.posInf, s.posInf(), what + " +Inf");
                assertEquals(r.negInf, s.negInf(), what + " -Inf");
                assertEquals(r.zeros, s.zeros(), what + " zeros");
                assertEquals(r.subnormals, s.subnormals(), what + " subnormals");
                if (r.finite == 0) {
                    assertTrue(Double.isNaN(s.min()) && Double.isNaN(s.max()) && Double.isNaN(s.mean())
                            && Double.isNaN(s.std()) && Double.isNaN(s.percentile(50)), what + " has no finite value");
                    continue;
                }
                assertEquals(r.min, s.min(), 0, what + " min");
                assertEquals(r.max, s.max(), 0, what + " max");
                double scale = Math.max(Math.abs(r.min), Math.abs(r.max));
                assertEquals(r.mean, s.mean(), 1e-12 * scale, what + " mean");
                assertEquals(r.std, s.std(), 1e-9 * scale, what + " std");
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
                        TensorData other = randomTensor(dtype, size, random);
                        assertHistogramsEqual(referenceCount(other, binning, slow.edges()), fast.sameBins(other),
                                what + " same bins");
                    }
                }
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

    /** The histogram as first defined: log10 per element, division per element. */
    private static Histogram referenceHistogram(TensorData tensor, int bins, Binning binning) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (long i = 0; i < tensor.size(); i++) {
            double v = tensor.getDouble(i);
            if (Double.isFinite(v)) {
                double t = transform(v, binning);
                lo = Math.min(lo, t);
                hi = Math.max(hi, t);
            }
        }
        if (lo > hi) {
            return referenceCount(tensor, binning, new double[0]);
        }
        if (lo == hi) {
            double half = lo == 0 ? 0.5 : Math.abs(lo) * 0.5;
            lo -= half;
            hi += half;
            bins = 1;
        }
        double width = (hi - lo) / bins;
        double[] edges = new double[bins + 1];
        for (int b = 0; b <= bins; b++) {
            edges[b] = binning == Binning.SYMLOG ? Math.signum(lo + b * width) * (Math.pow(10, Math.abs(lo + b * width)) - 1)
                    : lo + b * width;
        }
        return referenceCount(tensor, binning, edges);
    }

    private static Histogram referenceCount(TensorData tensor, Binning binning, double[] edges) {
        double lo = edges.length == 0 ? 0 : transform(edges[0], binning);
        int bins = Math.max(0, edges.length - 1);
        double width = edges.length == 0 ? 1 : (transform(edges[edges.length - 1], binning) - lo) / bins;
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
                if (bins > 0) {
                    int bin = (int) ((transform(v, binning) - lo) / width);
                    binned[Math.min(bins - 1, Math.max(0, bin))]++;
                }
            }
        }
        return new Histogram(binning, edges, binned, nan, negInf, posInf, zeros);
    }

    private static double transform(double v, Binning binning) {
        return binning == Binning.SYMLOG ? Math.signum(v) * Math.log10(1 + Math.abs(v)) : v;
    }
}
