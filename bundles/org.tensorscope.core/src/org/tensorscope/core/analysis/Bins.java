package org.tensorscope.core.analysis;

import java.util.Arrays;

import org.tensorscope.core.analysis.Histogram.Binning;

/**
 * Counts values into a histogram's bins without computing the bin of each value: values are
 * grouped by the top 16 bits of their float32 (or float64) representation, and since the bin is
 * a monotonic function of the value, a group whose smallest and largest possible values fall in
 * one bin is all in that bin. That bin is looked up, computed once per group on first use; only
 * values in groups that straddle a bin edge (and NaN and infinities) take the exact definition,
 * {@link Histogram#binOf}. The counts are therefore identical to that definition's.
 */
final class Bins {

    private static final int UNKNOWN = -1;
    private static final int STRADDLES = -2;
    /** Counters per bin, used round-robin so that runs of one bin do not wait on their own increments. */
    private static final int LANES = 4;

    private final Binning binning;
    private final double lo;
    private final double width;
    private final int bins;
    private final long[] lanes;
    private int[] floatGroups;
    private int[] doubleGroups;
    long nan;
    long negInf;
    long posInf;
    long zeros;

    Bins(Binning binning, double lo, double width, int bins) {
        this.binning = binning;
        this.lo = lo;
        this.width = width;
        this.bins = bins;
        this.lanes = new long[bins * LANES];
    }

    long[] counts() {
        long[] counts = new long[bins];
        for (int b = 0; b < bins; b++) {
            for (int l = 0; l < LANES; l++) {
                counts[b] += lanes[b * LANES + l];
            }
        }
        return counts;
    }

    void floats(float[] c, int n) {
        if (floatGroups == null) {
            floatGroups = new int[1 << 16];
            Arrays.fill(floatGroups, UNKNOWN);
        }
        int[] groups = floatGroups;
        long[] lanes = this.lanes;
        int zero = 0;
        for (int i = 0; i < n; i++) {
            float v = c[i];
            int key = Float.floatToRawIntBits(v) >>> 16;
            int bin = groups[key];
            zero += v == 0 ? 1 : 0;
            if (bin >= 0) {
                lanes[bin * LANES + (i & (LANES - 1))]++;
            } else {
                if (bin == UNKNOWN) {
                    bin = groups[key] = floatGroup(key);
                }
                if (bin >= 0) {
                    lanes[bin * LANES]++;
                } else {
                    exact(v);
                }
            }
        }
        zeros += zero;
    }

    void doubles(double[] c, int n) {
        if (doubleGroups == null) {
            doubleGroups = new int[1 << 16];
            Arrays.fill(doubleGroups, UNKNOWN);
        }
        int[] groups = doubleGroups;
        int zero = 0;
        for (int i = 0; i < n; i++) {
            double v = c[i];
            int key = (int) (Double.doubleToRawLongBits(v) >>> 48);
            int bin = groups[key];
            zero += v == 0 ? 1 : 0;
            if (bin >= 0) {
                lanes[bin * LANES + (i & (LANES - 1))]++;
            } else {
                if (bin == UNKNOWN) {
                    bin = groups[key] = doubleGroup(key);
                }
                if (bin >= 0) {
                    lanes[bin * LANES]++;
                } else {
                    exact(v);
                }
            }
        }
        zeros += zero;
    }

    private void exact(double v) {
        if (v != v) {
            nan++;
        } else if (v == Double.POSITIVE_INFINITY) {
            posInf++;
        } else if (v == Double.NEGATIVE_INFINITY) {
            negInf++;
        } else if (bins > 0) {
            lanes[Histogram.binOf(v, binning, lo, width, bins) * LANES]++;
        }
    }

    private int floatGroup(int key) {
        if ((key & 0x7f80) == 0x7f80 || bins == 0) {
            return STRADDLES; // infinities and NaN
        }
        return group(Float.intBitsToFloat(key << 16), Float.intBitsToFloat(key << 16 | 0xffff));
    }

    private int doubleGroup(int key) {
        if ((key & 0x7ff0) == 0x7ff0 || bins == 0) {
            return STRADDLES;
        }
        long bits = (long) key << 48;
        return group(Double.longBitsToDouble(bits), Double.longBitsToDouble(bits | 0xffff_ffff_ffffL));
    }

    private int group(double a, double b) {
        int first = Histogram.binOf(a, binning, lo, width, bins);
        return first == Histogram.binOf(b, binning, lo, width, bins) ? first : STRADDLES;
    }
}
