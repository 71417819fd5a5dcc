package org.tensorscope.core.analysis;

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

    /**
     * Computes the statistics of any tensor (strings only count) in one pass over its buffer.
     * Percentiles are exact up to {@value #EXACT_PERCENTILES} values; above, they come from a
     * count of every finite value by its top 16 bits as float32 (sign, exponent and 7 mantissa
     * bits), interpolated within the bucket: within 1/128 of the value, and rounded for integer types.
     */
    public static TensorStats of(TensorData tensor) {
        return of(tensor, Parts.DEFAULT_THREADS);
    }

    /**
     * The statistics, with a large float32, bfloat16 or float16 tensor split into parts counted on
     * up to {@code threads} threads (1: on the calling thread alone). Counts, min, max and
     * percentiles do not depend on the split; mean and std differ by round-off at most.
     */
    public static TensorStats of(TensorData tensor, int threads) {
        long count = tensor.size();
        if (tensor.dtype().byteSize() < 0) { // strings: counted, never NaN or infinite, no numeric statistics
            return new Scan(tensor, count).finish(tensor);
        }
        Parts parts = Parts.of(tensor, threads);
        Scan[] scans = new Scan[parts.count()];
        parts.run(part -> {
            Scan scan = scans[part] = new Scan(tensor, count);
            ValueChunks chunks = parts.chunks(part);
            for (int n = chunks.next(); n > 0; n = chunks.next()) {
                if (chunks.floatFamily) {
                    scan.floats(chunks.floats, chunks.bits, n);
                    scan.zeros += scan.buckets.count(chunks.floats, n);
                } else {
                    scan.doubles(chunks.doubles, n);
                }
            }
        });
        for (int part = 1; part < scans.length; part++) {
            scans[0].add(scans[part]);
            scans[0].buckets.add(scans[part].buckets);
        }
        return scans[0].finish(tensor);
    }

    /**
     * The counts, min, max, mean and std of a tensor, without percentiles (NaN) and without counting any
     * value into buckets: what a health pass's FULL row needs, at about twice the rate of {@link #of}.
     * Large float32 tensors are split as by {@link #of(TensorData, int)}.
     */
    public static TensorStats summaryOf(TensorData tensor, int threads) {
        long count = tensor.size();
        if (tensor.dtype().byteSize() < 0) {
            return new Scan(tensor, count).finish(tensor);
        }
        Parts parts = Parts.of(tensor, threads);
        Scan[] scans = new Scan[parts.count()];
        parts.run(part -> {
            Scan scan = scans[part] = new Scan(tensor, count, false);
            ValueChunks chunks = parts.chunks(part);
            for (int n = chunks.next(); n > 0; n = chunks.next()) {
                if (chunks.floatFamily) {
                    scan.floats(chunks.floats, chunks.bits, n);
                    scan.zerosAndSubnormals(chunks.floats, chunks.bits, n);
                } else {
                    scan.doubles(chunks.doubles, n);
                }
            }
        });
        for (int part = 1; part < scans.length; part++) {
            scans[0].add(scans[part]);
        }
        return scans[0].finish(tensor);
    }

    private static final int EXACT_PERCENTILES = ValueChunks.SIZE;

    /**
     * One pass over the values, a cached chunk at a time: a fast loop for chunks of finite values
     * (no branch, no division per element; the chunk's mean and squared deviations merged into the
     * running ones, Chan et al.), and per-element Welford for chunks holding NaN, infinities or
     * an overflowing sum.
     */
    static final class Scan {
        /** Lanes of the sums in {@link #floats}: independent chains the JIT turns into vector operations. */
        private static final int LANES = 128;

        private final long count;
        private final double minNormal;
        private final boolean floatFamily;
        /** Float32, bfloat16 and float16 values by their top 16 bits. */
        final FloatBuckets buckets;
        /** The other types' values by the top 16 bits of their float32 rounding. */
        private final int[] doubleBuckets;
        private final double[] sumLanes = new double[LANES];
        private final double[] squareLanes = new double[LANES];
        private final double[] lowLanes = new double[LANES];
        private final double[] highLanes = new double[LANES];
        private long nan;
        private long posInf;
        private long negInf;
        long zeros;
        private long subnormals;
        private long finite;
        private double min = Double.POSITIVE_INFINITY;
        private double max = Double.NEGATIVE_INFINITY;
        private double mean;
        private double m2;
        /** The last chunk's finite min and max, or -Inf and +Inf when it held NaN or an infinity. */
        double chunkLow;
        double chunkHigh;

        Scan(TensorData tensor, long count) {
            this(tensor, count, true);
        }

        /** A scan that counts values into buckets only when {@code percentiles} are wanted. */
        Scan(TensorData tensor, long count, boolean percentiles) {
            this.count = count;
            this.minNormal = switch (tensor.dtype()) {
                case FLOAT16 -> 0x1p-14f;
                case FLOAT32, BFLOAT16 -> Float.MIN_NORMAL;
                case FLOAT64 -> Double.MIN_NORMAL;
                default -> 0;
            };
            this.floatFamily = ValueChunks.isFloatFamily(tensor.dtype());
            buckets = floatFamily && percentiles ? new FloatBuckets() : null;
            doubleBuckets = floatFamily || tensor.dtype().byteSize() < 0 || !percentiles ? null : new int[1 << 16];
        }

        /** Counts a chunk's zeros and subnormals where no buckets do (float32, bfloat16, float16). */
        void zerosAndSubnormals(float[] c, int[] bits, int n) {
            int zero = 0;
            int below = 0;
            if (bits != null) {
                for (int i = 0; i < n; i++) {
                    int magnitude = bits[i] & 0x7fff_ffff;
                    zero += magnitude == 0 ? 1 : 0;
                    below += magnitude < 0x0080_0000 ? 1 : 0;
                }
            } else {
                for (int i = 0; i < n; i++) {
                    float v = Math.abs(c[i]);
                    zero += v == 0 ? 1 : 0;
                    below += v < minNormal ? 1 : 0;
                }
            }
            zeros += zero;
            subnormals += below - zero;
        }

        double min() {
            return min;
        }

        double max() {
            return max;
        }

        boolean hasFinite() {
            return finite > 0;
        }

        /**
         * For float32, bfloat16 and float16 values, whose smallest normal is a power of two:
         * the buckets below its exponent hold the zeros and the subnormals.
         */
        private void subnormalsFromBuckets() {
            int exponent = Math.getExponent((float) minNormal) + 127;
            long below = 0;
            for (int e = 0; e < exponent; e++) {
                for (int m = 0; m < 0x80; m++) {
                    below += buckets.finite(e << 7 | m) + buckets.finite(0x8000 | e << 7 | m);
                }
            }
            subnormals = below - zeros;
        }

        /**
         * Min, max, and the sums of (v - shift) and of its square, in {@value #LANES} independent
         * chains each (vector operations once compiled), with the running mean as the shift (a
         * finite first value for the first chunk); a chunk whose mean lies so far from it that the
         * squares would lose precision is summed again around its own mean. A chunk holding NaN or
         * an infinity (its sums are then not finite) is taken value by value. With the values' bits
         * at hand (float32), min and max come from them in a loop of its own: integer min and max
         * of the bits turned into an order-preserving key are vector operations too, several times
         * cheaper than Math.min and Math.max of doubles, which must order NaN and signed zeros.
         */
        void floats(float[] c, int[] bits, int n) {
            double shift = finite == 0 && Float.isFinite(c[0]) ? c[0] : mean;
            double sum = 0;
            double squares = 0;
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            int rows = n / LANES;
            if (rows > 0 && bits != null) {
                double[] s = sumLanes;
                double[] q = squareLanes;
                for (int j = 0; j < LANES; j++) {
                    double d = c[j] - shift;
                    s[j] = d;
                    q[j] = d * d;
                }
                for (int row = 1; row < rows; row++) {
                    int base = row * LANES;
                    for (int j = 0; j < LANES; j++) {
                        double d = c[base + j] - shift;
                        s[j] += d;
                        q[j] += d * d;
                    }
                }
                for (int j = 0; j < LANES; j++) {
                    sum += s[j];
                    squares += q[j];
                }
            } else if (rows > 0) {
                double[] s = sumLanes;
                double[] q = squareLanes;
                double[] l = lowLanes;
                double[] h = highLanes;
                for (int j = 0; j < LANES; j++) {
                    double v = c[j];
                    double d = v - shift;
                    s[j] = d;
                    q[j] = d * d;
                    l[j] = v;
                    h[j] = v;
                }
                for (int row = 1; row < rows; row++) {
                    int base = row * LANES;
                    for (int j = 0; j < LANES; j++) {
                        double v = c[base + j];
                        double d = v - shift;
                        s[j] += d;
                        q[j] += d * d;
                        l[j] = Math.min(l[j], v); // NaN wins, and the sums show it
                        h[j] = Math.max(h[j], v);
                    }
                }
                for (int j = 0; j < LANES; j++) {
                    sum += s[j];
                    squares += q[j];
                    lo = Math.min(lo, l[j]);
                    hi = Math.max(hi, h[j]);
                }
            }
            for (int i = rows * LANES; i < n; i++) {
                double v = c[i];
                double d = v - shift;
                sum += d;
                squares += d * d;
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            if (bits != null) {
                int low = Integer.MAX_VALUE;
                int high = Integer.MIN_VALUE;
                for (int i = 0; i < n; i++) {
                    int b = bits[i];
                    int key = b ^ ((b >> 31) & 0x7fff_ffff); // negative values reversed: the float order
                    low = Math.min(low, key);
                    high = Math.max(high, key);
                }
                lo = Float.intBitsToFloat(low ^ ((low >> 31) & 0x7fff_ffff)); // NaN sorts outside ±Inf, and the sums show it
                hi = Float.intBitsToFloat(high ^ ((high >> 31) & 0x7fff_ffff));
            }
            if (!Double.isFinite(sum + squares)) { // a NaN or an infinity in this chunk
                if (bits != null) {
                    finiteOf(c, bits, n);
                } else {
                    for (int k = 0; k < n; k++) {
                        add(c[k]);
                    }
                }
                chunkLow = Double.NEGATIVE_INFINITY;
                chunkHigh = Double.POSITIVE_INFINITY;
                return;
            }
            chunkLow = lo;
            chunkHigh = hi;
            double offset = sum / n;
            double chunkM2 = squares - offset * sum;
            if (squares != 0 && !(chunkM2 > squares * 0x1p-20)) { // the chunk's mean far from the shift: cancellation
                double chunkMean = shift + offset;
                double r0 = 0, r1 = 0;
                int i = 0;
                for (; i + 1 < n; i += 2) {
                    double a = c[i] - chunkMean;
                    double b = c[i + 1] - chunkMean;
                    r0 += a * a;
                    r1 += b * b;
                }
                if (i < n) {
                    double a = c[i] - chunkMean;
                    r0 += a * a;
                }
                chunkM2 = r0 + r1;
            }
            min = Math.min(min, lo);
            max = Math.max(max, hi);
            merge(n, shift + offset, Math.max(0, chunkM2));
        }

        /**
         * A float32 chunk holding NaN or infinities: counts them by their bits and sums the finite values with the
         * others masked out, with no division per value (a flooded tensor is all such chunks).
         */
        private void finiteOf(float[] c, int[] bits, int n) {
            double shift = mean;
            if (finite == 0) {
                int first = 0;
                while (first < n && (bits[first] & 0x7f80_0000) == 0x7f80_0000) {
                    first++;
                }
                shift = first < n ? c[first] : 0;
            }
            int nans = 0;
            int positive = 0;
            int negative = 0;
            int low = Integer.MAX_VALUE;
            int high = Integer.MIN_VALUE;
            double sum = 0;
            double squares = 0;
            for (int i = 0; i < n; i++) {
                int b = bits[i];
                int magnitude = b & 0x7fff_ffff;
                boolean isFinite = magnitude < 0x7f80_0000;
                nans += magnitude > 0x7f80_0000 ? 1 : 0;
                positive += b == 0x7f80_0000 ? 1 : 0;
                negative += b == 0xff80_0000 ? 1 : 0;
                double d = isFinite ? c[i] - shift : 0;
                sum += d;
                squares += d * d;
                int key = b ^ ((b >> 31) & 0x7fff_ffff);
                low = Math.min(low, isFinite ? key : Integer.MAX_VALUE);
                high = Math.max(high, isFinite ? key : Integer.MIN_VALUE);
            }
            nan += nans;
            posInf += positive;
            negInf += negative;
            int count = n - nans - positive - negative;
            if (count == 0) {
                return;
            }
            double offset = sum / count;
            double chunkM2 = squares - offset * sum;
            if (squares != 0 && !(chunkM2 > squares * 0x1p-20)) { // the chunk's mean far from the shift: cancellation
                double chunkMean = shift + offset;
                chunkM2 = 0;
                for (int i = 0; i < n; i++) {
                    double d = (bits[i] & 0x7f80_0000) != 0x7f80_0000 ? c[i] - chunkMean : 0;
                    chunkM2 += d * d;
                }
            }
            min = Math.min(min, Float.intBitsToFloat(low ^ ((low >> 31) & 0x7fff_ffff)));
            max = Math.max(max, Float.intBitsToFloat(high ^ ((high >> 31) & 0x7fff_ffff)));
            merge(count, shift + offset, Math.max(0, chunkM2));
        }

        void doubles(double[] c, int n) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            double s0 = 0;
            double s1 = 0;
            int zero = 0;
            int below = 0;
            int i = 0;
            for (; i + 1 < n; i += 2) {
                double a = c[i];
                double b = c[i + 1];
                s0 += a;
                s1 += b;
                lo = Math.min(lo, Math.min(a, b));
                hi = Math.max(hi, Math.max(a, b));
                zero += (a == 0 ? 1 : 0) + (b == 0 ? 1 : 0);
                below += (Math.abs(a) < minNormal ? 1 : 0) + (Math.abs(b) < minNormal ? 1 : 0);
            }
            for (; i < n; i++) {
                double a = c[i];
                s0 += a;
                lo = Math.min(lo, a);
                hi = Math.max(hi, a);
                zero += a == 0 ? 1 : 0;
                below += Math.abs(a) < minNormal ? 1 : 0;
            }
            double sum = s0 + s1;
            if (!Double.isFinite(sum)) { // a NaN, an infinity, or values so large that their sum overflows
                for (int k = 0; k < n; k++) {
                    double v = c[k];
                    if (add(v)) {
                        zeros += v == 0 ? 1 : 0;
                        subnormals += v != 0 && Math.abs(v) < minNormal ? 1 : 0;
                        if (doubleBuckets != null) {
                            doubleBuckets[Float.floatToRawIntBits((float) v) >>> 16]++;
                        }
                    }
                }
                return;
            }
            double chunkMean = sum / n;
            double q = 0;
            for (i = 0; i < n; i++) {
                double a = c[i] - chunkMean;
                q += a * a;
            }
            if (doubleBuckets != null) {
                for (i = 0; i < n; i++) {
                    doubleBuckets[Float.floatToRawIntBits((float) c[i]) >>> 16]++;
                }
            }
            zeros += zero;
            if (minNormal > 0) { // below counts the zeros too; integers have neither subnormals nor a minNormal
                subnormals += below - zero;
            }
            min = Math.min(min, lo);
            max = Math.max(max, hi);
            merge(n, chunkMean, q);
        }

        /** One value, for chunks the fast loops cannot take; whether it is finite. */
        private boolean add(double v) {
            if (v != v) {
                nan++;
            } else if (v == Double.POSITIVE_INFINITY) {
                posInf++;
            } else if (v == Double.NEGATIVE_INFINITY) {
                negInf++;
            } else {
                min = Math.min(min, v);
                max = Math.max(max, v);
                finite++;
                double delta = v - mean;
                mean += delta / finite;
                m2 += delta * (v - mean);
                return true;
            }
            return false;
        }

        /** Adds what another part of the tensor holds, its buckets apart. */
        void add(Scan part) {
            nan += part.nan;
            posInf += part.posInf;
            negInf += part.negInf;
            zeros += part.zeros;
            subnormals += part.subnormals;
            min = Math.min(min, part.min);
            max = Math.max(max, part.max);
            if (part.finite > 0) {
                merge(part.finite, part.mean, part.m2);
            }
        }

        private void merge(long n, double chunkMean, double chunkM2) {
            long total = finite + n;
            double delta = chunkMean - mean;
            mean += delta * n / total;
            m2 += chunkM2 + delta * delta * ((double) finite * n / total);
            finite = total;
        }

        TensorStats finish(TensorData tensor) {
            if (buckets != null) {
                subnormalsFromBuckets();
            }
            if (finite == 0) {
                double[] none = new double[PERCENTILE_RANKS.length];
                Arrays.fill(none, Double.NaN);
                return new TensorStats(count, nan, posInf, negInf, zeros, subnormals, Double.NaN, Double.NaN, Double.NaN,
                        Double.NaN, none);
            }
            if (buckets == null && doubleBuckets == null) {
                double[] none = new double[PERCENTILE_RANKS.length];
                Arrays.fill(none, Double.NaN);
                return new TensorStats(count, nan, posInf, negInf, zeros, subnormals, min, max, mean,
                        Math.sqrt(m2 / finite), none);
            }
            double[] percentiles = finite <= EXACT_PERCENTILES ? exactPercentiles(tensor) : fromBuckets();
            if (!tensor.dtype().isFloating()) {
                for (int r = 0; r < percentiles.length; r++) {
                    percentiles[r] = Math.rint(percentiles[r]);
                }
            }
            return new TensorStats(count, nan, posInf, negInf, zeros, subnormals, min, max, mean, Math.sqrt(m2 / finite),
                    percentiles);
        }

        private double[] exactPercentiles(TensorData tensor) {
            double[] sorted = new double[(int) finite];
            int n = 0;
            ValueChunks chunks = new ValueChunks(tensor);
            for (int k = chunks.next(); k > 0; k = chunks.next()) {
                for (int i = 0; i < k; i++) {
                    double v = chunks.floatFamily ? chunks.floats[i] : chunks.doubles[i];
                    if (Double.isFinite(v)) {
                        sorted[n++] = v;
                    }
                }
            }
            Arrays.sort(sorted);
            double[] result = new double[PERCENTILE_RANKS.length];
            for (int r = 0; r < result.length; r++) {
                result[r] = sorted[rankIndex(r, n)];
            }
            return result;
        }

        /** Buckets in value order: below -Float.MAX_VALUE, negative, positive, above Float.MAX_VALUE. */
        private double[] fromBuckets() {
            double[] result = new double[PERCENTILE_RANKS.length];
            int r = 0;
            long below = 0;
            long target = rankIndex(0, finite);
            int[] order = new int[(0xff80 - 0x8000 + 1) + (0x7f80 + 1)];
            int o = 0;
            for (int key = 0xff80; key >= 0x8000; key--) {
                order[o++] = key;
            }
            for (int key = 0; key <= 0x7f80; key++) {
                order[o++] = key;
            }
            for (int key : order) {
                int c = floatFamily ? buckets.finite(key) : doubleBuckets[key];
                while (c > 0 && r < result.length && below + c > target) {
                    double a = Float.intBitsToFloat(key << 16);
                    double b = Float.intBitsToFloat(key << 16 | 0xffff);
                    if (key == 0xff80) {
                        a = min;
                        b = -Float.MAX_VALUE;
                    } else if (key == 0x7f80) {
                        a = Float.MAX_VALUE;
                        b = max;
                    }
                    double from = Math.min(a, b);
                    double to = Math.max(a, b);
                    double v = from + (to - from) * ((target - below + 0.5) / c);
                    result[r++] = Math.max(min, Math.min(max, v));
                    if (r < result.length) {
                        target = rankIndex(r, finite);
                    }
                }
                below += c;
            }
            return result;
        }
    }

    private static int rankIndex(int r, long n) {
        return (int) Math.min(n - 1, Math.round(PERCENTILE_RANKS[r] / 100 * (n - 1)));
    }
}
