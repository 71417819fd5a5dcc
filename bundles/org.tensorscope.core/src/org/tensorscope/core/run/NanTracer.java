package org.tensorscope.core.run;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.tensorscope.core.analysis.FixPatterns;
import org.tensorscope.core.analysis.Histogram;
import org.tensorscope.core.analysis.NanCauseAnalyzer;
import org.tensorscope.core.analysis.NanOrigin;
import org.tensorscope.core.analysis.NanOriginFinder;
import org.tensorscope.core.analysis.TensorStats;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.CauseFinding;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.NanCauseRule;
import org.tensorscope.core.service.OffendingValue;
import org.tensorscope.core.service.OriginContext;
import org.tensorscope.core.service.RuntimeRewrite;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.core.trace.LoopHealth;
import org.tensorscope.core.trace.TensorHealth;
import org.tensorscope.core.trace.Trace;
import org.tensorscope.core.trace.UncheckedTensor;

/**
 * Runs a model's health pass, finds where NaN/Inf starts, fetches only the tensors needed to
 * explain it, asks the cause rules why, and builds the report. Shared by the CLI and the workbench.
 */
public final class NanTracer {

    private static final int HISTOGRAM_BINS = 40;
    /** Independent origins after the first that are explained; later ones are listed without a cause. */
    static final int EXPLAINED_ORIGINS = 8;
    /** How many Identity ops an edited tensor is followed through to the weight it reads. */
    private static final int IDENTITY_DEPTH = 8;

    private final List<NanCauseRule> rules;

    public NanTracer(List<NanCauseRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /**
     * @param device the device asked for, as the report names it ("cpu"/"gpu")
     */
    public TraceOutcome trace(ModelGraph graph, Signature signature, InferenceSession session, PreparedInputs inputs,
            Map<String, TensorData> overrides, HealthMode mode, String device, IProgressMonitor monitor)
            throws BackendException {
        SubMonitor progress = SubMonitor.convert(monitor, "Tracing NaN and Inf in " + graph.source().getFileName(), 12);
        List<String> outputs = signature.outputs().stream().map(o -> o.tensor().name()).toList();
        Trace trace = session.healthPass(inputs.feeds(), outputs, mode, overrides, progress.split(6));
        Optional<NanOrigin> origin = new NanOriginFinder().find(trace).map(o -> asFed(o, inputs));
        NanReport.Origin reportOrigin = null;
        List<NanReport.Origin> reportOrigins = new ArrayList<>();
        Optional<CauseFinding> cause = Optional.empty();
        if (origin.isPresent()) {
            NanOrigin o = origin.get();
            Explained explained = explain(graph, o.op(), o.kind(), o.row(), session, inputs, overrides,
                    progress.split(3));
            cause = Optional.ofNullable(explained.finding);
            NanReport.Cause firstNanCause = null;
            if (o.firstNan() != null && !o.firstNan().opName().equals(o.op().name())) {
                OpNode nanOp = graph.op(o.firstNan().opName()).orElse(null);
                if (nanOp != null) {
                    firstNanCause = Summaries.of(explain(graph, nanOp, kindOf(nanOp, o.firstNan(), inputs),
                            o.firstNan(), session, inputs, overrides, progress.split(1)).finding);
                }
            }
            Optional<LoopHealth> loop = trace.loop(o.row().tensor());
            reportOrigin = new NanReport.Origin(o.op().name(), o.op().type(), o.kind(),
                    o.firstInf() == null ? null : o.firstInf().opName(),
                    o.firstNan() == null ? null : o.firstNan().opName(), Summaries.of(explained.finding), firstNanCause,
                    explained.inputSummaries, explained.histogram, loop.map(LoopHealth::loop).orElse(null),
                    loop.map(LoopHealth::firstNonFiniteIteration).orElse(-1L), uncheckedInputs(o.op(), trace));
            reportOrigins.add(reportOrigin);
            reportOrigins.addAll(others(graph, trace, o.others(), session, inputs, overrides, progress.split(1)));
        }
        NanReport.Fidelity fidelity = compareWithPlainRun(session, inputs, outputs, overrides, trace, progress.split(2));
        NanReport report = new NanReport(graph.source().toString(), graph.format(), signature.key(), device,
                session.deviceNote(), mode.name(), origin.isEmpty(), reportOrigin,
                origin.map(o -> o.propagation().stream().map(TensorHealth::opName).distinct().toList()).orElse(List.of()),
                inputs.health(), unhealthyWeights(graph, overrides, trace), graph.weights().size(), opHealth(trace), trace.rows().size(),
                trace.unchecked().stream().map(u -> new NanReport.Unchecked(u.tensor(), u.reason())).toList(), fidelity,
                reportOrigins);
        return new TraceOutcome(trace, origin, cause, report);
    }

    /**
     * The independent origins after the first, each explained on its own; past {@link #EXPLAINED_ORIGINS}
     * they are listed without a cause (each explanation fetches the op's inputs).
     */
    private List<NanReport.Origin> others(ModelGraph graph, Trace trace, List<TensorHealth> rows,
            InferenceSession session, PreparedInputs inputs, Map<String, TensorData> overrides, IProgressMonitor monitor)
            throws BackendException {
        SubMonitor progress = SubMonitor.convert(monitor, Math.min(rows.size(), EXPLAINED_ORIGINS));
        List<NanReport.Origin> others = new ArrayList<>();
        for (TensorHealth row : rows) {
            OpNode op = graph.op(row.opName()).orElse(new OpNode(row.opName(), row.opType(), row.device(), Map.of(),
                    List.of(), List.of()));
            NanOrigin.Kind kind = kindOf(op, row, inputs);
            Optional<LoopHealth> loop = trace.loop(row.tensor());
            Explained explained = others.size() < EXPLAINED_ORIGINS
                    ? explain(graph, op, kind, row, session, inputs, overrides, progress.split(1))
                    : new Explained(null, List.of(), null);
            others.add(new NanReport.Origin(op.name(), op.type(), kind, row.hasInf() ? op.name() : null,
                    row.hasNan() ? op.name() : null, Summaries.of(explained.finding), null, explained.inputSummaries,
                    explained.histogram, loop.map(LoopHealth::loop).orElse(null),
                    loop.map(LoopHealth::firstNonFiniteIteration).orElse(-1L), uncheckedInputs(op, trace)));
        }
        return others;
    }

    /**
     * The op's inputs the trace did not check, by design excepted (a -inf padding is not finite, and a max pooling
     * reading it is still called an origin of its own).
     */
    private static List<String> uncheckedInputs(OpNode op, Trace trace) {
        Set<String> unchecked = new HashSet<>();
        trace.unchecked().stream().filter(u -> !u.byDesign()).forEach(u -> unchecked.add(u.tensor()));
        return op.inputs().stream().map(TensorSpec::tensorName).filter(unchecked::contains).distinct().toList();
    }

    /**
     * Runs the outputs the way plain inference does (optimised, fused) and compares them with the traced
     * run's; null when the backend did not return the traced outputs or edits make the runs incomparable.
     */
    private static NanReport.Fidelity compareWithPlainRun(InferenceSession session, PreparedInputs inputs,
            List<String> outputs, Map<String, TensorData> overrides, Trace trace, IProgressMonitor monitor)
            throws BackendException {
        return overrides.isEmpty() ? fidelity(session, inputs.feeds(), outputs, trace, monitor) : null;
    }

    /**
     * Runs the outputs of a traced run the way plain inference does (optimised, fused) and compares them with the
     * traced ones, naming the runtime's rewrites when they disagree; null when the trace holds no outputs. When the
     * traced run computed its outputs as plain inference does ({@link Trace#outputsAsPlainRun()}), it is that plain
     * run, and no other is made. A sequence checks its steps this way.
     */
    public static NanReport.Fidelity fidelity(InferenceSession session, Map<String, TensorData> feeds,
            List<String> outputs, Trace trace, IProgressMonitor monitor) throws BackendException {
        if (trace.outputs().isEmpty()) {
            return null;
        }
        SubMonitor progress = SubMonitor.convert(monitor, 2);
        List<String> compared = List.copyOf(trace.outputs().keySet());
        Map<String, TensorData> plain;
        try {
            plain = trace.outputsAsPlainRun() ? trace.outputs()
                    : session.fetch(feeds, compared, Map.of(), progress.split(1));
        } catch (BackendException e) {
            // what the trace found stands; the plain run's failure is the runtime's news, and no agreement is claimed
            return new NanReport.Fidelity(false, FidelityCheck.TOLERANCE, List.of(), List.of(),
                    "The plain (optimised) run failed, so the traced run could not be compared with it: "
                            + e.getMessage());
        }
        NanReport.Fidelity fidelity = FidelityCheck.compare(trace, plain, List.of());
        if (fidelity.agree()) {
            return fidelity;
        }
        // only a difference needs explaining, and reading the runtime's rewrites costs another run
        List<RuntimeRewrite> rewrites;
        try {
            rewrites = session.runtimeRewrites(feeds, outputs, progress.split(1));
        } catch (BackendException e) {
            return new NanReport.Fidelity(false, fidelity.tolerance(), fidelity.outputs(), List.of(),
                    fidelity.explanation() + " (what the optimised runtime rewrote could not be read: " + e.getMessage()
                            + ")");
        }
        return FidelityCheck.compare(trace, plain, rewrites);
    }

    /**
     * A fed tensor is an input whatever op makes it in the graph (TF Serving's models feed x = Identity(ParseExample)):
     * blame the input, and never compute its producer's own inputs, which nothing fed.
     */
    private static NanOrigin asFed(NanOrigin o, PreparedInputs inputs) {
        NanOrigin.Kind kind = kindOf(o.op(), o.row(), inputs);
        return kind == o.kind() ? o
                : new NanOrigin(o.op(), o.row(), kind, o.firstInf(), o.firstNan(), o.propagation(), o.others());
    }

    private static NanOrigin.Kind kindOf(OpNode op, TensorHealth row, PreparedInputs inputs) {
        return inputs.feeds().containsKey(row.tensor()) ? NanOrigin.Kind.INPUT : NanOriginFinder.kindOf(op);
    }

    private record Explained(CauseFinding finding, List<NanReport.TensorSummary> inputSummaries,
            NanReport.Histogram histogram) {
    }

    /** Fetches an op's inputs and output and asks the rules why the output is not finite. */
    private Explained explain(ModelGraph graph, OpNode op, NanOrigin.Kind kind, TensorHealth row,
            InferenceSession session, PreparedInputs inputs, Map<String, TensorData> overrides, IProgressMonitor monitor)
            throws BackendException {
        List<String> inputNames = kind == NanOrigin.Kind.INPUT ? List.of() : op.inputs();
        List<String> wanted = new ArrayList<>(inputNames);
        wanted.add(row.tensor());
        Map<String, TensorData> fetched = fetchComputed(session, inputs, wanted, overrides, monitor);
        List<TensorData> opInputs = inputNames.stream().map(name -> fetched.get(TensorSpec.tensorName(name))).toList();
        TensorData output = fetched.get(row.tensor());
        boolean everyInput = opInputs.stream().allMatch(Objects::nonNull);
        CauseFinding finding = switch (kind) {
            case INPUT -> alreadyNonFinite("input-not-finite", op, output,
                    "The input already holds NaN or infinity before the model runs",
                    "Fix the preprocessing that produced it: standardising a blank frame by its zero standard deviation "
                            + "or undefined pixels are common causes; check the input source.");
            case WEIGHTS -> alreadyNonFinite("weights-not-finite", op, output,
                    "The weight " + op.name() + " already holds NaN or infinity: the model itself is broken, not the input",
                    "The weights diverged in training (exploding gradients, a too high learning rate): retrain with "
                            + "gradient clipping or a lower learning rate, or restore an earlier checkpoint.");
            case COMPUTATION -> everyInput ? new NanCauseAnalyzer(rules)
                    .explain(new OriginContext(op, opInputs, output, graph)).orElse(null) : null;
        };
        if (kind == NanOrigin.Kind.COMPUTATION && finding != null) {
            finding = new FixPatterns(graph, inputs.feeds(), tensor -> constant(session, inputs, overrides, tensor))
                    .refine(op, finding);
        }
        List<NanReport.TensorSummary> summaries = new ArrayList<>();
        for (int i = 0; i < opInputs.size(); i++) {
            TensorData t = opInputs.get(i);
            if (t != null && t.dtype().byteSize() > 0) {
                summaries.add(Summaries.of(inputNames.get(i), t, TensorStats.of(t)));
            }
        }
        int blamed = finding != null && !finding.offending().isEmpty() ? finding.offending().get(0).input() : 0;
        TensorData histogramOf = opInputs.isEmpty() ? output : opInputs.get(Math.min(blamed, opInputs.size() - 1));
        if (histogramOf != null && histogramOf.dtype().byteSize() <= 0) {
            // strings (ParseExample's serialized tf.Example) have no histogram: show the non-finite output's
            histogramOf = output;
        }
        NanReport.Histogram histogram = histogramOf == null ? null
                : Summaries.of(histogramOf.name(), Histogram.of(histogramOf, HISTOGRAM_BINS, Histogram.Binning.SYMLOG));
        return new Explained(finding, summaries, histogram);
    }

    /**
     * The op's inputs and output as the traced run computed them. When they cannot all be fetched (an input in a
     * cond's branch this input did not take, as a Merge's is), the output alone, so that the trace still ends in a
     * report; when that fails too, the first failure, which was not about an input.
     */
    private static Map<String, TensorData> fetchComputed(InferenceSession session, PreparedInputs inputs,
            List<String> wanted, Map<String, TensorData> overrides, IProgressMonitor monitor) throws BackendException {
        try {
            return session.fetchAsTraced(inputs.feeds(), wanted, overrides, monitor);
        } catch (BackendException e) {
            String output = wanted.get(wanted.size() - 1);
            if (wanted.size() == 1) {
                throw e;
            }
            try {
                return session.fetchAsTraced(inputs.feeds(), List.of(output), overrides, null);
            } catch (BackendException outputToo) {
                throw e;
            }
        }
    }

    /** A constant's value for a fix's pattern (an epsilon), null when it cannot be fetched. */
    private static TensorData constant(InferenceSession session, PreparedInputs inputs,
            Map<String, TensorData> overrides, String tensor) {
        try {
            return session.fetchAsTraced(inputs.feeds(), List.of(tensor), overrides, null).get(tensor);
        } catch (BackendException | RuntimeException e) {
            return null; // the fix is then given without the pattern that needs this value
        }
    }

    private static CauseFinding alreadyNonFinite(String rule, OpNode op, TensorData values, String cause,
            String suggestion) {
        List<OffendingValue> offending = new ArrayList<>();
        long count = 0;
        for (long i = 0; i < values.size(); i++) {
            double v = values.getDouble(i);
            if (!Double.isFinite(v)) {
                count++;
                if (offending.size() < 5) {
                    offending.add(new OffendingValue(0, values.position(i), v));
                }
            }
        }
        return new CauseFinding(rule, cause + " (" + count + " of " + values.size() + " values)", offending,
                suggestion);
    }


    /**
     * The weights holding NaN or infinity in this run, as the run used them. An edit of a weight's own tensor replaces
     * it for every op that reads it; an edit of an Identity reading it (a TF1 variable's "…/read") only for that
     * Identity's readers, so the file's values still count while another op reads the weight. Each weight is listed
     * with the most non-finite values among those the run used.
     */
    private static List<NanReport.WeightHealth> unhealthyWeights(ModelGraph graph, Map<String, TensorData> overrides,
            Trace trace) {
        Map<String, String> leftOut = new HashMap<>();
        trace.unchecked().stream().filter(UncheckedTensor::byDesign)
                .forEach(u -> leftOut.putIfAbsent(u.tensor(), u.reason()));
        Set<String> weightOps = new HashSet<>();
        graph.weights().forEach(w -> weightOps.add(w.opName()));
        Set<String> editedTensors = new HashSet<>();
        overrides.keySet().forEach(name -> editedTensors.add(TensorSpec.tensorName(name)));
        Map<String, List<TensorData>> edits = new HashMap<>();
        overrides.forEach((name, data) -> editedWeight(graph, weightOps, TensorSpec.tensorName(name))
                .ifPresent(weight -> edits.computeIfAbsent(weight, w -> new ArrayList<>()).add(data)));
        Map<String, List<OpNode>> readers = edits.isEmpty() ? Map.of() : readersByTensor(graph);
        List<NanReport.WeightHealth> unhealthy = new ArrayList<>();
        for (var weight : graph.weights()) {
            String tensor = weight.opName() + ":0";
            List<TensorData> used = edits.getOrDefault(weight.opName(), List.of());
            long nonFinite = used.isEmpty() || !editedTensors.contains(tensor)
                    && readUnedited(tensor, readers, editedTensors, true, 0) ? weight.nonFiniteCount() : 0;
            for (TensorData data : used) {
                nonFinite = Math.max(nonFinite, TensorStats.of(data).nonFiniteCount());
            }
            if (nonFinite > 0) {
                unhealthy.add(new NanReport.WeightHealth(weight.opName(), weight.shape().toString(), nonFinite,
                        leftOut.get(tensor)));
            }
        }
        return unhealthy;
    }

    /**
     * The weight whose values an edited tensor stands for: the weight's own output, or an Identity reading it, possibly
     * through other Identity ops.
     */
    private static Optional<String> editedWeight(ModelGraph graph, Set<String> weightOps, String tensor) {
        for (int depth = 0; depth < IDENTITY_DEPTH && tensor.endsWith(":0"); depth++) {
            String opName = TensorSpec.opNameOf(tensor);
            if (weightOps.contains(opName)) {
                return Optional.of(opName);
            }
            Optional<String> read = graph.op(opName).filter(op -> op.computes("Identity"))
                    .flatMap(op -> op.inputs().stream().filter(i -> !i.startsWith("^")).findFirst());
            if (read.isEmpty()) {
                return Optional.empty();
            }
            tensor = TensorSpec.tensorName(read.get());
        }
        return Optional.empty();
    }

    /**
     * Whether an op reads a tensor's values as they are, not through an edited tensor: a reader other than an Identity,
     * or an unedited Identity whose own readers do. A weight nothing reads counts as read.
     */
    private static boolean readUnedited(String tensor, Map<String, List<OpNode>> readers, Set<String> editedTensors,
            boolean weight, int depth) {
        List<OpNode> ops = readers.getOrDefault(tensor, List.of());
        if (ops.isEmpty()) {
            return weight;
        }
        for (OpNode op : ops) {
            String output = op.name() + ":0";
            if (editedTensors.contains(output)) {
                continue;
            }
            if (!op.computes("Identity") || depth >= IDENTITY_DEPTH
                    || readUnedited(output, readers, editedTensors, false, depth + 1)) {
                return true;
            }
        }
        return false;
    }

    /** Each tensor's readers (control inputs left out). */
    private static Map<String, List<OpNode>> readersByTensor(ModelGraph graph) {
        Map<String, List<OpNode>> readers = new HashMap<>();
        for (OpNode op : graph.ops()) {
            op.inputs().stream().filter(i -> !i.startsWith("^"))
                    .forEach(i -> readers.computeIfAbsent(TensorSpec.tensorName(i), t -> new ArrayList<>()).add(op));
        }
        return readers;
    }

    private static List<NanReport.OpHealth> opHealth(Trace trace) {
        return trace.rows().stream().map(r -> new NanReport.OpHealth(r.tensor(), r.opType(), r.device(), r.elements(),
                r.nanCount(), r.negInfCount(), r.posInfCount(), r.min(), r.max(), r.mean(), r.micros())).toList();
    }
}
