package org.tensorscope.core.analysis;

import java.util.Arrays;


/**
 * Counts values into a histogram's bins without computing the bin of each value: values are
 * grouped by the top 16 bits of their float32 (or float64) representation, and since the bin is
 * a monotonic function of the value, a group whose smallest and largest possible values fall in
 * one bin is all in that bin. That bin is looked up, computed once per group on first use. A group
 * with one bin edge among its values is split where the edge falls, found once by bisection of its
 * low-order bits; only groups holding two edges or more (bins narrower than 1/128 of a binade), NaN
 * and infinities take the definition, {@link Histogram.Layout#bin}, value by value. The counts are
 * therefore identical to that definition's, with no log10 or division per value.
 */
final class Bins {

    private static final int UNKNOWN = -1;
    private static final int STRADDLES = -2;
    /** Groups at or below this hold one bin edge: split number {@code SPLIT - group}. */
    private static final int SPLIT = -3;
    /** Counters per bin, used round-robin so that runs of one bin do not wait on their own increments. */
    private static final int LANES = 4;

    private final Histogram.Layout layout;
    private final int bins;
    private final long[] lanes;
    private int[] floatGroups;
    private int[] doubleGroups;
    /** For split groups: the first low-order bits in the upper part, and the bins below and above. */
    private long[] splitAt = new long[16];
    private int[] splitBelow = new int[16];
    private int[] splitAbove = new int[16];
    private int splits;
    long nan;
    long negInf;
    long posInf;
    long zeros;

    Bins(Histogram.Layout layout) {
        this.layout = layout;
        this.bins = layout.bins();
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
        int i = 0;
        for (; i + 3 < n; i += 4) {
            int a = Float.floatToRawIntBits(c[i]);
            int b = Float.floatToRawIntBits(c[i + 1]);
            int d = Float.floatToRawIntBits(c[i + 2]);
            int e = Float.floatToRawIntBits(c[i + 3]);
            zero += (a << 1 == 0 ? 1 : 0) + (b << 1 == 0 ? 1 : 0) + (d << 1 == 0 ? 1 : 0) + (e << 1 == 0 ? 1 : 0);
            int ga = groups[a >>> 16];
            int gb = groups[b >>> 16];
            int gd = groups[d >>> 16];
            int ge = groups[e >>> 16];
            if ((ga | gb | gd | ge) >= 0) {
                lanes[ga * LANES]++;
                lanes[gb * LANES + 1]++;
                lanes[gd * LANES + 2]++;
                lanes[ge * LANES + 3]++;
            } else {
                for (int k = i; k < i + 4; k++) {
                    one(groups, c[k]);
                }
            }
        }
        for (; i < n; i++) {
            zero += Float.floatToRawIntBits(c[i]) << 1 == 0 ? 1 : 0;
            one(groups, c[i]);
        }
        zeros += zero;
    }

    private void one(int[] groups, float v) {
        int bits = Float.floatToRawIntBits(v);
        int key = bits >>> 16;
        int bin = groups[key];
        if (bin == UNKNOWN) {
            bin = groups[key] = floatGroup(key);
        }
        if (bin >= 0) {
            lanes[bin * LANES]++;
        } else if (bin <= SPLIT) {
            int s = SPLIT - bin;
            lanes[((bits & 0xffff) >= splitAt[s] ? splitAbove[s] : splitBelow[s]) * LANES]++;
        } else {
            exact(v);
        }
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
            long bits = Double.doubleToRawLongBits(v);
            int key = (int) (bits >>> 48);
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
                } else if (bin <= SPLIT) {
                    int s = SPLIT - bin;
                    lanes[((bits & 0xffff_ffff_ffffL) >= splitAt[s] ? splitAbove[s] : splitBelow[s]) * LANES]++;
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
            lanes[layout.bin(v) * LANES]++;
        }
    }

    private int floatGroup(int key) {
        if ((key & 0x7f80) == 0x7f80 || bins == 0) {
            return STRADDLES; // infinities and NaN
        }
        return group(key << 16, 0xffff, true);
    }

    private int doubleGroup(int key) {
        if ((key & 0x7ff0) == 0x7ff0 || bins == 0) {
            return STRADDLES;
        }
        return group((long) key << 48, 0xffff_ffff_ffffL, false);
    }

    /**
     * The bin of all values with the given high-order bits; or, when one bin edge falls among
     * them, a split at the first low-order bits past it (found by bisection, as the bin is
     * monotonic in the low-order bits: rising for positive values, falling for negative ones).
     */
    private int group(long high, long lowMask, boolean isFloat) {
        int first = binOfBits(high, isFloat);
        int last = binOfBits(high | lowMask, isFloat);
        if (first == last) {
            return first;
        }
        if (Math.abs(first - last) > 1) {
            return STRADDLES;
        }
        long below = 0; // in the first's bin
        long above = lowMask; // in the last's bin
        while (above - below > 1) {
            long middle = below + (above - below) / 2;
            if (binOfBits(high | middle, isFloat) == first) {
                below = middle;
            } else {
                above = middle;
            }
        }
        if (splits == splitAt.length) {
            splitAt = Arrays.copyOf(splitAt, splits * 2);
            splitBelow = Arrays.copyOf(splitBelow, splits * 2);
            splitAbove = Arrays.copyOf(splitAbove, splits * 2);
        }
        splitAt[splits] = above;
        splitBelow[splits] = first;
        splitAbove[splits] = last;
        return SPLIT - splits++;
    }

    private int binOfBits(long bits, boolean isFloat) {
        double v = isFloat ? Float.intBitsToFloat((int) bits) : Double.longBitsToDouble(bits);
        return layout.bin(v);
    }
}
