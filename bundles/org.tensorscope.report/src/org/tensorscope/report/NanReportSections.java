package org.tensorscope.report;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.tensorscope.core.analysis.NanOrigin;
import org.tensorscope.core.report.CoverageText;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.report.Numbers;

/**
 * A {@link NanReport} as the sections every rendering of it shows, built once: the command line
 * ({@link ReportText}), the HTML page ({@link ReportHtml}) and the workbench's NaN Trace view lay
 * the sections out each in its own way, but take every sentence from here and write every number
 * with {@link Numbers}, so they cannot disagree.
 *
 * @param run         what was run, on what
 * @param coverage    what was checked and the verdict
 * @param origins     every independent origin, the first one first; empty when everything checked is finite
 * @param propagation ops after the first origin that its NaN/Inf reached, in execution order
 * @param runtime     how the user's optimised runtime differs from the traced run, in words; null when they agree
 *                    or were not compared
 * @param outputs     when a tensor is not finite, what the outputs hold in a plain run, in words; null when the runs
 *                    were not compared or disagree (then {@code runtime} says it)
 * @param inputs      the fed inputs and what is wrong with them
 * @param weights     the weights that already hold NaN or infinity
 * @param ops         the health of every checked op output, in execution order
 * @param statistics  whether the health mode computed minimum, maximum and mean (only {@code FULL} does)
 */
public record NanReportSections(Run run, Coverage coverage, List<OriginSection> origins, List<String> propagation,
        String runtime, String outputs, List<InputSection> inputs, WeightsSection weights, List<NanReport.OpHealth> ops,
        boolean statistics) {

    /** Said when no cause rule recognised an origin: a rule never guesses. */
    public static final String NO_CAUSE = "no rule recognised this case; see the inputs of the op";

    public NanReportSections {
        origins = List.copyOf(origins);
        propagation = List.copyOf(propagation);
        inputs = List.copyOf(inputs);
        ops = List.copyOf(ops);
    }

    /** The sections of one report. */
    public static NanReportSections of(NanReport report) {
        Run run = new Run(report.model(), report.format(), report.signature(), report.device(), report.healthMode(),
                report.deviceNote());
        String result = null;
        if (report.finite()) {
            result = report.complete() ? "every tensor is finite"
                    : "every checked tensor is finite; " + report.unchecked().size() + " could not be checked";
        }
        Coverage coverage = new Coverage(CoverageText.verdict(report), result, report.finite(), report.complete(),
                report.checked(), nonFinite(report), report.unchecked(),
                report.complete() ? "" : CoverageText.uncheckedText(report.unchecked()));
        List<OriginSection> origins = new ArrayList<>();
        if (!report.finite()) {
            for (NanReport.Origin origin : report.origins()) {
                origins.add(OriginSection.of(origin, origins.isEmpty()));
            }
        }
        String runtime = report.fidelity() != null && !report.fidelity().agree() ? report.fidelity().explanation()
                : null;
        String outputs = report.finite() || runtime != null ? null : outputsText(report.fidelity());
        List<InputSection> inputs = report.inputs().stream().map(InputSection::of).toList();
        WeightsSection weights = new WeightsSection(report.weightCount(), report.weights());
        return new NanReportSections(run, coverage, origins, report.finite() ? List.of() : report.propagation(),
                runtime, outputs, inputs, weights, report.ops(), "FULL".equals(report.healthMode()));
    }

    /**
     * What the outputs hold in the plain run the trace was compared with: a NaN can stop before them (a Relu of a fused
     * kernel maps it to a number), and whether the application reads a NaN is what a user asks first.
     */
    static String outputsText(NanReport.Fidelity fidelity) {
        if (fidelity == null || fidelity.outputs().isEmpty()) {
            return null;
        }
        List<NanReport.OutputComparison> nonFinite = fidelity.outputs().stream().filter(o -> o.plainNonFinite() > 0)
                .toList();
        if (nonFinite.isEmpty()) {
            List<String> names = fidelity.outputs().stream().map(NanReport.OutputComparison::tensor).toList();
            return "finite in a plain run (" + String.join(", ", names) + "): the NaN and infinities above do not reach"
                    + " what the application reads";
        }
        java.text.NumberFormat counts = java.text.NumberFormat.getIntegerInstance(java.util.Locale.ROOT);
        List<String> held = nonFinite.stream().map(o -> o.tensor() + " holds " + counts.format(o.plainNonFinite())
                + " NaN/Inf (" + counts.format(o.plainNan()) + " NaN)").toList();
        int finite = fidelity.outputs().size() - nonFinite.size();
        return "in a plain run, " + String.join("; ", held) + (finite == 0 ? "" : "; " + finite + " other output"
                + (finite == 1 ? " is" : "s are") + " finite");
    }

    /** The first origin, null when there is none. */
    public OriginSection origin() {
        return origins.isEmpty() ? null : origins.get(0);
    }

    /** The origins after the first, each independent of it. */
    public List<OriginSection> otherOrigins() {
        return origins.size() <= 1 ? List.of() : origins.subList(1, origins.size());
    }

    /** "12 later ops, e.g. a -> b -> c" naming the first {@code named}, with the given arrow. */
    public String propagationText(int named, String arrow) {
        return propagation.size() + " later op" + (propagation.size() == 1 ? "" : "s") + ", e.g. "
                + String.join(arrow, propagation.subList(0, Math.min(named, propagation.size())))
                + (propagation.size() > named ? " …" : "");
    }

    /** "x:0 float32[4]: min -1, max 8, NaN 0, ±Inf 0". */
    public static String describe(NanReport.TensorSummary s) {
        return s.tensor() + " " + s.dtype() + s.shape() + ": min " + Numbers.format(s.min()) + ", max "
                + Numbers.format(s.max()) + ", NaN " + s.nan() + ", ±Inf " + (s.negInf() + s.posInf());
    }

    private static long nonFinite(NanReport report) {
        return report.ops().stream().filter(CoverageText::nonFinite).count();
    }

    /** What was run: the model, its format, the signature, the device and the health mode. */
    public record Run(String model, String format, String signature, String device, String healthMode,
            String deviceNote) {
    }

    /**
     * What was checked.
     *
     * @param verdict       the coverage sentence ({@link CoverageText#verdict})
     * @param result        when everything checked is finite, that in words ("every tensor is finite" only when
     *                      nothing is unchecked); null otherwise
     * @param finite        whether every checked tensor is finite
     * @param complete      whether every tensor was checked
     * @param checked       tensors checked
     * @param nonFinite     checked op outputs holding NaN or infinity
     * @param unchecked     tensors not checked, with the reason
     * @param uncheckedText the unchecked tensors grouped by reason in words; empty when there are none
     */
    public record Coverage(String verdict, String result, boolean finite, boolean complete, int checked,
            long nonFinite, List<NanReport.Unchecked> unchecked, String uncheckedText) {

        public Coverage {
            unchecked = List.copyOf(unchecked);
        }
    }

    /**
     * One origin: an op that turned finite inputs into NaN or infinity.
     *
     * @param first      whether this is the first origin (the others are independent of it)
     * @param op         the op
     * @param type       its type
     * @param where      where in a loop it is (" at iteration 3 of loop while"), empty when in none
     * @param kind       what is to blame
     * @param cause      the cause a rule recognised, null when none did ({@link #NO_CAUSE})
     * @param firstInfOp the first op holding ±Inf, null when none (on the first origin only)
     * @param firstNanOp the first op holding NaN, null when none (on the first origin only)
     * @param then       why the first NaN op made NaN when it is not the origin, null otherwise; its fix is null
     *                   when it is the origin's fix
     * @param opInputs   statistics of the op's inputs
     * @param histogram  histogram of the input the cause blames, null when none
     * @param uncheckedInputs the op's inputs the trace could not check
     */
    public record OriginSection(boolean first, String op, String type, String where, NanOrigin.Kind kind,
            CauseSection cause, String firstInfOp, String firstNanOp, CauseSection then,
            List<NanReport.TensorSummary> opInputs, NanReport.Histogram histogram, List<String> uncheckedInputs) {

        public OriginSection {
            opInputs = List.copyOf(opInputs);
            uncheckedInputs = List.copyOf(uncheckedInputs);
        }

        static OriginSection of(NanReport.Origin origin, boolean first) {
            CauseSection cause = CauseSection.of(origin.cause(), null);
            CauseSection then = origin.firstNanCause() == null ? null
                    : CauseSection.of(origin.firstNanCause(), origin.cause() == null ? null : origin.cause().suggestion());
            return new OriginSection(first, origin.op(), origin.type(), CoverageText.loopText(origin), origin.kind(),
                    cause, first ? origin.firstInfOp() : null, first ? origin.firstNanOp() : null, then,
                    origin.opInputs(), origin.histogram(), origin.uncheckedInputs());
        }

        /** "op (Type)" with where it is in a loop. */
        public String title() {
            return op + " (" + type + ")" + where;
        }

        /** What is to blame, in words: "computed from finite inputs", "the weights already hold NaN or infinity". */
        public String blame() {
            if (kind == NanOrigin.Kind.COMPUTATION && !uncheckedInputs.isEmpty()) {
                return "computed from " + (uncheckedInputs.size() == 1 ? "an input" : "inputs")
                        + " that could not be checked (" + String.join(", ", uncheckedInputs)
                        + "): NaN or infinity may start before it";
            }
            return blame(kind);
        }

        /** What is to blame, in words. */
        public static String blame(NanOrigin.Kind kind) {
            return switch (kind) {
                case INPUT -> "the input already holds NaN or infinity";
                case WEIGHTS -> "the weights already hold NaN or infinity";
                case COMPUTATION -> "computed from finite inputs";
            };
        }
    }

    /**
     * A recognised cause.
     *
     * @param rule        the rule's id
     * @param description the cause in words
     * @param values      the offending input elements
     * @param fix         what to do; null when it repeats the fix given just before
     */
    public record CauseSection(String rule, String description, List<Offending> values, String fix) {

        public CauseSection {
            values = List.copyOf(values);
        }

        static CauseSection of(NanReport.Cause cause, String fixAlreadyGiven) {
            if (cause == null) {
                return null;
            }
            return new CauseSection(cause.rule(), cause.description(),
                    cause.offendingValues().stream().map(v -> new Offending(v.input(), v.position(), v.value())).toList(),
                    cause.suggestion().equals(fixAlreadyGiven) ? null : cause.suggestion());
        }
    }

    /** One offending element: which input of the op, where in it, and its value. */
    public record Offending(int input, List<Long> position, double value) {

        public Offending {
            position = List.copyOf(position);
        }

        /** "input 0 at [0, 2] = -1.5". */
        public String text() {
            return "input " + input + " at " + position + " = " + Numbers.format(value);
        }
    }

    /**
     * One fed input.
     *
     * @param name     the input's name
     * @param source   where its values came from, as given
     * @param values   "range [min, max]" of its finite values, or "3 string(s) [3]" for strings
     * @param problems what is wrong with it (NaN, values outside the promised range...)
     * @param summary  its statistics
     */
    public record InputSection(String name, String source, String values, List<String> problems,
            NanReport.TensorSummary summary) {

        public InputSection {
            problems = List.copyOf(problems);
        }

        static InputSection of(NanReport.InputHealth input) {
            NanReport.TensorSummary s = input.summary();
            String values = "string".equals(s.dtype()) ? s.count() + " string(s) " + s.shape()
                    : "range [" + Numbers.format(s.min()) + ", " + Numbers.format(s.max()) + "]";
            return new InputSection(input.name(), input.source(), values, input.problems(), s);
        }
    }

    /** The weights: how many were checked and those already holding NaN or infinity. */
    public record WeightsSection(int count, List<NanReport.WeightHealth> nonFinite) {

        public WeightsSection {
            nonFinite = List.copyOf(nonFinite);
        }

        /**
         * "all 12 weights are finite", "2 of 12 weights hold NaN or infinity: w (3), v (1)", and for those the trace
         * left out (an infinity by design) "1 of 12 weights holds NaN or infinity and is left out of the check (see
         * Checked): t (1)".
         */
        public String text() {
            if (nonFinite.isEmpty()) {
                return "all " + count + " weights are finite";
            }
            List<NanReport.WeightHealth> searched = nonFinite.stream().filter(NanReport.WeightHealth::searched).toList();
            List<NanReport.WeightHealth> leftOut = nonFinite.stream().filter(w -> !w.searched()).toList();
            List<String> parts = new ArrayList<>();
            if (!searched.isEmpty()) {
                parts.add(searched.size() + " of " + count + " weights hold NaN or infinity: " + listed(searched));
            }
            if (!leftOut.isEmpty()) {
                parts.add(leftOut.size() + " of " + count + (leftOut.size() == 1 ? " weights holds NaN or infinity and is"
                        : " weights hold NaN or infinity and are") + " left out of the check (see Checked): "
                        + listed(leftOut));
            }
            return String.join("; ", parts);
        }

        /** Whether a weight that the trace searched holds NaN or infinity: the model itself is broken. */
        public boolean broken() {
            return nonFinite.stream().anyMatch(NanReport.WeightHealth::searched);
        }

        private static String listed(List<NanReport.WeightHealth> weights) {
            return weights.stream().map(w -> w.op() + " (" + w.nonFinite() + ")").collect(Collectors.joining(", "));
        }
    }
}
