package org.tensorscope.core.compare;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The result of comparing two runs (or, weights only, two models): the matched tensors with their
 * errors in A's execution order, the first divergence, what could not be matched, and the weights
 * compared. Built by {@link RunComparer}; rendered by the CLI, the reports and the Compare view.
 *
 * @param a               side A (the reference)
 * @param b               side B
 * @param tolerance       the tolerance a tensor must exceed to diverge (see {@link ErrorMetrics#error()})
 * @param matching        how tensors were paired
 * @param pairs           the matched tensors in A's execution order; empty for a weights-only comparison
 * @param firstDivergence the first computed tensor that diverged, if any
 * @param unmatchedA      A's floating-point tensors with no counterpart in B, in execution order
 * @param unmatchedB      B's floating-point tensors with no counterpart in A, in execution order
 * @param weights         the weights compared; null when they were not (a model without weights)
 * @param weightsOnly     whether only the weights were compared (no run)
 * @param matchingNotes   what the user should know about how tensors were paired, in words: signature outputs
 *                        paired by shape rather than by key, pairs by position that the computed shapes refuted
 */
public record Comparison(ComparedSide a, ComparedSide b, double tolerance, TensorMatching matching,
        List<TensorPair> pairs, Optional<Divergence> firstDivergence, List<String> unmatchedA, List<String> unmatchedB,
        WeightsComparison weights, boolean weightsOnly, List<String> matchingNotes) {

    public Comparison {
        pairs = List.copyOf(pairs);
        unmatchedA = List.copyOf(unmatchedA);
        unmatchedB = List.copyOf(unmatchedB);
        matchingNotes = List.copyOf(matchingNotes);
    }

    /** A comparison with nothing to note about the matching. */
    public Comparison(ComparedSide a, ComparedSide b, double tolerance, TensorMatching matching, List<TensorPair> pairs,
            Optional<Divergence> firstDivergence, List<String> unmatchedA, List<String> unmatchedB,
            WeightsComparison weights, boolean weightsOnly) {
        this(a, b, tolerance, matching, pairs, firstDivergence, unmatchedA, unmatchedB, weights, weightsOnly, List.of());
    }

    /**
     * Whether the two sides differ: a computed tensor or an output diverged, or (weights only) a weight
     * diverged or holds NaN/Inf on one side only.
     */
    public boolean diverged() {
        if (weightsOnly) {
            return weights != null && !weights.diverged().isEmpty();
        }
        return firstDivergence.isPresent() || pairs.stream().anyMatch(p -> !p.input() && p.diverged());
    }

    /** The compared pairs with the largest errors first (shape and NaN/Inf mismatches on top); at most {@code n}. */
    public List<TensorPair> topByError(int n) {
        return pairs.stream().filter(p -> !Double.isNaN(p.error()))
                .sorted(Comparator.comparingDouble(TensorPair::error).reversed().thenComparingInt(TensorPair::order))
                .limit(n).toList();
    }

    /** The pair of one of A's tensors ("op:k" or an op name for its first output). */
    public Optional<TensorPair> pairOfA(String tensor) {
        String name = org.tensorscope.core.model.TensorSpec.tensorName(tensor);
        return pairs.stream().filter(p -> p.tensorA().equals(name)).findFirst();
    }

    /** The pair of one of B's tensors ("op:k" or an op name for its first output). */
    public Optional<TensorPair> pairOfB(String tensor) {
        String name = org.tensorscope.core.model.TensorSpec.tensorName(tensor);
        return pairs.stream().filter(p -> p.tensorB().equals(name)).findFirst();
    }

    /** The pairs of A's signature outputs, in execution order. */
    public List<TensorPair> outputs() {
        return pairs.stream().filter(TensorPair::output).toList();
    }

    /** Pairs whose values were compared (MATCH or DIVERGED). */
    public long comparedCount() {
        return pairs.stream().filter(p -> p.metrics() != null).count();
    }
}
