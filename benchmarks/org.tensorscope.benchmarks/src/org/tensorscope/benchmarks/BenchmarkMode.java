package org.tensorscope.benchmarks;

/**
 * How much a benchmark measures: "short" in every build (once, small, so that the benchmarks keep
 * working and their lines show in the build's log), "full" with -Pbenchmarks, for the figures
 * docs/benchmarks.md gives. Set by the root pom's tensorscope.benchmark.
 */
final class BenchmarkMode {

    private BenchmarkMode() {
    }

    static boolean full() {
        return System.getProperty("tensorscope.benchmark", "full").startsWith("full");
    }

    /** The first line of a report: which form of the benchmark made it. */
    static String header(String what) {
        return what + (full() ? " (full)" : " (short: the normal build's one pass; -Pbenchmarks for the figures)");
    }
}
