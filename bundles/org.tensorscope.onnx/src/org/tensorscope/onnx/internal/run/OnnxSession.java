package org.tensorscope.onnx.internal.run;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.tensorscope.core.input.RunBudget;
import org.tensorscope.core.input.TensorBudget;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.ModelFiles;
import org.tensorscope.core.service.RuntimeRewrite;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.core.trace.LoopHealth;
import org.tensorscope.core.trace.TensorHealth;
import org.tensorscope.core.trace.Trace;
import org.tensorscope.core.trace.UncheckedTensor;
import org.tensorscope.onnx.internal.OnnxModel;
import org.tensorscope.onnx.internal.OnnxRuntimeEnvironment;
import org.tensorscope.onnx.internal.load.OnnxGraphConverter;
import org.tensorscope.onnx.internal.load.OnnxNode;
import org.tensorscope.onnx.internal.load.OnnxProtoReader;
import org.tensorscope.onnx.internal.load.ScopedGraph;
import org.tensorscope.onnx.internal.load.StoredTensor;
import org.tensorscope.onnx.internal.load.TensorProtoDecoder;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * One ONNX model opened in ONNX Runtime on one device. ONNX Runtime returns only graph outputs, so
 * the model it is given has every value as an output: one run yields every intermediate tensor,
 * whose health core then computes, or several runs when together they would take more than the
 * run budget ({@link Runs}). A CURT pass runs the model returning one sum per float value instead
 * ({@link SubgraphInliner#summing}) and reads only the values whose sum is not finite. Weights and fed inputs are
 * answered without running.
 * <p>
 * Values inside subgraphs need more: for an input, the condition of each If is computed first (one
 * run per level of nesting), then the model is rewritten with the branches taken inlined and loop
 * bodies returning their values of every iteration ({@link SubgraphInliner}), and that model is run.
 * The sessions of these rewritten models are kept for the next runs.
 */
public final class OnnxSession implements InferenceSession {


    private static final int MAX_NESTING = 64;
    /** The operator set from which IsInf, which a counting model adds, exists. */
    private static final long MIN_COUNTING_OPSET = 10;

    private final OnnxModel model;
    private final ModelGraph graph;
    private final OrtEnvironment env;
    private final String deviceNote;
    private final String deviceName;
    /** The main graph's tensors: those ONNX Runtime computes without any rewriting. */
    private final Set<String> mainTensors = new HashSet<>();
    /** For each op holding subgraphs, every tensor inside them: what running the op computes. */
    private final Map<String, List<String>> inside = new HashMap<>();
    private final Map<String, String> opsByOnnxNode = new HashMap<>();
    private final InlinedSessions sessions;
    /** The file's outputs ("op:k"): what a plain run returns. */
    private final Set<String> fileOutputs = new HashSet<>();
    private List<RuntimeRewrite> rewrites;
    private final Map<String, TensorHealth> weightRows = new HashMap<>();
    private Map<String, TensorData> lastFed;
    private Map<String, Boolean> lastChoices;
    private int runs;

    /**
     * @param cuda whether to use the CUDA execution provider; when a GPU is asked for and CUDA is
     *             not available the session runs on the CPU and {@link #deviceNote()} says so
     */
    public OnnxSession(OnnxModel model, Device device, boolean cuda) throws BackendException {
        this.model = model;
        this.graph = model.graph();
        this.env = OnnxRuntimeEnvironment.get();
        this.deviceNote = device == Device.GPU && !cuda
                ? "No GPU is visible to " + OnnxRuntimeEnvironment.FRAMEWORK + ": running on the CPU."
                : "";
        this.deviceName = cuda ? "GPU:0" : "CPU:0";
        mainTensors.addAll(model.mainGraph().tensors().values());
        model.mainGraph().graph().outputs().forEach(o -> model.names().tensorName(o.name()).ifPresent(fileOutputs::add));
        boolean hasLoops = index(model.mainGraph());
        this.sessions = new InlinedSessions(model, env, cuda, hasLoops);
    }

    /** Fills the lookups of one graph and those nested in it; whether any of them holds a Loop or Scan. */
    private boolean index(ScopedGraph scoped) {
        boolean loops = false;
        for (int i = 0; i < scoped.graph().nodes().size(); i++) {
            OnnxNode node = scoped.graph().nodes().get(i);
            String op = scoped.opNames().get(i);
            if (!node.name().isEmpty()) {
                opsByOnnxNode.putIfAbsent(node.name(), op);
            }
            loops |= node.is("Loop") || node.is("Scan");
            List<String> tensors = new ArrayList<>();
            for (ScopedGraph subgraph : scoped.subgraphs().get(i).values()) {
                tensors.addAll(subgraph.allTensors());
                loops |= index(subgraph);
            }
            if (!tensors.isEmpty()) {
                inside.put(op, tensors);
            }
        }
        return loops;
    }

    /** How many runs of the model this session has made, for the tests. */
    public int runs() {
        return runs;
    }

    /**
     * How many ONNX Runtime sessions of the model returning only part of its values this session opened, for the
     * tests: a model returning every value holds them all until a run ends.
     */
    public int narrowedSessions() {
        return sessions.narrowedOpened();
    }

    @Override
    public String deviceNote() {
        return deviceNote;
    }

    @Override
    public synchronized Map<String, TensorData> fetch(Map<String, TensorData> feeds, List<String> tensors,
            Map<String, TensorData> overrides, IProgressMonitor monitor) throws BackendException {
        return fetch(feeds, tensors, overrides, true, monitor);
    }

    /** The tensors as the trace computed them: every op as the file writes it, whatever is fetched. */
    @Override
    public synchronized Map<String, TensorData> fetchAsTraced(Map<String, TensorData> feeds, List<String> tensors,
            Map<String, TensorData> overrides, IProgressMonitor monitor) throws BackendException {
        return fetch(feeds, tensors, overrides, false, monitor);
    }

    /**
     * @param asRuntime whether a fetch of values of the main graph, nothing overridden, runs as ONNX Runtime runs the
     *                  file by default (optimised, fused, the values fetched made outputs): a plain run, as the
     *                  user's own program makes it
     */
    private Map<String, TensorData> fetch(Map<String, TensorData> feeds, List<String> tensors,
            Map<String, TensorData> overrides, boolean asRuntime, IProgressMonitor monitor) throws BackendException {
        SubMonitor progress = SubMonitor.convert(monitor, "Running " + graph.source().getFileName(), 2);
        Map<String, TensorData> fed = fedByOnnxName(feeds, overrides);
        List<String> names = tensors.stream().map(TensorSpec::tensorName).distinct().toList();
        boolean inner = names.stream().anyMatch(t -> !mainTensors.contains(t));
        // a plain run when it computes something: the values besides the file's outputs by their ONNX names
        boolean computes = false;
        Set<String> alsoReturned = new HashSet<>();
        for (String name : asRuntime && overrides.isEmpty() && !inner ? names : List.<String>of()) {
            String onnxName = onnxName(name);
            if (!fed.containsKey(onnxName) && model.storedTensor(name).isEmpty()) {
                computes = true;
                if (!fileOutputs.contains(name)) {
                    alsoReturned.add(onnxName);
                }
            }
        }
        while (true) {
            InlinedSessions.Session plan = computes ? sessions.optimised(alsoReturned)
                    : inner ? sessions.checking(choicesFor(fed)) : sessions.asWritten();
            progress.setWorkRemaining(2).split(1);
            try {
                Map<String, TensorData> fetched = fetch(plan, fed, names);
                progress.split(1);
                return fetched;
            } catch (LoopsNotReturned e) {
                sessions.loopsNotReturned(e);
            }
        }
    }

    private Map<String, TensorData> fetch(InlinedSessions.Session plan, Map<String, TensorData> fed, List<String> names)
            throws BackendException, LoopsNotReturned {
        Set<String> toRun = new LinkedHashSet<>();
        for (String name : names) {
            String onnxName = onnxName(name);
            if (fed.containsKey(onnxName) && mainTensors.contains(name) || model.storedTensor(name).isPresent()) {
                continue;
            }
            String computed = plan.model().computed().get(name);
            Optional<InlinedModel.ExposedLoop> loop = plan.model().loopOf(name);
            if (computed != null) {
                toRun.add(computed);
            } else if (loop.isPresent()) {
                toRun.add(loop.get().stacked().get(name));
            } else {
                throw new BackendException(TensorSpec.opNameOf(name) + " has no value for this input: "
                        + whyNot(plan, name));
            }
        }
        Map<String, TensorData> fetched = new LinkedHashMap<>();
        try (Runs run = new Runs(plan, fed, toRun)) {
            Map<String, TensorData> stacked = new LinkedHashMap<>();
            for (String name : names) {
                String onnxName = onnxName(name);
                if (fed.containsKey(onnxName) && mainTensors.contains(name)) {
                    fetched.put(name, renamed(fed.get(onnxName), name));
                } else if (model.storedTensor(name).isPresent()) {
                    fetched.put(name, stored(name));
                } else if (plan.model().computed().containsKey(name)) {
                    fetched.put(name, run.get(plan.model().computed().get(name), name).orElseThrow(
                            () -> new BackendException(OnnxRuntimeEnvironment.FRAMEWORK + " returned no tensor for " + name)));
                } else {
                    InlinedModel.ExposedLoop loop = plan.model().loopOf(name).orElseThrow();
                    stacked.put(name, run.get(loop.stacked().get(name), name).orElseThrow(
                            () -> new BackendException(OnnxRuntimeEnvironment.FRAMEWORK + " returned no tensor for " + name)));
                    fetched.put(name, null);
                }
            }
            fetched.putAll(Iterations.atIterationOfInterest(stacked, name -> plan.model().loopOf(name).orElseThrow().op()));
        }
        return fetched;
    }

    private String whyNot(InlinedSessions.Session plan, String name) {
        String reason = plan.model().notComputed().get(name);
        if (reason != null) {
            return reason;
        }
        return plan.model().unchecked().stream().filter(u -> u.tensor().equals(name)).map(UncheckedTensor::reason)
                .findFirst().orElse(OnnxRuntimeEnvironment.FRAMEWORK + " does not return it");
    }

    @Override
    public synchronized Trace healthPass(Map<String, TensorData> feeds, List<String> outputs, HealthMode mode,
            Map<String, TensorData> overrides, IProgressMonitor monitor) throws BackendException {
        SubMonitor progress = SubMonitor.convert(monitor, "Checking every tensor of " + graph.source().getFileName(),
                2 + graph.ops().size());
        Map<String, TensorData> fed = fedByOnnxName(feeds, overrides);
        Set<String> fedTensors = new HashSet<>(feeds.keySet().stream().map(TensorSpec::tensorName).toList());
        overrides.keySet().forEach(t -> fedTensors.add(TensorSpec.tensorName(t)));
        Set<String> needed = neededOps(outputs, fedTensors);
        Map<String, Boolean> choices = choicesFor(fed);
        progress.split(1);
        while (true) {
            InlinedSessions.Session plan = sessions.checking(choices);
            try {
                return healthPass(plan, fed, outputs, needed, mode == HealthMode.CURT && sessions.maySum(plan),
                        progress);
            } catch (LoopsNotReturned e) {
                sessions.loopsNotReturned(e);
            } catch (SumsFailed e) {
                sessions.refuseSums(plan); // the model's own failure, if it is one, shows when run without sums
            }
        }
    }

    /** A run of the model with its sums failed ({@link SubgraphInliner#summing}). */
    private static final class SumsFailed extends Exception {

        private static final long serialVersionUID = 1L;

        SumsFailed(Exception cause) {
            super(cause);
        }
    }

    /**
     * @param sum whether to read the values' sums instead of the values (a CURT pass, see {@link CurtSums}): a model
     *            returning the sums and the pass's outputs runs once, the other values to check (loop bodies, other
     *            types) are read from the plan's model, and so are the values whose sum is not finite
     */
    private Trace healthPass(InlinedSessions.Session plan, Map<String, TensorData> fed, List<String> outputs, Set<String> needed,
            boolean sum, SubMonitor progress) throws BackendException, LoopsNotReturned, SumsFailed {
        Set<String> wanted = new HashSet<>(outputs.stream().map(TensorSpec::tensorName).toList());
        Set<String> toRun = new LinkedHashSet<>();
        Set<String> wantedOnnx = new LinkedHashSet<>();
        for (OpNode op : graph.ops()) {
            if (!needed.contains(op.name())) {
                continue;
            }
            for (TensorSpec output : op.outputs()) {
                // an unknown type may still turn out to be float once computed
                boolean maybeFloat = output.dtype().isFloating() || output.dtype() == DType.OTHER;
                if (!maybeFloat && !wanted.contains(output.name())) {
                    continue;
                }
                String computed = plan.model().computed().get(output.name());
                Optional<InlinedModel.ExposedLoop> loop = plan.model().loopOf(output.name());
                if (computed != null) {
                    toRun.add(computed);
                    if (wanted.contains(output.name())) {
                        wantedOnnx.add(computed);
                    }
                } else if (loop.isPresent() && !isSubgraphInput(op)) {
                    toRun.add(loop.get().stacked().get(output.name()));
                }
            }
        }
        CurtSums sums = sum ? CurtSums.of(plan.sizes(), toRun, plan.model().computed().values(), wantedOnnx,
                model.file().defaultOpset()) : CurtSums.none();
        InlinedSessions.Session summing = null;
        if (!sums.isEmpty()) {
            try {
                summing = sessions.summing(plan, wantedOnnx, sums.summed(), !overBudget(plan, fed));
            } catch (BackendException e) {
                sums = CurtSums.none(); // each value is checked from its copy instead, as in the other modes
            }
        }
        Set<String> fromSumming = new LinkedHashSet<>();
        Set<String> fromPlan = new LinkedHashSet<>(toRun);
        if (summing != null) {
            fromSumming.add(SubgraphInliner.SUMS);
            fromSumming.addAll(wantedOnnx);
            fromPlan.removeAll(fromSumming);
            fromPlan.removeAll(sums.summed().keySet());
            fromPlan.removeAll(sums.notFloat());
        }
        List<TensorHealth> rows = new ArrayList<>();
        Map<String, LoopHealth> loops = new HashMap<>();
        Map<String, TensorData> outputValues = new LinkedHashMap<>();
        // summed values whose sum is not finite, by the index of their placeholder in rows
        Map<Integer, Flagged> flagged = new LinkedHashMap<>();
        try (Runs withSums = summing == null ? null : new Runs(summing, fed, fromSumming);
                Runs run = new Runs(plan, fed, fromPlan)) {
            if (withSums != null) {
                TensorData returned = summed(withSums, SubgraphInliner.SUMS, SubgraphInliner.SUMS).orElse(null);
                if (returned == null || !sums.read(returned)) {
                    throw new SumsFailed(new BackendException(OnnxRuntimeEnvironment.FRAMEWORK
                            + " returned no sums for " + graph.source().getFileName()));
                }
            }
            progress.split(1);
            for (OpNode op : graph.ops()) {
                if (!needed.contains(op.name())) {
                    progress.split(1);
                    continue;
                }
                for (TensorSpec output : op.outputs()) {
                    String name = output.name();
                    String onnxName = onnxName(name);
                    String computed = plan.model().computed().get(name);
                    Optional<TensorData> value = Optional.empty();
                    Optional<InlinedModel.ExposedLoop> loop = plan.model().loopOf(name);
                    if (fed.containsKey(onnxName) && mainTensors.contains(name)) {
                        value = Optional.of(renamed(fed.get(onnxName), name));
                    } else if (plan.model().notComputed().containsKey(name)) {
                        continue;
                    } else if (model.storedTensor(name).isPresent()) {
                        if (output.dtype().isFloating()) {
                            rows.add(weightRow(op, name));
                        }
                        if (wanted.contains(name)) {
                            outputValues.put(name, stored(name));
                        }
                        continue;
                    } else if (sums.contains(computed)) {
                        if (sums.isFinite(computed)) {
                            rows.add(finiteRow(op, name));
                        } else {
                            flagged.put(rows.size(), new Flagged(op, name, computed));
                            rows.add(null);
                        }
                        continue;
                    } else if (withSums != null && fromSumming.contains(computed)) {
                        value = summed(withSums, computed, name);
                    } else if (toRun.contains(computed)) {
                        value = run.get(computed, name);
                    } else if (loop.isPresent() && toRun.contains(loop.get().stacked().get(name))) {
                        Optional<TensorData> stacked = run.get(loop.get().stacked().get(name), name);
                        stacked.filter(s -> s.dtype().isFloating()).ifPresent(s -> loops.put(name,
                                new LoopHealth(loop.get().op(), Iterations.count(s), Iterations.firstNonFinite(s))));
                        stacked.flatMap(s -> healthOf(op, s)).ifPresent(rows::add);
                        continue;
                    }
                    value.flatMap(v -> healthOf(op, v)).ifPresent(rows::add);
                    if (wanted.contains(name)) {
                        value.ifPresent(v -> outputValues.put(name, v));
                    }
                }
                progress.split(1);
            }
        }
        List<UncheckedTensor> unchecked = new ArrayList<>(plan.model().unchecked().stream()
                .filter(u -> needed.contains(TensorSpec.opNameOf(u.tensor())) && maybeFloat(u.tensor())).toList());
        if (!flagged.isEmpty()) {
            countFlagged(plan, fed, flagged, rows, unchecked);
        }
        return new Trace(graph, rows, unchecked, loops, outputValues);
    }

    /**
     * Whether the plan's values take more than the run budget together: sessions made from such a model run without
     * ONNX Runtime's arena, which would keep each one's largest run.
     */
    private static boolean overBudget(InlinedSessions.Session plan, Map<String, TensorData> fed) {
        return plan.sizes().allBytes(fed) > RunBudget.bytes();
    }

    /** A value of the summing model's run: any failure of that run is one to retry without the sums. */
    private static Optional<TensorData> summed(Runs withSums, String onnxName, String name) throws SumsFailed {
        try {
            return withSums.get(onnxName, name);
        } catch (BackendException | LoopsNotReturned e) {
            throw new SumsFailed(e);
        }
    }

    /**
     * Whether finite values could sum past the float range: the sum of their magnitudes, with the rounding of one
     * float addition per value, reaches it.
     */
    private static boolean couldSumPastFloat(TensorHealth finite) {
        double n = finite.elements();
        return finite.maxAbs() * n * (1 + n * 0x1p-24) >= Float.MAX_VALUE;
    }

    /** A summed value whose sum is not finite: its values are read to count what it holds. */
    private record Flagged(OpNode op, String tensor, String onnxName) {
    }

    /** A CURT row of a value whose sum is finite: every value finite, nothing else computed. */
    private TensorHealth finiteRow(OpNode op, String tensor) {
        return new TensorHealth(tensor, op.type(), deviceName, -1, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, -1, -1);
    }

    /**
     * Fills the rows of the values whose sum was not finite: their element and NaN, -Inf and +Inf counts from one run
     * of the model counting them ({@link SubgraphInliner#counting}, from operator set 10), so nothing is copied out;
     * those it finds finite (values that sum past the float range), and all of them where the counts cannot be had,
     * from their values ({@link #readFlagged}).
     */
    private void countFlagged(InlinedSessions.Session plan, Map<String, TensorData> fed, Map<Integer, Flagged> flagged,
            List<TensorHealth> rows, List<UncheckedTensor> unchecked) throws BackendException, LoopsNotReturned {
        Map<Integer, Flagged> toRead = flagged;
        if (model.file().defaultOpset() >= MIN_COUNTING_OPSET && sessions.mayCount(plan)) {
            List<Integer> places = new ArrayList<>(flagged.keySet());
            List<String> counted = places.stream().map(p -> flagged.get(p).onnxName()).toList();
            try {
                InlinedSessions.Session counting = sessions.counting(plan, counted, !overBudget(plan, fed));
                try (Runs run = new Runs(counting, fed, Set.of(SubgraphInliner.COUNTS))) {
                    TensorData counts = run.get(SubgraphInliner.COUNTS, SubgraphInliner.COUNTS)
                            .filter(c -> c.size() == 4L * counted.size())
                            .orElseThrow(() -> new BackendException(OnnxRuntimeEnvironment.FRAMEWORK
                                    + " returned no counts for " + graph.source().getFileName()));
                    toRead = new LinkedHashMap<>();
                    for (int i = 0; i < places.size(); i++) {
                        Flagged f = flagged.get(places.get(i));
                        long nan = (long) counts.getDouble(4 * i + 1);
                        long negInf = (long) counts.getDouble(4 * i + 2);
                        long posInf = (long) counts.getDouble(4 * i + 3);
                        if (nan + negInf + posInf == 0) {
                            toRead.put(places.get(i), f);
                        } else {
                            rows.set(places.get(i), new TensorHealth(f.tensor(), f.op().type(), deviceName,
                                    (long) counts.getDouble(4 * i), nan, negInf, posInf, Double.NaN, Double.NaN,
                                    Double.NaN, Double.NaN, -1, -1));
                        }
                    }
                }
            } catch (BackendException | LoopsNotReturned e) {
                sessions.refuseCounts(plan); // read instead; the model's own failure, if it is one, shows there
                toRead = flagged;
            }
        }
        readFlagged(plan, fed, toRead, rows, unchecked);
        rows.removeIf(Objects::isNull);
    }

    /**
     * Fills the rows of values whose sum was not finite from their values, read in another run of the plan's model
     * (as many runs as the budget needs): they hold NaN or infinity, or finite values that sum past the float range,
     * and their row says which. A value over the one-tensor budget, or whose values could not have summed past the
     * float range although its sum did (a model that computes differently from run to run), is listed as not
     * checked rather than called finite.
     */
    private void readFlagged(InlinedSessions.Session plan, Map<String, TensorData> fed, Map<Integer, Flagged> flagged,
            List<TensorHealth> rows, List<UncheckedTensor> unchecked) throws BackendException, LoopsNotReturned {
        Set<String> values = new LinkedHashSet<>();
        if (plan.narrowable()) {
            // a summing run returns sums, not values: sizes not inferred are asked for, so that the filter sees them
            Set<String> candidates = new LinkedHashSet<>();
            flagged.values().forEach(f -> candidates.add(f.onnxName()));
            sizeFirst(plan, fed, candidates);
        }
        long tensorBudget = TensorBudget.computedBytes();
        for (Map.Entry<Integer, Flagged> f : flagged.entrySet()) {
            long bytes = plan.sizes().bytes(f.getValue().onnxName(), fed);
            if (bytes > tensorBudget) {
                unchecked.add(new UncheckedTensor(f.getValue().tensor(), "its sum is not finite, and its values would "
                        + "take " + ModelFiles.sizeText(bytes) + ", more than the " + ModelFiles.sizeText(tensorBudget)
                        + " allowed for one tensor (raise " + TensorBudget.ENVIRONMENT + " to allow more)"));
            } else {
                values.add(f.getValue().onnxName());
            }
        }
        try (Runs run = new Runs(plan, fed, values)) {
            for (Map.Entry<Integer, Flagged> f : flagged.entrySet()) {
                if (!values.contains(f.getValue().onnxName())) {
                    continue;
                }
                Optional<TensorHealth> row = run.get(f.getValue().onnxName(), f.getValue().tensor())
                        .flatMap(v -> healthOf(f.getValue().op(), v));
                if (row.isEmpty()) {
                    unchecked.add(new UncheckedTensor(f.getValue().tensor(), OnnxRuntimeEnvironment.FRAMEWORK
                            + " did not return it when asked for its values"));
                } else if (row.get().isFinite() && !couldSumPastFloat(row.get())) {
                    unchecked.add(new UncheckedTensor(f.getValue().tensor(), "it held NaN or infinity in one run of "
                            + "the model and not in the next, so the model computes it differently from run to run"));
                } else {
                    rows.set(f.getKey(), row.get());
                }
            }
        }
    }

    private boolean maybeFloat(String tensor) {
        return graph.op(TensorSpec.opNameOf(tensor)).flatMap(op -> op.outputs().stream()
                .filter(t -> t.name().equals(tensor)).findFirst())
                .map(t -> t.dtype().isFloating() || t.dtype() == DType.OTHER).orElse(true);
    }

    private static boolean isSubgraphInput(OpNode op) {
        return op.type().equals(OnnxGraphConverter.SUBGRAPH_INPUT_TYPE);
    }

    /**
     * The ops the outputs need, as core's {@link ModelGraph#opsNeededFor} finds them, where an op
     * holding subgraphs also needs what runs inside them and what that reads.
     */
    private Set<String> neededOps(List<String> outputs, Set<String> fed) {
        Set<String> needed = new HashSet<>();
        if (outputs.isEmpty()) {
            graph.ops().forEach(op -> needed.add(op.name()));
            return needed;
        }
        Deque<String> pending = new ArrayDeque<>();
        outputs.forEach(t -> pending.push(TensorSpec.tensorName(t)));
        while (!pending.isEmpty()) {
            String tensor = pending.pop();
            String opName = TensorSpec.opNameOf(tensor);
            Optional<OpNode> op = graph.op(opName);
            if (op.isEmpty() || !needed.add(opName) || fed.contains(tensor)) {
                continue;
            }
            op.get().inputs().forEach(input -> pending.push(TensorSpec.tensorName(input)));
            inside.getOrDefault(opName, List.of()).forEach(pending::push);
        }
        return needed;
    }

    private Optional<TensorHealth> healthOf(OpNode op, TensorData data) {
        return data.dtype().isFloating() ? Optional.of(HealthRows.of(data.name(), op.type(), deviceName, data))
                : Optional.empty();
    }

    /** Weights do not change between runs: their rows are computed once. */
    private TensorHealth weightRow(OpNode op, String name) throws BackendException {
        TensorHealth row = weightRows.get(name);
        if (row == null) {
            row = HealthRows.of(name, op.type(), deviceName, stored(name));
            weightRows.put(name, row);
        }
        return row;
    }

    private TensorData stored(String name) throws BackendException {
        StoredTensor tensor = model.storedTensor(name)
                .orElseThrow(() -> new BackendException("Input " + name + " of " + graph.source().getFileName()
                        + " is not fed: give it a value"));
        try {
            return TensorProtoDecoder.decode(model.bytes(), tensor, name);
        } catch (IOException e) {
            throw new BackendException("Cannot read " + name + " from " + graph.source() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The branch each If takes for these inputs, by If op: the conditions of the Ifs in the main
     * graph are computed first, then those of the Ifs inside the branches taken, and so on.
     */
    private Map<String, Boolean> choicesFor(Map<String, TensorData> fed) throws BackendException {
        if (lastChoices != null && sameTensors(fed, lastFed)) {
            return lastChoices;
        }
        Map<String, Boolean> choices = new TreeMap<>();
        for (int level = 0;; level++) {
            InlinedSessions.Session plan = sessions.open(choices);
            List<InlinedModel.PendingIf> pending = plan.model().pendingIfs();
            if (pending.isEmpty()) {
                break;
            }
            if (level > MAX_NESTING) {
                throw new BackendException(graph.source().getFileName() + " nests If ops deeper than "
                        + MAX_NESTING + " levels");
            }
            Set<String> toRun = new LinkedHashSet<>();
            for (InlinedModel.PendingIf p : pending) {
                if (!fed.containsKey(p.condOnnx()) && model.storedTensor(p.cond()).isEmpty()) {
                    toRun.add(p.condOnnx());
                }
            }
            // an If's condition is one boolean: no run is worth making to learn that size
            try (Runs run = new Runs(plan, fed, toRun, false)) {
                for (InlinedModel.PendingIf p : pending) {
                    TensorData cond = fed.containsKey(p.condOnnx()) ? fed.get(p.condOnnx())
                            : model.storedTensor(p.cond()).isPresent() ? stored(p.cond())
                                    : run.get(p.condOnnx(), p.cond()).orElseThrow(() -> new BackendException(
                                            OnnxRuntimeEnvironment.FRAMEWORK + " returned no condition for If " + p.op()));
                    if (cond.size() != 1) {
                        throw new BackendException("The condition of If " + p.op() + " holds " + cond.size()
                                + " values instead of one (shape " + cond.shape() + ")");
                    }
                    choices.put(p.op(), cond.getDouble(0) != 0);
                }
            } catch (LoopsNotReturned e) {
                throw new IllegalStateException("loops are run as written while choosing branches", e);
            }
        }
        lastFed = fed;
        lastChoices = choices;
        return choices;
    }

    private static boolean sameTensors(Map<String, TensorData> a, Map<String, TensorData> b) {
        if (b == null || !a.keySet().equals(b.keySet())) {
            return false;
        }
        return a.entrySet().stream().allMatch(e -> e.getValue() == b.get(e.getKey()));
    }

    private String onnxName(String tensor) throws BackendException {
        return model.names().onnxName(tensor).orElseThrow(() -> new BackendException(
                "The model has no tensor named '" + TensorSpec.tensorName(tensor) + "'"));
    }

    /** Feeds and overrides by ONNX name; ONNX Runtime can only be fed graph inputs. */
    private Map<String, TensorData> fedByOnnxName(Map<String, TensorData> feeds, Map<String, TensorData> overrides)
            throws BackendException {
        Map<String, TensorData> fed = new LinkedHashMap<>();
        for (Map.Entry<String, TensorData> feed : feeds.entrySet()) {
            fed.put(onnxName(feed.getKey()), feed.getValue());
        }
        for (Map.Entry<String, TensorData> override : overrides.entrySet()) {
            String onnxName = onnxName(override.getKey());
            if (!isGraphInput(onnxName)) {
                throw new BackendException(OnnxRuntimeEnvironment.FRAMEWORK + " cannot replace the intermediate tensor "
                        + TensorSpec.tensorName(override.getKey()) + ": only graph inputs can be changed");
            }
            fed.put(onnxName, override.getValue());
        }
        return fed;
    }

    private boolean isGraphInput(String onnxName) {
        return graph.ops().stream().anyMatch(op -> op.type().equals(OnnxGraphConverter.INPUT_TYPE)
                && op.outputs().get(0).name().equals(model.names().tensorName(onnxName).orElse("")));
    }

    private static TensorData renamed(TensorData data, String name) {
        return new TensorData(name, data.dtype(), data.shape(), data.bytes());
    }

    /** One ONNX Runtime run: its fed tensors and results, closed together. */
    private final class Run implements AutoCloseable {

        private final Map<String, OnnxTensor> inputs = new HashMap<>();
        private OrtSession.Result result;

        /** A run of {@code session}, a session of the plan's model or of the same model returning fewer values. */
        Run(InlinedSessions.Session plan, OrtSession session, Map<String, TensorData> fed, Set<String> outputs)
                throws BackendException, LoopsNotReturned {
            if (outputs.isEmpty()) {
                return;
            }
            try {
                for (Map.Entry<String, TensorData> feed : fed.entrySet()) {
                    inputs.put(feed.getKey(), OrtTensors.toTensor(env, feed.getValue()));
                }
                runs++;
                result = session.run(inputs, outputs);
            } catch (OrtException e) {
                close();
                if (!plan.model().loops().isEmpty()) {
                    // it may have failed only because a body returns more; without, either it runs or its own error shows
                    throw new LoopsNotReturned(e);
                }
                throw new BackendException(RunFailure.describe(graph, e, fed, opsByOnnxNode), e);
            } catch (IllegalArgumentException e) {
                close();
                throw new BackendException(OnnxRuntimeEnvironment.FRAMEWORK + " could not run "
                        + graph.source() + ": " + e.getMessage(), e);
            }
        }

        /** A copy of a computed tensor, named "op:k"; empty when it is not a tensor (a sequence or map). */
        Optional<TensorData> get(String onnxName, String name) throws BackendException {
            Optional<OnnxValue> value = result == null ? Optional.empty() : result.get(onnxName);
            if (value.isEmpty() || !(value.get() instanceof OnnxTensor tensor)) {
                return Optional.empty();
            }
            if (OrtTensors.dtype(tensor).byteSize() < 0) {
                return Optional.empty();
            }
            return Optional.of(OrtTensors.toData(name, tensor));
        }

        @Override
        public void close() {
            if (result != null) {
                result.close();
            }
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    /**
     * The runs that return some values of a plan, as few as the {@link RunBudget} allows: ONNX Runtime holds every value
     * a run returns until it ends, so values are returned in groups that fit the budget together, one run each, in
     * the order they are asked for. It also holds every output of the model until the run ends, even those the run
     * does not ask for, so when the plan's model returns more than the budget in all, each group runs on a session
     * of the model returning only that group. A value is read while its group's run is open; asking for one of an
     * earlier group runs that group again.
     */
    private final class Runs implements AutoCloseable {

        private final InlinedSessions.Session plan;
        private final Map<String, TensorData> fed;
        private final List<Set<String>> groups;
        /** Whether the plan's model, returning every value, would hold more than the budget in any run. */
        private final boolean narrow;
        private Run open;
        private int openGroup = -1;

        Runs(InlinedSessions.Session plan, Map<String, TensorData> fed, Set<String> values) throws BackendException {
            this(plan, fed, values, true);
        }

        /** @param sizeFirst whether values of unknown size are sized first ({@link OnnxSession#sizeFirst}) */
        Runs(InlinedSessions.Session plan, Map<String, TensorData> fed, Set<String> values, boolean sizeFirst)
                throws BackendException {
            this.plan = plan;
            this.fed = fed;
            if (sizeFirst && plan.narrowable()) {
                sizeFirst(plan, fed, values);
            }
            long tensorBudget = TensorBudget.computedBytes();
            for (String value : values) {
                long bytes = plan.sizes().bytes(value, fed);
                if (bytes > tensorBudget) {
                    long[] shape = plan.sizes().shape(value, fed);
                    throw new BackendException(graph.source().getFileName() + ": " + shownName(value)
                            + (shape == null ? "" : " of shape " + Shape.of(shape))
                            + " would take " + ModelFiles.sizeText(bytes) + ", more than the "
                            + ModelFiles.sizeText(tensorBudget) + " allowed for one tensor (raise "
                            + TensorBudget.ENVIRONMENT + " to allow more)");
                }
            }
            long runBudget = RunBudget.bytes();
            this.groups = plan.sizes().runs(values, fed, runBudget);
            // the optimised and summing models return only what they were made for: nothing to narrow
            this.narrow = plan.narrowable() && plan.sizes().allBytes(fed) > runBudget;
        }

        /** A copy of a returned value, named "op:k"; empty when it is not a tensor (a sequence or map). */
        Optional<TensorData> get(String onnxName, String name) throws BackendException, LoopsNotReturned {
            int group = groupOf(onnxName);
            if (group < 0) {
                return Optional.empty();
            }
            if (group != openGroup) {
                close();
                Set<String> values = groups.get(group);
                open = new Run(plan, narrow ? sessions.narrowed(plan, values) : plan.session(), fed, values);
                openGroup = group;
            }
            Optional<TensorData> value = open.get(onnxName, name);
            value.ifPresent(v -> plan.sizes().returned(onnxName, fed, v));
            return value;
        }

        private int groupOf(String onnxName) {
            for (int g = 0; g < groups.size(); g++) {
                if (groups.get(g).contains(onnxName)) {
                    return g;
                }
            }
            return -1;
        }

        @Override
        public void close() {
            if (open != null) {
                open.close();
                open = null;
                openGroup = -1;
            }
        }
    }

    /**
     * Learns the sizes of the values whose shapes ONNX Runtime could not infer (a dimension computed from the fed
     * values) and no earlier run with these fed shapes returned, in one run of the model returning their element
     * counts only ({@link SubgraphInliner#sizing}): otherwise they would count as nothing, and the first run of such
     * a model would return every value at once, whatever the budget. When that run cannot be made, they count as
     * nothing, as before, and the run that returns them says why it fails, if it does. A failed run (an input the
     * model cannot take) leaves sizing on for the next input; a sizing model ONNX Runtime cannot open turns it off.
     * Sizes remembered for these fed shapes are taken as they are, so a value whose size depends on the fed values
     * (NonZero's) is sized for the first input of a shape.
     */
    private void sizeFirst(InlinedSessions.Session plan, Map<String, TensorData> fed, Set<String> values) {
        List<String> unknown = plan.sizes().unknown(values, fed);
        if (unknown.isEmpty() || !sessions.maySize(plan)) {
            return;
        }
        try (OrtSession sizing = sessions.sizing(plan, unknown);
                Run run = new Run(plan, sizing, fed, Set.of(SubgraphInliner.SIZES))) {
            TensorData sizes = run.get(SubgraphInliner.SIZES, SubgraphInliner.SIZES)
                    .filter(s -> s.size() == unknown.size())
                    .orElseThrow(() -> new BackendException(OnnxRuntimeEnvironment.FRAMEWORK
                            + " returned no sizes for " + graph.source().getFileName()));
            for (int i = 0; i < unknown.size(); i++) {
                plan.sizes().sized(unknown.get(i), fed, (long) sizes.getDouble(i));
            }
        } catch (BackendException | LoopsNotReturned | OrtException e) {
            // unsized, as before: the run that returns the values fails with its own message if the model does
        }
    }

    /** The Tensorscope name of a value ONNX Runtime returns, or the ONNX name when it has none. */
    private String shownName(String onnxName) {
        return model.names().tensorName(onnxName).orElse(onnxName);
    }

    /**
     * What ONNX Runtime's graph optimisations make of the file for a plain run (fused kernels, kernels of its own
     * operator sets), read from the optimised graph it writes; the same for every input, so read once.
     */
    @Override
    public synchronized List<RuntimeRewrite> runtimeRewrites(Map<String, TensorData> feeds, List<String> outputs,
            IProgressMonitor monitor) throws BackendException {
        if (rewrites == null) {
            byte[] optimised = sessions.optimisedGraph();
            try {
                rewrites = OnnxRuntimeRewrites.of(model.mainGraph().graph(),
                        new OnnxProtoReader(optimised).readModel().graph(), model.names());
            } catch (IOException | RuntimeException e) {
                throw new BackendException("Cannot read the graph " + OnnxRuntimeEnvironment.FRAMEWORK
                        + " optimised " + graph.source().getFileName() + " into: " + e.getMessage(), e);
            }
        }
        return rewrites;
    }

    @Override
    public synchronized void close() {
        sessions.close();
    }
}
