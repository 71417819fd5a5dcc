package org.tensorscope.core.run;

import org.tensorscope.core.analysis.Histogram;
import org.tensorscope.core.analysis.StatsAndHistogram;
import org.tensorscope.core.analysis.TensorStats;
import org.tensorscope.core.tensor.TensorData;

/**
 * A fetched tensor with what the views show of it, computed once where it was fetched (off the UI
 * thread): its statistics and its histogram at the default binning.
 */
public record AnalysedTensor(TensorData data, TensorStats stats, Histogram histogram) {

    /** Computes the statistics and a histogram of {@code bins} bins with the given binning. */
    public static AnalysedTensor of(TensorData data, int bins, Histogram.Binning binning) {
        StatsAndHistogram both = StatsAndHistogram.of(data, bins, binning);
        return new AnalysedTensor(data, both.stats(), both.histogram());
    }

    /** The histogram with these bins: the one computed with the tensor, or a new one. */
    public Histogram histogram(int bins, Histogram.Binning binning) {
        return histogram.binCount() == bins && histogram.binning() == binning ? histogram
                : Histogram.of(data, bins, binning, stats);
    }

    public long bytes() {
        return data.bytes().remaining();
    }
}
