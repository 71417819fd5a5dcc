package org.tensorscope.benchmarks;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.tensorscope.core.analysis.Histogram;
import org.tensorscope.core.analysis.TensorStats;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.tensor.TensorData;

/**
 * Throughput of TensorStats and Histogram on one large float32 tensor (64M values by default,
 * -Dtensorscope.statsElements to change), next to a plain summing loop over the same buffer,
 * on one thread. Reports GB/s; asserts nothing about them. Also runs as a plain main.
 */
class StatsBenchmark {

    private static final int RUNS = 5;

    @Test
    void statsAndHistogramThroughput() {
        report(Integer.getInteger("tensorscope.statsElements", 64 << 20)).forEach(System.out::println);
    }

    public static void main(String[] args) {
        report(args.length > 0 ? Integer.parseInt(args[0]) : 64 << 20).forEach(System.out::println);
    }

    static List<String> report(int elements) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(elements * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        FloatBuffer floats = buffer.asFloatBuffer();
        Random random = new Random(42);
        for (int i = 0; i < elements; i++) {
            floats.put(i, (float) (random.nextGaussian() * Math.exp(random.nextGaussian() * 3)));
        }
        TensorData tensor = new TensorData("x:0", DType.FLOAT32, Shape.of(elements), buffer);
        double gb = elements * (double) Float.BYTES / 1e9;
        List<String> report = new ArrayList<>();
        report.add(String.format("%d float32 values (%.2f GB), best of %d, one thread", elements, gb, RUNS));
        report.add(String.format("plain summing loop: %.2f GB/s", gb / best(() -> plainSum(buffer))));
        report.add(String.format("TensorStats: %.2f GB/s", gb / best(() -> TensorStats.of(tensor).mean())));
        report.add(String.format("Histogram, linear, 100 bins: %.2f GB/s",
                gb / best(() -> Histogram.of(tensor, 100, Histogram.Binning.LINEAR).zeros())));
        report.add(String.format("Histogram, symlog, 100 bins: %.2f GB/s",
                gb / best(() -> Histogram.of(tensor, 100, Histogram.Binning.SYMLOG).zeros())));
        report.add(String.format("TensorStats + symlog Histogram: %.2f GB/s", gb / best(() -> TensorStats.of(tensor).mean()
                + Histogram.of(tensor, 100, Histogram.Binning.SYMLOG).zeros())));
        report.add(String.format("TensorStats + symlog Histogram from its min and max: %.2f GB/s", gb / best(() -> {
            TensorStats stats = TensorStats.of(tensor);
            return stats.mean() + Histogram.of(tensor, 100, Histogram.Binning.SYMLOG, stats).zeros();
        })));
        return report;
    }

    private static double plainSum(ByteBuffer buffer) {
        double sum = 0;
        for (int i = 0, n = buffer.capacity(); i < n; i += 4) {
            sum += buffer.getFloat(i);
        }
        return sum;
    }

    private static double sink;

    /** Seconds of the fastest of a few runs, after one warm-up. */
    private static double best(java.util.function.DoubleSupplier work) {
        double best = Double.MAX_VALUE;
        for (int r = 0; r <= RUNS; r++) {
            long start = System.nanoTime();
            sink += work.getAsDouble();
            double s = (System.nanoTime() - start) / 1e9;
            if (r > 0) {
                best = Math.min(best, s);
            }
        }
        return best;
    }
}
