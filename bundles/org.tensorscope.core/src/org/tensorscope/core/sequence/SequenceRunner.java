package org.tensorscope.core.sequence;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.tensorscope.core.analysis.TensorStats;
import org.tensorscope.core.input.InputCheck;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpRole;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.SignatureTensor;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.run.NanTracer;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.run.Summaries;
import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.TensorHealth;
import org.tensorscope.core.trace.Trace;

/**
 * Runs a model step by step over a sequence: each step is one health pass over what the outputs need, fed the
 * step's frame, the previous step's outputs through the feedback rules and the other inputs unchanged. Keeps each
 * step compactly, stops at the first step where NaN or infinity appears (running the ordinary NaN trace of that
 * step), and finds drift and jitter. Shared by the CLI and the workbench.
 */
public final class SequenceRunner {

    /** The most bytes of fed-back values the steps of a run keep for running a step again (see {@link StepInputs}). */
    public static final long DEFAULT_KEPT_BYTES = 256L << 20;

    private final NanTracer tracer;
    private final long keptBytes;

    public SequenceRunner(NanTracer tracer) {
        this(tracer, DEFAULT_KEPT_BYTES);
    }

    /**
     * @param keptBytes the most bytes of fed-back values kept for running steps again: past it the oldest steps'
     *                  are let go (the last step's are always kept)
     */
    public SequenceRunner(NanTracer tracer, long keptBytes) {
        this.tracer = tracer;
        this.keptBytes = keptBytes;
    }

    /**
     * @throws BackendException         when a step fails to run
     * @throws IOException              when a frame cannot be read
     * @throws IllegalArgumentException when a frame or a fed-back value does not fit its input, naming the step
     * @return the steps run and what they show; when the monitor is cancelled, the steps run until then, with
     *         {@link SequenceResult#cancelled()} true
     */
    public SequenceResult run(ModelGraph graph, Signature signature, InferenceSession session, SequencePlan plan,
            IProgressMonitor monitor) throws BackendException, IOException {
        int steps = plan.steps();
        String stopped = "";
        if (plan.frames() != null && plan.frames().count() >= 0 && plan.frames().count() < steps) {
            steps = plan.frames().count();
            stopped = "the frames ran out after " + steps + " of the " + plan.steps() + " steps asked for";
        }
        SubMonitor progress = SubMonitor.convert(monitor, "Running " + graph.source().getFileName() + " over "
                + steps + " steps", steps + 2);
        List<String> outputs = signature.outputs().stream().map(o -> o.tensor().name()).toList();
        Map<String, TensorData> fixed = new LinkedHashMap<>(plan.initial().feeds());
        List<SequenceStep> done = new ArrayList<>();
        List<SequenceFindings.NotWatched> notWatched = notWatched(signature, plan);
        Map<SignatureTensor, JitterTracker> jitter = new LinkedHashMap<>();
        for (SignatureTensor o : signature.outputs()) {
            if (notWatched.stream().noneMatch(n -> n.name().equals(o.key()))) {
                jitter.put(o, new JitterTracker(o.key()));
            }
        }
        Map<String, TensorData> previous = null;
        NanFinding nan = null;
        Trace lastTrace = null;
        Map<String, TensorData> lastFeeds = null;
        for (int t = 0; t < steps; t++) {
            progress.subTask("step " + (t + 1) + " of " + steps);
            StepInputs.Builder kept = new StepInputs.Builder();
            Map<String, TensorData> feeds = feeds(signature, plan, fixed, previous, t, kept);
            Trace trace;
            try {
                if (progress.isCanceled()) {
                    throw new OperationCanceledException();
                }
                trace = session.healthPass(feeds, outputs, plan.mode(), Map.of(), progress.split(1));
            } catch (OperationCanceledException e) {
                // the steps run so far are worth keeping
                stopped = SequenceResult.CANCELLED + " after " + t + " of " + steps + " steps";
                break;
            }
            Map<String, TensorData> values = outputValues(session, feeds, outputs, trace);
            SequenceStep step = record(signature, plan, t, feeds, kept.build(), values, trace);
            done.add(step);
            keepWithinBudget(done);
            lastTrace = trace;
            lastFeeds = feeds;
            jitter.forEach((output, tracker) -> {
                TensorData value = values.get(output.tensor().name());
                if (value != null && value.dtype().isFloating()) {
                    tracker.add(value);
                }
            });
            if (step.hasNonFinite()) {
                NanReport report = null;
                try {
                    report = tracer.trace(graph, signature, session, inputsOf(signature, plan, step, feeds), Map.of(),
                            plan.mode(), plan.device(), progress.split(1)).report();
                } catch (OperationCanceledException e) {
                    stopped = SequenceResult.CANCELLED + " while tracing step " + t;
                }
                nan = nanFinding(t, report, step);
                if (t < steps - 1 && report != null) {
                    stopped = "stopped at step " + t + ", where NaN or infinity appeared: later steps would carry it";
                }
                break;
            }
            previous = values;
        }
        progress.setWorkRemaining(2);
        NanReport.Fidelity fidelity = null;
        int fidelityStep = -1;
        if (nan != null && nan.report() != null && nan.report().fidelity() != null) {
            fidelity = nan.report().fidelity();
            fidelityStep = nan.step();
        } else if (lastTrace != null && !stopped.startsWith(SequenceResult.CANCELLED)) {
            try {
                fidelity = NanTracer.fidelity(session, lastFeeds, outputs, lastTrace, progress.split(1));
                fidelityStep = fidelity == null ? -1 : done.size() - 1;
            } catch (OperationCanceledException e) {
                // the steps' findings stand without it
            }
        }
        java.util.Set<String> left = new java.util.HashSet<>();
        notWatched.forEach(n -> left.add(n.name()));
        SequenceFindings findings = new SequenceFindings(nan, DriftFinder.find(done, plan.driftFactor(), left),
                jitter.values().stream().map(JitterTracker::stats).toList(), notWatched);
        return new SequenceResult(graph.source().toString(), graph.format(), signature.key(), plan.device(),
                session.deviceNote(), plan.mode().name(), plan.frames() == null ? null : plan.frames().describe(),
                plan.framesInput() == null ? null : plan.framesInput().key(),
                plan.feedback().stream().map(Feedback::text).toList(), plan.steps(), plan.driftFactor(), done, stopped,
                findings, fidelity, fidelityStep);
    }

    /**
     * Outputs and fed-back states that drift and jitter leave out: values that are not floating point (class
     * indices, counts, flags), whose norm and frame-to-frame change mean nothing.
     */
    private static List<SequenceFindings.NotWatched> notWatched(Signature signature, SequencePlan plan) {
        List<SequenceFindings.NotWatched> left = new ArrayList<>();
        for (SignatureTensor o : signature.outputs()) {
            if (isLabel(o)) {
                left.add(new SequenceFindings.NotWatched(o.key(), "output", reason(o)));
            }
        }
        for (Feedback f : plan.feedback()) {
            if (isLabel(f.input())) {
                left.add(new SequenceFindings.NotWatched(f.input().key(), "state", reason(f.input())));
            }
        }
        return left;
    }

    /** Integer or boolean values; a type the loader could not tell is watched as its values turn out. */
    private static boolean isLabel(SignatureTensor t) {
        return !t.tensor().dtype().isFloating() && t.tensor().dtype().byteSize() > 0;
    }

    private static String reason(SignatureTensor t) {
        DType dtype = t.tensor().dtype();
        return dtype.displayName() + (dtype == DType.BOOL ? " values (flags)" : " values (class indices, counts or flags)")
                + ": a norm or a change from frame to frame of labels means nothing, so drift and jitter leave it out";
    }

    /** Lets go of the oldest steps' fed-back values while the steps keep more than the budget; never the last step's. */
    private void keepWithinBudget(List<SequenceStep> done) {
        long total = done.stream().mapToLong(s -> s.inputs().storedBytes()).sum();
        for (int i = 0; i < done.size() - 1 && total > keptBytes; i++) {
            StepInputs inputs = done.get(i).inputs();
            long bytes = inputs.storedBytes();
            if (bytes > 0) {
                inputs.drop("step " + i + " can no longer be run again: fed-back values ("
                        + String.join(", ", inputs.fedBack()) + ") were let go to keep the run's kept inputs within "
                        + org.tensorscope.core.report.Numbers.bytes(keptBytes) + " (later steps are kept)");
                total -= bytes;
            }
        }
    }

    /**
     * A step's inputs as a NaN trace takes them, e.g. to trace or re-run that step of a result; the health of each
     * input is computed from the values the step was fed.
     */
    public static PreparedInputs inputsOf(Signature signature, SequencePlan plan, SequenceStep step)
            throws IOException {
        return inputsOf(signature, plan, step, step.inputs().values());
    }

    private static PreparedInputs inputsOf(Signature signature, SequencePlan plan, SequenceStep step,
            Map<String, TensorData> feeds) {
        List<NanReport.InputHealth> health = new ArrayList<>();
        for (SignatureTensor input : signature.inputs()) {
            TensorData data = feeds.get(input.tensor().name());
            if (data == null) {
                continue;
            }
            String source = source(plan, input, step);
            List<String> problems = new ArrayList<>();
            NanReport.TensorSummary summary;
            if (data.dtype().byteSize() > 0) {
                TensorStats stats = TensorStats.of(data);
                summary = Summaries.of(input.tensor().name(), data, stats);
                if (stats.nonFiniteCount() > 0) {
                    problems.add(String.format("input %s already holds %d NaN and %d infinite values at step %d",
                            input.key(), stats.nan(), stats.posInf() + stats.negInf(), step.index()));
                }
            } else {
                summary = plan.initial().health().stream().filter(h -> h.name().equals(input.key())).findFirst()
                        .map(NanReport.InputHealth::summary).orElse(null);
            }
            health.add(new NanReport.InputHealth(input.key(), source, summary, problems));
        }
        return PreparedInputs.of(feeds, health);
    }

    private static String source(SequencePlan plan, SignatureTensor input, SequenceStep step) {
        if (plan.framesInput() != null && plan.framesInput().key().equals(input.key())) {
            return "frame " + step.index() + ": " + step.frame();
        }
        for (Feedback f : plan.feedback()) {
            if (f.input().key().equals(input.key()) && step.index() > 0) {
                return "feedback " + f.expression().text() + " of step " + (step.index() - 1);
            }
        }
        return plan.initial().health().stream().filter(h -> h.name().equals(input.key())).findFirst()
                .map(NanReport.InputHealth::source).orElse("");
    }

    /** The step's feeds; {@code kept} learns how each is kept (a frame's recipe, the shared value, a fed-back one). */
    private static Map<String, TensorData> feeds(Signature signature, SequencePlan plan, Map<String, TensorData> fixed,
            Map<String, TensorData> previous, int t, StepInputs.Builder kept) throws IOException {
        Map<String, TensorData> feeds = new LinkedHashMap<>(fixed);
        fixed.forEach(kept::shared);
        if (plan.frames() != null) {
            SignatureTensor input = plan.framesInput();
            TensorData frame;
            try {
                frame = plan.frames().frame(t, input.tensor());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(plan.frames().describe(t) + ": " + e.getMessage(), e);
            }
            List<String> problems = InputCheck.mismatches(input.key(), input.tensor(), frame);
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(plan.frames().describe(t) + ": " + String.join("; ", problems));
            }
            feeds.put(input.tensor().name(), frame);
            kept.frame(input.tensor().name(), plan.frames(), t, input.tensor());
        }
        if (previous != null) {
            for (Feedback f : plan.feedback()) {
                try {
                    TensorData value = f.next(signature, previous);
                    feeds.put(f.input().tensor().name(), value);
                    kept.fedBack(f.input().tensor().name(), value);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("step " + t + ": " + e.getMessage(), e);
                }
            }
        }
        return feeds;
    }

    /** The outputs as the traced run computed them; fetched separately when the backend did not return them. */
    private static Map<String, TensorData> outputValues(InferenceSession session, Map<String, TensorData> feeds,
            List<String> outputs, Trace trace) throws BackendException {
        Map<String, TensorData> values = new LinkedHashMap<>(trace.outputs());
        List<String> missing = outputs.stream().filter(o -> !values.containsKey(o)).toList();
        if (!missing.isEmpty()) {
            values.putAll(session.fetchAsTraced(feeds, missing, Map.of(), null));
        }
        return values;
    }

    private static SequenceStep record(Signature signature, SequencePlan plan, int t, Map<String, TensorData> feeds,
            StepInputs kept, Map<String, TensorData> values, Trace trace) {
        List<ValueSummary> outputs = new ArrayList<>();
        for (SignatureTensor o : signature.outputs()) {
            TensorData value = values.get(o.tensor().name());
            if (value != null && value.dtype().byteSize() > 0) {
                outputs.add(summary(o.key(), value));
            }
        }
        List<ValueSummary> states = new ArrayList<>();
        for (Feedback f : plan.feedback()) {
            TensorData value = feeds.get(f.input().tensor().name());
            if (value != null) {
                states.add(summary(f.input().key(), value));
            }
        }
        List<OpStat> ops = new ArrayList<>(trace.rows().size());
        for (TensorHealth row : trace.rows()) {
            boolean fed = trace.graph().op(TensorSpec.opNameOf(row.tensor())).map(op -> op.role() == OpRole.INPUT)
                    .orElse(false);
            if (fed) {
                continue; // an input's values are the frame's or the fed-back state's, summarised above
            }
            ops.add(new OpStat(row.tensor(), row.opType(), row.nanCount(), row.negInfCount(), row.posInfCount(),
                    row.maxAbs()));
        }
        List<SequenceStep.Unchecked> unchecked = trace.unchecked().stream()
                .map(u -> new SequenceStep.Unchecked(u.tensor(), u.reason())).toList();
        String frame = plan.frames() == null ? "" : plan.frames().describe(t);
        return new SequenceStep(t, frame, kept, outputs, states, ops, unchecked);
    }

    static ValueSummary summary(String name, TensorData value) {
        double sumSq = 0;
        double maxAbs = Double.NaN;
        long nan = 0;
        long negInf = 0;
        long posInf = 0;
        for (long i = 0; i < value.size(); i++) {
            double v = value.getDouble(i);
            if (Double.isNaN(v)) {
                nan++;
            } else if (v == Double.NEGATIVE_INFINITY) {
                negInf++;
            } else if (v == Double.POSITIVE_INFINITY) {
                posInf++;
            } else {
                sumSq += v * v;
                double a = Math.abs(v);
                maxAbs = Double.isNaN(maxAbs) ? a : Math.max(maxAbs, a);
            }
        }
        return new ValueSummary(name, value.name(), value.shape().toString(), value.size(), Math.sqrt(sumSq), maxAbs,
                nan, negInf, posInf);
    }

    private static NanFinding nanFinding(int t, NanReport report, SequenceStep step) {
        if (report != null && report.origin() != null) {
            return new NanFinding(t, report.origin().op(), report.origin().type(), report.origin().kind(), report);
        }
        // the traced re-run found nothing (a transient Inf the health pass saw): name the step's first bad op
        OpStat first = step.ops().stream().filter(o -> o.nonFinite() != 0).findFirst().orElse(null);
        return new NanFinding(t, first == null ? null : first.opName(), first == null ? null : first.opType(),
                null, report);
    }
}
