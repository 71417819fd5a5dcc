package org.tensorscope.core.sequence;

import java.util.List;
import java.util.Optional;

import org.tensorscope.core.report.CoverageText;
import org.tensorscope.core.report.NanReport;

/**
 * Everything a sequence run recorded and found; the CLI, the reports and the Sequence view read it. Steps are
 * kept compactly (see {@link SequenceStep}); a step's tensors come from running it again from its feeds.
 *
 * @param model       model path
 * @param format      model format
 * @param signature   signature run
 * @param device      device asked for ("cpu"/"gpu")
 * @param deviceNote  what the backend chose instead, empty when as asked
 * @param healthMode  the health mode of every step's pass
 * @param frames      the frame source as given, e.g. "frames/" or "ramp*1.5^t"
 * @param framesInput the input the frames were fed to (signature key), null when no input takes frames
 * @param feedback    the feedback rules as given, e.g. "r1o=r1i"
 * @param stepsAsked  the steps asked for
 * @param driftFactor growth over the starting norm that counts as drift
 * @param steps       the steps that ran, in order
 * @param stopped     why the run stopped before {@code stepsAsked} steps, empty when all ran
 * @param findings    NaN/Inf, drift and jitter
 * @param fidelity    how the traced run of step {@code fidelityStep} compares with a plain (optimised) run of it, as
 *                    the NaN report's; null when not compared (no step ran, the run was cancelled, or the backend does
 *                    not return the traced outputs)
 * @param fidelityStep the step compared: the last that ran (the NaN step's own trace when it holds NaN/Inf); -1
 *                    without a comparison
 */
public record SequenceResult(String model, String format, String signature, String device, String deviceNote,
        String healthMode, String frames, String framesInput, List<String> feedback, int stepsAsked, double driftFactor,
        List<SequenceStep> steps, String stopped, SequenceFindings findings, NanReport.Fidelity fidelity,
        int fidelityStep) {

    /** A result without a fidelity comparison. */
    public SequenceResult(String model, String format, String signature, String device, String deviceNote,
            String healthMode, String frames, String framesInput, List<String> feedback, int stepsAsked,
            double driftFactor, List<SequenceStep> steps, String stopped, SequenceFindings findings) {
        this(model, format, signature, device, deviceNote, healthMode, frames, framesInput, feedback, stepsAsked,
                driftFactor, steps, stopped, findings, null, -1);
    }

    /** How {@link #stopped()} begins for a run that was cancelled. */
    public static final String CANCELLED = "cancelled";

    public SequenceResult {
        feedback = List.copyOf(feedback);
        steps = List.copyOf(steps);
        stopped = stopped == null ? "" : stopped;
    }

    /** Whether every asked step ran. */
    public boolean complete() {
        return stopped.isEmpty();
    }

    /** Whether the run was cancelled (through its progress monitor) before every step ran. */
    public boolean cancelled() {
        return stopped.startsWith(CANCELLED);
    }

    public Optional<SequenceStep> step(int index) {
        return index >= 0 && index < steps.size() ? Optional.of(steps.get(index)) : Optional.empty();
    }

    /** The tensors some step could not check, each once with the reason first given, in the order met. */
    public List<NanReport.Unchecked> unchecked() {
        java.util.Map<String, String> reasons = new java.util.LinkedHashMap<>();
        steps.forEach(s -> s.unchecked().forEach(u -> reasons.putIfAbsent(u.tensor(), u.reason())));
        return reasons.entrySet().stream().map(e -> new NanReport.Unchecked(e.getKey(), e.getValue())).toList();
    }

    /**
     * What the findings could not see, for every rendering to append to "no NaN/Inf" (e.g. "3 not checked: a, b
     * (inside the body of Loop 'x')"); empty when every step checked everything its outputs needed.
     */
    public String uncheckedText() {
        List<NanReport.Unchecked> unchecked = unchecked();
        return unchecked.isEmpty() ? "" : CoverageText.uncheckedText(unchecked);
    }

    /**
     * The runtime notice every rendering shows: how the traced steps differ from what the user's optimised
     * runtime computes (fused kernels), as the NaN report's; empty when they agree or were not compared.
     */
    public String fidelityText() {
        return fidelity == null || fidelity.agree() ? "" : "step " + fidelityStep + ": " + fidelity.explanation();
    }

    /** Bytes of fed-back values the steps keep for running them again (frames are kept as their recipe). */
    public long keptInputBytes() {
        return steps.stream().mapToLong(s -> s.inputs().storedBytes()).sum();
    }

    /** Why some steps can no longer be run again (their fed-back values were let go); empty when every step can. */
    public String rerunText() {
        List<Integer> lost = steps.stream().filter(s -> !s.inputs().canRerun()).map(SequenceStep::index).toList();
        if (lost.isEmpty()) {
            return "";
        }
        String reason = steps.get(lost.get(lost.size() - 1)).inputs().whyNot();
        String tail = reason.contains(": ") ? reason.substring(reason.indexOf(": ") + 2) : reason;
        return (lost.size() == 1 ? "step " + lost.get(0) : lost.size() + " steps (" + lost.get(0) + " to "
                + lost.get(lost.size() - 1) + ")") + " can no longer be run again: " + tail;
    }

    /** The names of the outputs, in signature order. */
    public List<String> outputNames() {
        return steps.isEmpty() ? List.of() : steps.get(0).outputs().stream().map(ValueSummary::name).toList();
    }

    /** The names of the fed-back states (the inputs feedback feeds). */
    public List<String> stateNames() {
        return steps.isEmpty() ? List.of() : steps.get(0).states().stream().map(ValueSummary::name).toList();
    }

    /** Every op output some step checked, in the first step's execution order, later ones appended. */
    public List<String> opTensors() {
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
        steps.forEach(s -> s.ops().forEach(o -> names.add(o.tensor())));
        return List.copyOf(names);
    }

    /** An output's norm per step (NaN where a step does not have it). */
    public double[] outputNorms(String name) {
        return series(s -> s.output(name).map(ValueSummary::norm));
    }

    /** A fed-back state's norm per step, as fed to that step (NaN where a step does not have it). */
    public double[] stateNorms(String name) {
        return series(s -> s.state(name).map(ValueSummary::norm));
    }

    /** An op output's finite max|x| per step (NaN where a step did not check it). */
    public double[] opMaxAbs(String tensorOrOp) {
        return series(s -> s.op(tensorOrOp).map(OpStat::maxAbs));
    }

    private double[] series(java.util.function.Function<SequenceStep, Optional<Double>> value) {
        double[] values = new double[steps.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = value.apply(steps.get(i)).orElse(Double.NaN);
        }
        return values;
    }
}
