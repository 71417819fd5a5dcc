package org.tensorscope.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;

import org.junit.jupiter.api.Test;
import org.tensorscope.core.analysis.Histogram;
import org.tensorscope.core.analysis.StatsAndHistogram;
import org.tensorscope.core.analysis.TensorStats;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.tensor.TensorData;

/**
 * Throughput of TensorStats and Histogram on one large float32 tensor (64M values, 4M in the short
 * mode, -Dtensorscope.statsElements to change), next to a plain summing loop over the same buffer,
 * on one thread, and the statistics split across all cores. Reports GB/s of wall time and of the
 * calling thread's CPU time (what one core does, on a machine shared with other work; for the
 * rows on several threads only the wall time means anything); asserts nothing about them. Also
 * runs as a plain main.
 */
class StatsBenchmark {

    private static final int RUNS = 5;

    @Test
    void statsAndHistogramThroughput() {
        List<String> report = new ArrayList<>();
        report.add(BenchmarkMode.header("statistics' throughput"));
        report.addAll(report(Integer.getInteger("tensorscope.statsElements", BenchmarkMode.full() ? 64 << 20 : 4 << 20)));
        report.forEach(System.out::println);
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
        report.add("plain summing loop: " + rate(gb, () -> plainSum(buffer)));
        report.add("TensorStats: " + rate(gb, () -> TensorStats.of(tensor, 1).mean()));
        report.add("Histogram, linear, 100 bins: "
                + rate(gb, () -> Histogram.of(tensor, 100, Histogram.Binning.LINEAR).zeros()));
        report.add("Histogram, symlog, 100 bins: "
                + rate(gb, () -> Histogram.of(tensor, 100, Histogram.Binning.SYMLOG).zeros()));
        report.add("TensorStats + symlog Histogram: " + rate(gb,
                () -> TensorStats.of(tensor).mean() + Histogram.of(tensor, 100, Histogram.Binning.SYMLOG).zeros()));
        report.add("TensorStats + symlog Histogram from its min and max: " + rate(gb, () -> {
            TensorStats stats = TensorStats.of(tensor);
            return stats.mean() + Histogram.of(tensor, 100, Histogram.Binning.SYMLOG, stats).zeros();
        }));
        report.add("StatsAndHistogram, symlog (fused): " + rate(gb, () -> {
            StatsAndHistogram both = StatsAndHistogram.of(tensor, 100, Histogram.Binning.SYMLOG, 1);
            return both.stats().mean() + both.histogram().zeros();
        }));
        report.add("StatsAndHistogram, linear (fused): " + rate(gb, () -> {
            StatsAndHistogram both = StatsAndHistogram.of(tensor, 100, Histogram.Binning.LINEAR, 1);
            return both.stats().mean() + both.histogram().zeros();
        }));
        int cores = Runtime.getRuntime().availableProcessors();
        report.add("TensorStats on " + cores + " threads (wall-clock is the figure): "
                + rate(gb, () -> TensorStats.of(tensor, cores).mean()));
        report.add("StatsAndHistogram, symlog, on " + cores + " threads (wall-clock is the figure): " + rate(gb, () -> {
            StatsAndHistogram both = StatsAndHistogram.of(tensor, 100, Histogram.Binning.SYMLOG, cores);
            return both.stats().mean() + both.histogram().zeros();
        }));
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

    /** GB/s of the fastest of a few runs after one warm-up, in wall time and in the thread's CPU time. */
    private static String rate(double gb, DoubleSupplier work) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double wall = Double.MAX_VALUE;
        double cpu = Double.MAX_VALUE;
        for (int r = 0; r <= RUNS; r++) {
            long start = System.nanoTime();
            long startCpu = threads.getCurrentThreadCpuTime();
            sink += work.getAsDouble();
            if (r > 0) {
                wall = Math.min(wall, (System.nanoTime() - start) / 1e9);
                cpu = Math.min(cpu, (threads.getCurrentThreadCpuTime() - startCpu) / 1e9);
            }
        }
        return String.format("%.2f GB/s (%.2f GB/s of CPU time)", gb / wall, gb / cpu);
    }
}
