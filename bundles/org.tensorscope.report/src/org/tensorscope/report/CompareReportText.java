package org.tensorscope.report;

import java.util.List;
import java.util.stream.Collectors;

import org.tensorscope.core.compare.ComparedSide;
import org.tensorscope.core.compare.Comparison;
import org.tensorscope.core.compare.Divergence;
import org.tensorscope.core.compare.ErrorMetrics;
import org.tensorscope.core.compare.PairStatus;
import org.tensorscope.core.compare.TensorPair;
import org.tensorscope.core.compare.WeightPair;
import org.tensorscope.core.compare.WeightsComparison;

/**
 * Writes a {@link Comparison} as the command line shows it: the two sides, how tensors were
 * matched, the first divergence and why, the outputs, the tensors with the largest errors and the
 * weights.
 */
public final class CompareReportText {

    /** Names listed at most where a list could be long (unmatched tensors). */
    private static final int LISTED = 5;

    private CompareReportText() {
    }

    /** @param top how many tensors (or weights) to list by error */
    public static String toText(Comparison c, int top) {
        StringBuilder t = new StringBuilder();
        side(t, "A", c.a());
        side(t, "B", c.b());
        if (c.weightsOnly()) {
            weightsOnly(t, c.weights(), top);
        } else {
            runs(t, c, top);
        }
        line(t, "Result", c.diverged() ? "the two sides diverge beyond the tolerance " + CompareNumbers.text(c.tolerance())
                : "no divergence beyond the tolerance " + CompareNumbers.text(c.tolerance()));
        return t.toString();
    }

    private static void runs(StringBuilder t, Comparison c, int top) {
        line(t, "Matching", c.matching().description() + ": " + c.pairs().size() + " tensors paired, "
                + unmatched(c.unmatchedA(), "A") + ", " + unmatched(c.unmatchedB(), "B"));
        for (String note : c.matchingNotes()) {
            t.append("  note: ").append(note).append('\n');
        }
        List<TensorPair> notCompared = c.pairs().stream().filter(p -> p.status() == PairStatus.NOT_COMPARED).toList();
        line(t, "Compared", c.comparedCount() + " of " + c.pairs().size() + " pairs"
                + (notCompared.isEmpty() ? "" : "; not compared: " + notCompared.stream().limit(LISTED)
                        .map(p -> p.tensorA() + " (" + p.note() + ")").collect(Collectors.joining(", "))
                        + (notCompared.size() > LISTED ? " and " + (notCompared.size() - LISTED) + " more" : "")));
        line(t, "Tolerance", CompareNumbers.text(c.tolerance()) + " on |a - b| / (1 + |a|)");
        if (c.firstDivergence().isPresent()) {
            Divergence d = c.firstDivergence().get();
            TensorPair p = d.pair();
            line(t, "First divergence", p.opA() + " (" + p.opType() + "), tensor " + p.tensorA()
                    + (p.tensorB().equals(p.tensorA()) ? "" : " / B " + p.tensorB()) + ", #" + p.order()
                    + " in execution order");
            t.append("  ").append(errors(p)).append('\n');
            if (!d.differingInputs().isEmpty()) {
                t.append("  because its input").append(d.differingInputs().size() == 1 ? " " : "s ")
                        .append(differingInputs(c, d))
                        .append(d.differingInputs().size() == 1 ? " already differs" : " already differ")
                        .append("; every computed tensor before it matches\n");
            } else if (!d.uncomparedInputs().isEmpty()) {
                t.append("  its input").append(d.uncomparedInputs().size() == 1 ? " " : "s ")
                        .append(String.join(", ", d.uncomparedInputs()))
                        .append(d.uncomparedInputs().size() == 1 ? " was" : " were")
                        .append(" not compared (no counterpart, or no value): the difference may come from"
                                + " before this op\n");
            } else {
                t.append("  its inputs match: the op itself computes differently on the two sides\n");
            }
        } else {
            line(t, "First divergence", "none");
        }
        for (TensorPair p : c.outputs()) {
            line(t, "Output", p.tensorA() + (p.tensorB().equals(p.tensorA()) ? "" : " / B " + p.tensorB()) + "  "
                    + errors(p));
        }
        List<TensorPair> worst = c.topByError(c.pairs().size()).stream().filter(p -> !p.input() && p.error() > 0).limit(top)
                .toList();
        if (worst.isEmpty()) {
            line(t, "Largest errors", "none: every compared tensor is identical on both sides");
        } else {
            t.append("Largest errors (by |a - b| / (1 + |a|)):\n");
            for (TensorPair p : worst) {
                t.append(String.format(java.util.Locale.ROOT, "  #%-5d %s (%s)  error %s  %s%n", p.order(), p.tensorA(),
                        p.opType(), CompareNumbers.text(p.error()), errors(p)));
            }
        }
        if (c.weights() != null) {
            WeightsComparison w = c.weights();
            line(t, "Weights", w.pairs().size() + " paired " + w.matching().description() + ", " + w.diverged().size()
                    + " differ" + w.diverged().stream().limit(LISTED).map(WeightPair::weightA)
                            .collect(Collectors.joining(", ", w.diverged().isEmpty() ? "" : ": ", ""))
                    + (w.diverged().size() > LISTED ? " and " + (w.diverged().size() - LISTED) + " more" : ""));
        }
    }

    private static void weightsOnly(StringBuilder t, WeightsComparison w, int top) {
        if (w == null) {
            line(t, "Weights", "none to compare");
            return;
        }
        line(t, "Matching", w.matching().description() + ": " + w.pairs().size() + " weights paired, "
                + unmatched(w.unmatchedA(), "A") + ", " + unmatched(w.unmatchedB(), "B"));
        line(t, "Differ", w.diverged().size() + " of " + w.pairs().size() + " weights");
        line(t, "First NaN/Inf", w.firstNonFinite().map(p -> p.weightA() + " " + p.shapeA() + ": " + p.nonFiniteB()
                + " NaN/Inf in B, " + p.nonFiniteA() + " in A").orElse("none: every compared weight is finite on both sides"));
        line(t, "Most changed", w.mostChanged().map(p -> p.weightA() + " " + p.shapeA() + ": relative change "
                + CompareNumbers.text(p.relativeChange())).orElse("none"));
        List<WeightPair> ranked = w.ranked().stream().filter(p -> p.metrics() != null || p.diverged()).limit(top).toList();
        if (!ranked.isEmpty()) {
            t.append("Weights by change:\n");
            for (WeightPair p : ranked) {
                t.append("  ").append(p.weightA()).append(' ').append(p.shapeA()).append("  ");
                if (p.metrics() == null) {
                    t.append(p.note()).append('\n');
                } else {
                    t.append("relative change ").append(CompareNumbers.text(p.relativeChange())).append("  ")
                            .append(errors(p.metrics())).append('\n');
                }
            }
        }
    }

    /**
     * The first divergence's differing inputs, a computed one with how far it is off ("a:0 (by up to 1.2e-4, within
     * the tolerance)"): the op made a small difference larger.
     */
    static String differingInputs(Comparison c, Divergence d) {
        return d.differingInputs().stream().map(input -> input + c.pairOfA(input)
                .filter(p -> !p.input() && p.status() == PairStatus.MATCH && p.metrics() != null)
                .map(p -> " (by up to " + CompareNumbers.text(p.metrics().maxAbsError()) + ", within the tolerance)")
                .orElse("")).collect(Collectors.joining(", "));
    }

    private static String errors(TensorPair p) {
        if (p.metrics() == null) {
            return p.status().displayName().replace('_', ' ') + ": " + p.note();
        }
        return errors(p.metrics()) + (p.note().isEmpty() ? "" : "  (" + p.note() + ")");
    }

    private static String errors(ErrorMetrics m) {
        StringBuilder s = new StringBuilder().append("max abs ").append(CompareNumbers.text(m.maxAbsError()))
                .append("  max rel ").append(CompareNumbers.text(m.maxRelError())).append("  cosine ")
                .append(CompareNumbers.text(m.cosine()));
        if (m.nanA() + m.infA() + m.nanB() + m.infB() > 0) {
            s.append("  NaN A/B ").append(m.nanA()).append('/').append(m.nanB()).append("  Inf A/B ").append(m.infA())
                    .append('/').append(m.infB());
        }
        if (m.beyondTolerance() + m.nonFiniteMismatches() > 0) {
            s.append("  ").append(m.beyondTolerance() + m.nonFiniteMismatches()).append(" of ").append(m.elements())
                    .append(" beyond");
            s.append(", worst at ").append(m.worstPosition()).append(": A ").append(CompareNumbers.text(m.worstA()))
                    .append(", B ").append(CompareNumbers.text(m.worstB()));
        }
        return s.toString();
    }

    private static String unmatched(List<String> names, String side) {
        if (names.isEmpty()) {
            return "none of " + side + " unmatched";
        }
        return names.size() + " of " + side + " unmatched (" + names.stream().limit(LISTED).collect(Collectors.joining(", "))
                + (names.size() > LISTED ? ", ..." : "") + ")";
    }

    private static void side(StringBuilder t, String label, ComparedSide side) {
        line(t, label, side.model() + " (" + side.format() + (side.signature().isEmpty() ? "" : ", signature "
                + side.signature()) + ")");
        if (!side.inputs().isEmpty()) {
            t.append("  inputs: ").append(String.join("; ", side.inputs())).append('\n');
        }
        if (!side.deviceNote().isEmpty()) {
            t.append("  ").append(side.deviceNote()).append('\n');
        }
    }

    private static void line(StringBuilder t, String label, String text) {
        t.append(String.format(java.util.Locale.ROOT, "%-17s %s%n", label + ":", text));
    }
}
