package org.tensorscope.core.compare;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The weights of two models of the same architecture compared (two checkpoints of one training run,
 * a model and its conversion): which weight changed most and which holds NaN/Inf.
 *
 * @param matching   how weights were paired
 * @param pairs      matched weights in A's graph order
 * @param unmatchedA A's floating-point weights with no counterpart in B
 * @param unmatchedB B's floating-point weights with no counterpart in A
 */
public record WeightsComparison(TensorMatching matching, List<WeightPair> pairs, List<String> unmatchedA,
        List<String> unmatchedB) {

    public WeightsComparison {
        pairs = List.copyOf(pairs);
        unmatchedA = List.copyOf(unmatchedA);
        unmatchedB = List.copyOf(unmatchedB);
    }

    /**
     * The pairs from most to least suspicious: those holding NaN/Inf on either side first (in graph
     * order, so the first is the first weight to hold them), then shape mismatches, then by relative change,
     * largest first; pairs not compared last.
     */
    public List<WeightPair> ranked() {
        return pairs.stream().sorted(Comparator.comparingInt(WeightsComparison::rank)
                .thenComparing(p -> rank(p) == 2 ? -safe(p.relativeChange()) : 0)
                .thenComparingInt(WeightPair::order)).toList();
    }

    private static int rank(WeightPair p) {
        if (p.metrics() != null && (p.nonFiniteA() > 0 || p.nonFiniteB() > 0)) {
            return 0;
        }
        return switch (p.status()) {
            case SHAPE_MISMATCH -> 1;
            case MATCH, DIVERGED -> 2;
            case NOT_COMPARED -> 3;
        };
    }

    private static double safe(double v) {
        return Double.isNaN(v) ? Double.NEGATIVE_INFINITY : v;
    }

    /** The first weight, in graph order, holding NaN or infinity on either side. */
    public Optional<WeightPair> firstNonFinite() {
        return pairs.stream().filter(p -> p.nonFiniteA() > 0 || p.nonFiniteB() > 0).findFirst();
    }

    /** The finite weight with the largest relative change. */
    public Optional<WeightPair> mostChanged() {
        return pairs.stream().filter(p -> p.metrics() != null && !Double.isNaN(p.relativeChange()))
                .max(Comparator.comparingDouble(WeightPair::relativeChange));
    }

    /** The weights that differ beyond the tolerance or in shape, in graph order. */
    public List<WeightPair> diverged() {
        return pairs.stream().filter(WeightPair::diverged).toList();
    }
}
