package org.tensorscope.core.analysis;

import org.tensorscope.core.tensor.TensorData;

/**
 * A NaN-aware histogram: finite values in bins, NaN, -Inf and +Inf counted apart, and the zeros
 * counted too (they also fall in their bin). Copes with empty, all-NaN and all-equal tensors.
 * <p>
 * {@link Binning#LINEAR} bins are equal-width from the finite min to the max: a finite value's bin
 * is its distance to the min in widths, rounded down (the last bin holds the max).
 * {@link Binning#SYMLOG} bins are equal-width in sign(v)·log10(1+|v|), with each inner edge moved
 * to the nearest boundary between float32 values of different top 16 bits (sign, exponent and 7
 * mantissa bits), so by at most half such a bucket, 1/256 (0.39 %) of its value for a normal
 * float32 and 9.2e-41 next to zero (edges beyond the float32 range stay where they are); the first
 * and last edges are the finite min and max. A finite value {@code v} is then in bin {@code b} when
 * {@code edges[b] <= v < edges[b + 1]}, the max in the last bin. {@link #edges()} returns the edges
 * as moved, the ones the counts were made with; bins narrower than a bucket can end up empty, with
 * equal edges.
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
         * Equal-width bins of sign(x)·log10(1+|x|), their inner edges on float32 bucket boundaries
         * (see {@link Histogram}): small values and huge ones stay readable in one chart, which is
         * what overflowing activations need.
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

    /**
     * The histogram of a tensor, with the given number of bins (at least 1), on the calling thread.
     * A large float32, bfloat16 or float16 tensor is read once, as {@link StatsAndHistogram} does
     * (finding the range first and counting after would read it twice).
     */
    public static Histogram of(TensorData tensor, int bins, Binning binning) {
        if (bins < 1) {
            throw new IllegalArgumentException("A histogram needs at least 1 bin, not " + bins);
        }
        if (tensor.size() >= BUCKETED && ValueChunks.isFloatFamily(tensor.dtype())) {
            return StatsAndHistogram.of(tensor, bins, binning, 1).histogram();
        }
        double[] range = finiteRange(tensor);
        return of(tensor, bins, binning, range[0], range[1]);
    }

    /**
     * The histogram of a tensor whose statistics are already known: their min and max save the
     * pass that finds the range, so statistics and histogram together read the buffer twice at most.
     */
    public static Histogram of(TensorData tensor, int bins, Binning binning, TensorStats stats) {
        if (bins < 1) {
            throw new IllegalArgumentException("A histogram needs at least 1 bin, not " + bins);
        }
        if (stats.count() != tensor.size()) {
            throw new IllegalArgumentException("Statistics of " + stats.count() + " values do not describe tensor "
                    + tensor.name() + " of " + tensor.size());
        }
        return stats.finiteCount() == 0 ? of(tensor, bins, binning, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)
                : of(tensor, bins, binning, stats.min(), stats.max());
    }

    private static Histogram of(TensorData tensor, int bins, Binning binning, double min, double max) {
        return count(tensor, Layout.of(bins, binning, min, max));
    }

    /**
     * Where the bins of a histogram lie: their edges, and for linear bins the first edge and the
     * width, from which {@link #bin} computes a value's bin. With no finite value ({@code min > max}),
     * no bins.
     */
    record Layout(Binning binning, double[] edges, double lo, double width) {

        static Layout of(int bins, Binning binning, double min, double max) {
            if (min > max) {
                return new Layout(binning, new double[0], 0, 1);
            }
            // the transforms are monotonic, so the range of transformed values is that of the values transformed
            double lo = transform(min, binning);
            double hi = transform(max, binning);
            boolean equal = lo == hi;
            if (equal) {
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
            if (binning == Binning.SYMLOG && !equal) {
                edges[0] = min;
                edges[bins] = max;
                for (int b = 1; b < bins; b++) {
                    edges[b] = Math.max(min, Math.min(max, bucketBoundary(edges[b])));
                }
            }
            return new Layout(binning, edges, lo, width);
        }

        /** The layout of bins whose edges are given, as {@link Histogram#sameBins} counts in. */
        static Layout of(Binning binning, double[] edges) {
            int bins = Math.max(0, edges.length - 1);
            double lo = edges.length == 0 ? 0 : transform(edges[0], binning);
            double width = edges.length == 0 ? 1 : (transform(edges[edges.length - 1], binning) - lo) / bins;
            return new Layout(binning, edges, lo, width);
        }

        int bins() {
            return Math.max(0, edges.length - 1);
        }

        /**
         * The bin of a finite value: for linear bins, from its distance to the first edge in
         * widths; for symmetric-log bins, the number of inner edges at or below it.
         */
        int bin(double v) {
            int bins = edges.length - 1;
            if (binning == Binning.LINEAR) {
                int bin = (int) ((v - lo) / width);
                return Math.min(bins - 1, Math.max(0, bin));
            }
            int low = 1;
            int high = bins;
            while (low < high) { // the first inner edge above v, or bins when none is
                int middle = (low + high) >>> 1;
                if (edges[middle] > v) {
                    high = middle;
                } else {
                    low = middle + 1;
                }
            }
            return low - 1;
        }
    }

    /**
     * The boundary between float32 buckets (values of equal top 16 bits) nearest to x, as the
     * smallest value of the bucket above it: for a positive bucket the value with its low 16 bits
     * clear, for a negative one the value with them all set. The buckets of -0 and +0 hold values
     * of both sides of zero, so no edge lies between them; x beyond the float32 range stays.
     */
    static double bucketBoundary(double x) {
        if (!(Math.abs(x) <= Float.MAX_VALUE)) {
            return x;
        }
        int key = Float.floatToRawIntBits((float) Math.abs(x)) >>> 16;
        double lower;
        double upper;
        if (x >= 0) {
            lower = key == 0 ? Float.intBitsToFloat(1 << 16) : Float.intBitsToFloat(key << 16);
            upper = Float.intBitsToFloat((key + 1) << 16);
        } else {
            // x in the bucket of magnitude key, which spans [-(key|ffff), -(key|0000)]
            lower = Float.intBitsToFloat(0x8000_0000 | key << 16 | 0xffff);
            upper = key == 0 ? lower : Float.intBitsToFloat(0x8000_0000 | (key - 1) << 16 | 0xffff);
        }
        return x - lower <= upper - x || upper > Float.MAX_VALUE ? lower : upper;
    }

    /**
     * Another tensor counted in this histogram's bins, to compare two runs of one op; finite
     * values outside the bins count in the first or last bin.
     */
    public Histogram sameBins(TensorData tensor) {
        return count(tensor, Layout.of(binning, edges));
    }

    /** The finite min and max ({+Inf, -Inf} when there is none). */
    private static double[] finiteRange(TensorData tensor) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        if (tensor.dtype().byteSize() < 0) {
            return new double[] { min, max };
        }
        ValueChunks chunks = new ValueChunks(tensor);
        for (int n = chunks.next(); n > 0; n = chunks.next()) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            if (chunks.bits != null) { // float32: integer min and max of order-preserving keys, see TensorStats
                int[] c = chunks.bits;
                int low = Integer.MAX_VALUE;
                int high = Integer.MIN_VALUE;
                for (int i = 0; i < n; i++) {
                    int b = c[i];
                    int key = b ^ ((b >> 31) & 0x7fff_ffff);
                    low = Math.min(low, key);
                    high = Math.max(high, key);
                }
                lo = Float.intBitsToFloat(low ^ ((low >> 31) & 0x7fff_ffff)); // NaN lies outside ±Inf: looked at below
                hi = Float.intBitsToFloat(high ^ ((high >> 31) & 0x7fff_ffff));
            } else if (chunks.floatFamily) {
                float[] c = chunks.floats;
                float l = Float.POSITIVE_INFINITY;
                float h = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) { // NaN wins, and is looked at below
                    float v = c[i];
                    l = Math.min(l, v);
                    h = Math.max(h, v);
                }
                lo = l;
                hi = h;
            } else {
                double[] c = chunks.doubles;
                for (int i = 0; i < n; i++) {
                    double v = c[i];
                    lo = v < lo ? v : lo;
                    hi = v > hi ? v : hi;
                }
            }
            if (!Double.isFinite(lo) || !Double.isFinite(hi)) { // NaN or an infinity
                lo = Double.POSITIVE_INFINITY;
                hi = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    double v = chunks.floatFamily ? chunks.floats[i] : chunks.doubles[i];
                    if (Double.isFinite(v)) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
            }
            min = Math.min(min, lo);
            max = Math.max(max, hi);
        }
        return new double[] { min, max };
    }

    /**
     * Float32, bfloat16 and float16 tensors of at least this many values are counted by
     * {@link FloatBuckets}, whose setup (finding the buckets that hold an edge) costs about as much as
     * counting this many values; smaller ones, and other types, by {@link Bins}.
     */
    static final int BUCKETED = 1 << 16;

    /** Counts NaN, ±Inf and zeros apart, and finite values into the bins of the layout. */
    private static Histogram count(TensorData tensor, Layout layout) {
        Binning binning = layout.binning();
        double[] edges = layout.edges();
        if (layout.bins() > 0 && tensor.size() >= BUCKETED && ValueChunks.isFloatFamily(tensor.dtype())) {
            FloatBuckets buckets = new FloatBuckets();
            buckets.markEdges(layout);
            long zeros = 0;
            ValueChunks chunks = new ValueChunks(tensor);
            for (int n = chunks.next(); n > 0; n = chunks.next()) {
                zeros += buckets.count(chunks.floats, n);
            }
            return new Histogram(binning, edges, buckets.binCounts(), buckets.nan(), buckets.negInf(), buckets.posInf(),
                    zeros);
        }
        Bins bins = new Bins(layout);
        if (tensor.dtype().byteSize() >= 0) {
            ValueChunks chunks = new ValueChunks(tensor);
            for (int n = chunks.next(); n > 0; n = chunks.next()) {
                if (chunks.floatFamily) {
                    bins.floats(chunks.floats, n);
                } else {
                    bins.doubles(chunks.doubles, n);
                }
            }
        }
        return new Histogram(binning, edges, bins.counts(), bins.nan, bins.negInf, bins.posInf, bins.zeros);
    }

    static double transform(double v, Binning binning) {
        return binning == Binning.SYMLOG ? Math.signum(v) * Math.log10(1 + Math.abs(v)) : v;
    }

    static double inverse(double t, Binning binning) {
        return binning == Binning.SYMLOG ? Math.signum(t) * (Math.pow(10, Math.abs(t)) - 1) : t;
    }
}
