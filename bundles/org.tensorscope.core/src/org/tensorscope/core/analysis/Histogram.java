package org.tensorscope.core.analysis;

import org.tensorscope.core.tensor.TensorData;

/**
 * A NaN-aware histogram: finite values in bins, NaN, -Inf and +Inf counted apart, and the zeros
 * counted too (they also fall in their bin). Copes with empty, all-NaN and all-equal tensors.
 *
 * @param edges  bin edges, one more than the counts; empty when there is no finite value
 * @param counts finite values per bin
 */
public record Histogram(Binning binning, double[] edges, long[] counts, long nan, long negInf, long posInf,
        long zeros) {

    /** How finite values are spread over the bins. */
    public enum Binning {
        /** Equal-width bins between the finite min and max. */
        LINEAR,
        /**
         * Equal-width bins of sign(x)·log10(1+|x|): small values and huge ones stay readable in
         * one chart, which is what overflowing activations need.
         */
        SYMLOG
    }

    public Histogram {
        edges = edges.clone();
        counts = counts.clone();
    }

    @Override
    public double[] edges() {
        return edges.clone();
    }

    @Override
    public long[] counts() {
        return counts.clone();
    }

    public int binCount() {
        return counts.length;
    }

    public long finiteTotal() {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        return total;
    }

    /** The histogram of a tensor, with the given number of bins (at least 1). */
    public static Histogram of(TensorData tensor, int bins, Binning binning) {
        if (bins < 1) {
            throw new IllegalArgumentException("A histogram needs at least 1 bin, not " + bins);
        }
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
            return count(tensor, binning, new double[0], 0, 1);
        }
        if (lo == hi) {
            // all equal: one bin around the value
            double half = lo == 0 ? 0.5 : Math.abs(lo) * 0.5;
            lo -= half;
            hi += half;
            bins = 1;
        }
        double width = (hi - lo) / bins;
        double[] edges = new double[bins + 1];
        for (int b = 0; b <= bins; b++) {
            edges[b] = inverse(lo + b * width, binning);
        }
        return count(tensor, binning, edges, lo, width);
    }

    /**
     * Another tensor counted in this histogram's bins, to compare two runs of one op; finite
     * values outside the bins count in the first or last bin.
     */
    public Histogram sameBins(TensorData tensor) {
        double lo = edges.length == 0 ? 0 : transform(edges[0], binning);
        double width = edges.length == 0 ? 1 : (transform(edges[edges.length - 1], binning) - lo) / counts.length;
        return count(tensor, binning, edges, lo, width);
    }

    /** Counts NaN, ±Inf and zeros apart, and finite values into the bins starting at lo (transformed). */
    private static Histogram count(TensorData tensor, Binning binning, double[] edges, double lo, double width) {
        long nan = 0;
        long negInf = 0;
        long posInf = 0;
        long zeros = 0;
        long[] binned = new long[Math.max(0, edges.length - 1)];
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
                if (binned.length > 0) {
                    int bin = (int) ((transform(v, binning) - lo) / width);
                    binned[Math.min(binned.length - 1, Math.max(0, bin))]++;
                }
            }
        }
        return new Histogram(binning, edges, binned, nan, negInf, posInf, zeros);
    }

    private static double transform(double v, Binning binning) {
        return binning == Binning.SYMLOG ? Math.signum(v) * Math.log10(1 + Math.abs(v)) : v;
    }

    private static double inverse(double t, Binning binning) {
        return binning == Binning.SYMLOG ? Math.signum(t) * (Math.pow(10, Math.abs(t)) - 1) : t;
    }
}
