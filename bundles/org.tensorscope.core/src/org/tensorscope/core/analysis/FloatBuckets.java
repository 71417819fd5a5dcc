package org.tensorscope.core.analysis;

import java.util.Arrays;

/**
 * Counts of float32 values by the top 16 bits of their representation (sign, exponent, 7 mantissa
 * bits): the buckets that percentiles interpolate in, and that a histogram's bins are made of.
 * A bin is a monotonic function of the value, so a bucket lies in one bin unless a bin edge falls
 * among its values (symmetric-log edges never do: they lie on bucket boundaries). The buckets
 * holding an edge are marked by the sign bit of their counter, either before counting, when the
 * bins are known ({@link #markEdges}): the counting loop reads that counter anyway and ORs it into
 * one flag, with no branch per value, and only a chunk with values in marked buckets is looked at
 * again; or after counting ({@link #markEdgesCounted}), and then the chunks that may hold values in
 * a marked bucket are read again ({@link #lookAgain}). Looking again tells where in its bucket each
 * such value lies (above or below the one edge it holds) or, in a bucket holding two edges or more,
 * its bin by the definition ({@link Histogram.Layout#bin}). The bin counts are then exact, with no
 * log10 or division per value.
 */
final class FloatBuckets {

    /** Keys whose exponent is all ones: infinities and NaN. */
    private static final int NON_FINITE = 0x7f80;

    final int[] counts = new int[1 << 16];
    /** For marked buckets: the split number, or -1 when the bucket holds more than one edge. */
    private int[] split;
    private int[] splitAt;
    private long[] above;
    private int splits;
    /** NaN among the values of the buckets that also hold +Inf and -Inf (marked when bins are). */
    private long nanWithPosInf;
    private long nanWithNegInf;
    private Histogram.Layout layout;
    private int bins;
    /** Bin counts of the values in buckets that hold more than one edge, counted one by one. */
    private long[] exact;

    /** Counts a chunk; returns how many of its values are zeros (of either sign). */
    int count(float[] c, int n) {
        int aroundZero = counts[0] + counts[0x8000];
        if (split == null) {
            countAll(counts, c, n);
        } else if (countMarked(counts, c, n) < 0) { // values in marked buckets: look at them again
            lookAgain(c, n);
        }
        if (counts[0] + counts[0x8000] == aroundZero) {
            return 0;
        }
        int zeros = 0; // bucket 0 also holds subnormals below 1e-40
        for (int i = 0; i < n; i++) {
            zeros += c[i] == 0 ? 1 : 0;
        }
        return zeros;
    }

    private static void countAll(int[] counts, float[] c, int n) {
        for (int i = 0; i < n; i++) {
            counts[Float.floatToRawIntBits(c[i]) >>> 16]++;
        }
    }

    /** Counts; negative when a value fell in a marked bucket. */
    private static int countMarked(int[] counts, float[] c, int n) {
        int any = 0;
        for (int i = 0; i < n; i++) {
            int key = Float.floatToRawIntBits(c[i]) >>> 16;
            int was = counts[key];
            counts[key] = was + 1;
            any |= was;
        }
        return any;
    }

    /**
     * Splits at their edges the values of a chunk (already counted) that lie in marked buckets;
     * with the values' bits at hand (float32), first finds with no branch per value whether any does.
     */
    void lookAgain(float[] c, int[] bits, int n) {
        if (bits != null) {
            int any = 0;
            for (int i = 0; i < n; i++) {
                any |= counts[bits[i] >>> 16];
            }
            if (any >= 0) {
                return;
            }
        }
        lookAgain(c, n);
    }

    private void lookAgain(float[] c, int n) {
        for (int i = 0; i < n; i++) {
            int bits = Float.floatToRawIntBits(c[i]);
            if (counts[bits >>> 16] < 0) {
                marked(bits);
            }
        }
    }

    private void marked(int bits) {
        int key = bits >>> 16;
        int s = split[key];
        if (s == INFINITY) {
            long nan = (bits & 0xffff) != 0 ? 1 : 0;
            if (key == NON_FINITE) {
                nanWithPosInf += nan;
            } else {
                nanWithNegInf += nan;
            }
        } else if (s >= 0) {
            above[s] += (bits & 0xffff) >= splitAt[s] ? 1 : 0;
        } else {
            exact[layout.bin(Float.intBitsToFloat(bits))]++;
        }
    }

    /** Marks the buckets of the infinities, to tell them from the NaN that share their top 16 bits. */
    private static final int INFINITY = -2;

    /** NaN counted; exact once bins are {@link #markEdges marked}. */
    long nan() {
        long nan = nanWithPosInf + nanWithNegInf;
        for (int m = 1; m < 0x80; m++) {
            nan += counts[NON_FINITE | m] + counts[0x8000 | NON_FINITE | m];
        }
        return nan;
    }

    /** +Inf counted; exact once bins are {@link #markEdges marked}. */
    long posInf() {
        return (counts[NON_FINITE] & Integer.MAX_VALUE) - nanWithPosInf;
    }

    /** -Inf counted; exact once bins are {@link #markEdges marked}. */
    long negInf() {
        return (counts[0x8000 | NON_FINITE] & Integer.MAX_VALUE) - nanWithNegInf;
    }

    /** The finite values' count in a bucket, without its mark. */
    int finite(int key) {
        return (key & NON_FINITE) == NON_FINITE ? 0 : counts[key] & Integer.MAX_VALUE;
    }

    /**
     * Marks the buckets that hold an edge of these bins, before any value is counted, and the
     * buckets of the infinities (to tell them from the NaN that share their top 16 bits).
     */
    void markEdges(Histogram.Layout layout) {
        mark(layout, false);
        for (int key : new int[] { NON_FINITE, 0x8000 | NON_FINITE }) {
            counts[key] = Integer.MIN_VALUE;
            split[key] = INFINITY;
        }
    }

    /**
     * Marks the buckets that hold an edge of these bins and values, once every value is counted
     * (NaN and infinities then counted elsewhere); whether any is, so that the values in them must
     * be {@link #lookAgain looked at again}.
     */
    boolean markEdgesCounted(Histogram.Layout layout) {
        return mark(layout, true);
    }

    /**
     * For each inner edge, the first bucket whose largest value lies at or above it is found by
     * bisection over the finite buckets in value order; marked when its values are not all in
     * one bin (and, once counted, when it holds values). Whether any bucket is marked.
     */
    private boolean mark(Histogram.Layout layout, boolean counted) {
        this.layout = layout;
        this.bins = layout.bins();
        split = new int[1 << 16];
        splitAt = new int[Math.max(1, bins)];
        above = new long[Math.max(1, bins)];
        exact = new long[Math.max(1, bins)];
        boolean any = false;
        int previous = -1;
        for (int edge = 1; edge < bins; edge++) {
            int low = FIRST_FINITE;
            int high = LAST_FINITE;
            if (binOf(last(keyAt(high))) < edge) {
                break; // no finite value reaches this edge (nor the ones after it)
            }
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (binOf(last(keyAt(middle))) >= edge) {
                    high = middle;
                } else {
                    low = middle + 1;
                }
            }
            if (low == previous) {
                continue; // the bucket holding the previous edge holds this one too
            }
            int key = keyAt(low);
            int first = binOf(first(key));
            int last = binOf(last(key));
            if (first == last || counted && counts[key] == 0) {
                continue; // the edge falls between two buckets, or among no value
            }
            previous = low;
            counts[key] |= Integer.MIN_VALUE;
            any = true;
            if (last - first > 1) {
                split[key] = -1;
                continue;
            }
            // the low 16 bits where the value crosses the edge: rising with them for positive
            // values, falling for negative ones
            boolean negative = key >= 0x8000;
            int below = 0;
            int over = 0xffff;
            int lowBin = negative ? last : first;
            while (over - below > 1) {
                int middle = (below + over) >>> 1;
                if (binOf(Float.intBitsToFloat(key << 16 | middle)) == lowBin) {
                    below = middle;
                } else {
                    over = middle;
                }
            }
            split[key] = splits;
            splitAt[splits++] = over;
        }
        return any;
    }

    /**
     * The buckets marked, in value order, as ranges of values {from, to}: a chunk whose values all
     * lie outside them holds none to look at again.
     */
    double[][] markedRanges() {
        int marked = 0;
        double[][] ranges = new double[bins][];
        for (int ordinal = FIRST_FINITE; ordinal <= LAST_FINITE; ordinal++) {
            int key = keyAt(ordinal);
            if (counts[key] < 0) {
                ranges[marked++] = new double[] { first(key), last(key) };
            }
        }
        return Arrays.copyOf(ranges, marked);
    }

    /**
     * Takes the marks of buckets that had their edges {@link #markEdges marked}, before any
     * value is counted here: to count another part of the same tensor.
     */
    void markLike(FloatBuckets marked) {
        layout = marked.layout;
        bins = marked.bins;
        split = marked.split; // read only from here on
        splitAt = marked.splitAt;
        splits = marked.splits;
        above = new long[marked.above.length];
        exact = new long[marked.exact.length];
        for (int key = 0; key < counts.length; key++) {
            if (marked.counts[key] < 0) {
                counts[key] |= Integer.MIN_VALUE;
            }
        }
    }

    /** Adds the counts of another part of the tensor, counted with the same marks. */
    void add(FloatBuckets part) {
        for (int key = 0; key < counts.length; key++) {
            counts[key] += part.counts[key] & Integer.MAX_VALUE;
        }
        if (split != null) {
            addSplits(part);
        }
    }

    /** Adds what another part of the tensor, marked like this one, found when looked at again. */
    void addSplits(FloatBuckets part) {
        for (int s = 0; s < splits; s++) {
            above[s] += part.above[s];
        }
        for (int b = 0; b < exact.length; b++) {
            exact[b] += part.exact[b];
        }
        nanWithPosInf += part.nanWithPosInf;
        nanWithNegInf += part.nanWithNegInf;
    }

    /**
     * The values counted, by bin (for {@link #markEdges marked} bins): each bucket's count goes to the
     * bin of its values; a bucket holding one edge gives the values above it to the bin above.
     */
    long[] binCounts() {
        long[] result = new long[bins];
        if (bins == 0) {
            return result;
        }
        for (int key = 0; key < counts.length; key++) {
            int n = finite(key);
            if (n == 0 && (counts[key] >= 0 || (key & NON_FINITE) == NON_FINITE)) {
                continue;
            }
            int firstBin = binOf(first(key));
            if (counts[key] >= 0) {
                result[firstBin] += n;
                continue;
            }
            int sp = split[key];
            if (sp < 0) {
                continue; // counted value by value into exact
            }
            int lastBin = binOf(last(key));
            long up = above[sp];
            // positive values rise with the low bits: those at or past the split are in the last
            // bin; negative values fall: those past the split (more negative) are in the first's
            int lower = key >= 0x8000 ? lastBin : firstBin;
            int upper = key >= 0x8000 ? firstBin : lastBin;
            result[upper] += up;
            result[lower] += n - up;
        }
        for (int b = 0; b < bins; b++) {
            result[b] += exact[b];
        }
        return result;
    }

    private int binOf(float v) {
        return layout.bin(v);
    }

    /** Finite buckets in value order: from -Float.MAX_VALUE's bucket up to Float.MAX_VALUE's. */
    private static final int FIRST_FINITE = 0;
    private static final int LAST_FINITE = 2 * NON_FINITE - 1;

    private static int keyAt(int ordinal) {
        return ordinal < NON_FINITE ? 0xff7f - ordinal : ordinal - NON_FINITE;
    }

    /** The smallest value of a bucket. */
    private static float first(int key) {
        return Float.intBitsToFloat(key >= 0x8000 ? key << 16 | 0xffff : key << 16);
    }

    /** The largest value of a bucket. */
    private static float last(int key) {
        return Float.intBitsToFloat(key >= 0x8000 ? key << 16 : key << 16 | 0xffff);
    }
}
