package org.tensorscope.core.analysis;

import org.tensorscope.core.analysis.Histogram.Binning;
import org.tensorscope.core.analysis.Histogram.Layout;
import org.tensorscope.core.tensor.TensorData;

/**
 * A tensor's statistics and its histogram, computed together: for float32, bfloat16 and float16
 * tensors of {@value Histogram#BUCKETED} values or more, one pass finds the sums, min and max,
 * and a second counts every value by its top 16 bits, which gives both the percentiles and the
 * histogram's bins (see {@link FloatBuckets}). The results are those of {@link TensorStats#of}
 * and {@link Histogram#of(TensorData, int, Binning)}.
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
        parts.run(part -> {
            TensorStats.Scan scan = scans[part] = new TensorStats.Scan(tensor, tensor.size());
            ValueChunks chunks = parts.chunks(part);
            for (int n = chunks.next(); n > 0; n = chunks.next()) {
                scan.floats(chunks.floats, n);
            }
        });
        TensorStats.Scan total = scans[0];
        for (int part = 1; part < scans.length; part++) {
            total.add(scans[part]);
        }
        Layout layout = total.hasFinite() ? Layout.of(bins, binning, total.min(), total.max())
                : Layout.of(bins, binning, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
        if (layout.bins() > 0) {
            total.buckets.markEdges(binning, layout.lo(), layout.width(), layout.bins());
            long[] zeros = new long[scans.length];
            parts.run(part -> {
                FloatBuckets buckets = scans[part].buckets;
                if (part > 0) {
                    buckets.markLike(total.buckets);
                }
                ValueChunks chunks = parts.chunks(part);
                for (int n = chunks.next(); n > 0; n = chunks.next()) {
                    zeros[part] += buckets.count(chunks.floats, n);
                }
            });
            for (int part = 0; part < scans.length; part++) {
                total.zeros += zeros[part];
                if (part > 0) {
                    total.buckets.add(scans[part].buckets);
                }
            }
        }
        TensorStats stats = total.finish(tensor);
        long[] counts = layout.bins() > 0 ? total.buckets.binCounts() : new long[0];
        return new StatsAndHistogram(stats, new Histogram(binning, layout.edges(), counts, stats.nan(), stats.negInf(),
                stats.posInf(), stats.zeros()));
    }
}
