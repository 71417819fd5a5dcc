package org.tensorscope.core.analysis;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

import org.tensorscope.core.tensor.TensorData;

/**
 * Statistics of one tensor. Min, max, mean, std and percentiles are over the finite values
 * and NaN when there are none.
 *
 * @param percentiles the 1st, 5th, 25th, 50th, 75th, 95th and 99th percentiles, in that order
 */
public record TensorStats(long count, long nan, long posInf, long negInf, long zeros, long subnormals, double min,
        double max, double mean, double std, double[] percentiles) {

    /** Which percentiles {@link #percentiles()} holds. */
    public static final double[] PERCENTILE_RANKS = { 1, 5, 25, 50, 75, 95, 99 };

    /** Above this many finite values, percentiles come from an evenly strided sample of this size. */
    private static final int PERCENTILE_SAMPLE = 1 << 20;

    private static final int CHUNK = 8192;

    public TensorStats {
        percentiles = percentiles.clone();
    }

    @Override
    public double[] percentiles() {
        return percentiles.clone();
    }

    public long finiteCount() {
        return count - nan - posInf - negInf;
    }

    public long nonFiniteCount() {
        return nan + posInf + negInf;
    }

    public double percentile(double rank) {
        int i = Arrays.binarySearch(PERCENTILE_RANKS, rank);
        if (i < 0) {
            throw new IllegalArgumentException("Percentile " + rank + " is not computed; use one of "
                    + Arrays.toString(PERCENTILE_RANKS));
        }
        return percentiles[i];
    }

    /** Computes the statistics of any tensor (strings only count); float32 takes a fast path over the raw buffer. */
    public static TensorStats of(TensorData tensor) {
        Accumulator acc = new Accumulator(tensor.size());
        if (tensor.dtype().byteSize() < 0) {
            return acc.finish(tensor); // strings: counted, never NaN or infinite, no numeric statistics
        }
        switch (tensor.dtype()) {
            case FLOAT32 -> {
                FloatBuffer floats = tensor.bytes().asFloatBuffer();
                float[] chunk = new float[CHUNK];
                while (floats.hasRemaining()) {
                    int n = Math.min(CHUNK, floats.remaining());
                    floats.get(chunk, 0, n);
                    for (int i = 0; i < n; i++) {
                        acc.add(chunk[i], Math.abs(chunk[i]) < Float.MIN_NORMAL && chunk[i] != 0);
                    }
                }
            }
            case FLOAT64 -> {
                ByteBuffer bytes = tensor.bytes();
                for (long i = 0; i < tensor.size(); i++) {
                    double v = bytes.getDouble((int) (bytes.position() + i * 8));
                    acc.add(v, Math.abs(v) < Double.MIN_NORMAL && v != 0);
                }
            }
            default -> {
                for (long i = 0; i < tensor.size(); i++) {
                    double v = tensor.getDouble(i);
                    acc.add(v, tensor.dtype().isFloating() && Math.abs(v) < tensor.dtype().minNormal() && v != 0);
                }
            }
        }
        return acc.finish(tensor);
    }

    private static final class Accumulator {
        private final long count;
        private long nan;
        private long posInf;
        private long negInf;
        private long zeros;
        private long subnormals;
        private long finite;
        private double min = Double.POSITIVE_INFINITY;
        private double max = Double.NEGATIVE_INFINITY;
        private double mean;
        private double m2;

        Accumulator(long count) {
            this.count = count;
        }

        void add(double v, boolean subnormal) {
            if (v != v) {
                nan++;
            } else if (v == Double.POSITIVE_INFINITY) {
                posInf++;
            } else if (v == Double.NEGATIVE_INFINITY) {
                negInf++;
            } else {
                if (v == 0) {
                    zeros++;
                } else if (subnormal) {
                    subnormals++;
                }
                if (v < min) {
                    min = v;
                }
                if (v > max) {
                    max = v;
                }
                // Welford: stable for the huge values a diverging model produces
                finite++;
                double delta = v - mean;
                mean += delta / finite;
                m2 += delta * (v - mean);
            }
        }

        TensorStats finish(TensorData tensor) {
            if (finite == 0) {
                double[] none = new double[PERCENTILE_RANKS.length];
                Arrays.fill(none, Double.NaN);
                return new TensorStats(count, nan, posInf, negInf, zeros, subnormals, Double.NaN, Double.NaN, Double.NaN,
                        Double.NaN, none);
            }
            return new TensorStats(count, nan, posInf, negInf, zeros, subnormals, min, max, mean, Math.sqrt(m2 / finite),
                    percentiles(tensor, finite));
        }
    }

    private static double[] percentiles(TensorData tensor, long finite) {
        long stride = Math.max(1, tensor.size() / PERCENTILE_SAMPLE);
        double[] sample = new double[(int) Math.min(finite, (tensor.size() + stride - 1) / stride)];
        int n = 0;
        for (long i = 0; i < tensor.size() && n < sample.length; i += stride) {
            double v = tensor.getDouble(i);
            if (Double.isFinite(v)) {
                sample[n++] = v;
            }
        }
        double[] sorted = Arrays.copyOf(sample, n);
        Arrays.sort(sorted);
        double[] result = new double[PERCENTILE_RANKS.length];
        for (int r = 0; r < result.length; r++) {
            result[r] = n == 0 ? Double.NaN : sorted[(int) Math.min(n - 1, Math.round(PERCENTILE_RANKS[r] / 100 * (n - 1)))];
        }
        return result;
    }
}
