package org.tensorscope.core.analysis;

import org.tensorscope.core.analysis.Histogram.Binning;
import org.tensorscope.core.analysis.Histogram.Layout;
import org.tensorscope.core.tensor.TensorData;

/**
 * A tensor's statistics and its histogram, computed together: for float32, bfloat16 and float16
 * tensors of {@value Histogram#BUCKETED} values or more, one pass over the buffer, a cached chunk
 * at a time, finds the sums, min and max and counts every value by its top 16 bits, which gives
 * the percentiles and, once the min and max are known, the histogram's bins (see
 * {@link FloatBuckets}). Symmetric-log edges lie on bucket boundaries, so their bins are sums of
 * buckets. A linear edge may fall inside a bucket: the chunks whose range meets such a bucket
 * holding values are read a second time to split its values at the edge. The results are those of
 * {@link TensorStats#of} and {@link Histogram#of(TensorData, int, Binning)}.
 */
public record StatsAndHistogram(TensorStats stats, Histogram histogram) {

    public static StatsAndHistogram of(TensorData tensor, int bins, Binning binning) {
        return of(tensor, bins, binning, Parts.DEFAULT_THREADS);
    }

    /**
     * Statistics and histogram, with a large tensor split into parts counted on up to
     * {@code threads} threads (1: on the calling thread alone); see {@link TensorStats#of(TensorData, int)}.
     */
    public static StatsAndHistogram of(TensorData tensor, int bins, Binning binning, int threads) {
        if (bins < 1) {
            throw new IllegalArgumentException("A histogram needs at least 1 bin, not " + bins);
        }
        if (tensor.size() < Histogram.BUCKETED || !ValueChunks.isFloatFamily(tensor.dtype())) {
            TensorStats stats = TensorStats.of(tensor, threads);
            return new StatsAndHistogram(stats, Histogram.of(tensor, bins, binning, stats));
        }
        Parts parts = Parts.of(tensor, threads);
        TensorStats.Scan[] scans = new TensorStats.Scan[parts.count()];
        double[][] chunkRanges = new double[parts.count()][];
        parts.run(part -> {
            TensorStats.Scan scan = scans[part] = new TensorStats.Scan(tensor, tensor.size());
            ValueChunks chunks = parts.chunks(part);
            double[] ranges = chunkRanges[part] = new double[2 * parts.chunkCount(part)];
            int chunk = 0;
            for (int n = chunks.next(); n > 0; n = chunks.next(), chunk++) {
                scan.floats(chunks.floats, chunks.bits, n);
                scan.zeros += scan.buckets.count(chunks.floats, n);
                ranges[2 * chunk] = scan.chunkLow;
                ranges[2 * chunk + 1] = scan.chunkHigh;
            }
        });
        TensorStats.Scan total = scans[0];
        for (int part = 1; part < scans.length; part++) {
            total.add(scans[part]);
            total.buckets.add(scans[part].buckets);
        }
        Layout layout = total.hasFinite() ? Layout.of(bins, binning, total.min(), total.max())
                : Layout.of(bins, binning, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
        if (layout.bins() > 0 && total.buckets.markEdgesCounted(layout)) {
            double[][] marked = total.buckets.markedRanges();
            parts.run(part -> {
                FloatBuckets buckets = scans[part].buckets;
                if (part > 0) {
                    buckets.markLike(total.buckets);
                }
                double[] ranges = chunkRanges[part];
                ValueChunks chunks = parts.chunks(part);
                for (int chunk = 0; 2 * chunk < ranges.length; chunk++) {
                    if (meets(marked, ranges[2 * chunk], ranges[2 * chunk + 1])) {
                        chunks.seek(parts.chunkStart(part, chunk));
                        int n = chunks.next();
                        buckets.lookAgain(chunks.floats, chunks.bits, n);
                    }
                }
            });
            for (int part = 1; part < scans.length; part++) {
                total.buckets.addSplits(scans[part].buckets);
            }
        }
        TensorStats stats = total.finish(tensor);
        long[] counts = layout.bins() > 0 ? total.buckets.binCounts() : new long[0];
        return new StatsAndHistogram(stats, new Histogram(binning, layout.edges(), counts, stats.nan(), stats.negInf(),
                stats.posInf(), stats.zeros()));
    }

    /** Whether one of the ranges, ordered and apart, meets [low, high]. */
    private static boolean meets(double[][] ranges, double low, double high) {
        int first = 0;
        int last = ranges.length;
        while (first < last) { // the first range that ends at or above low
            int middle = (first + last) >>> 1;
            if (ranges[middle][1] < low) {
                first = middle + 1;
            } else {
                last = middle;
            }
        }
        return first < ranges.length && ranges[first][0] <= high;
    }
}
