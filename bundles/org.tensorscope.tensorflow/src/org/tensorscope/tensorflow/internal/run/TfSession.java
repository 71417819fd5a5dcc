package org.tensorscope.tensorflow.internal.run;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.OptimizerOptions;
import org.tensorflow.proto.RewriterConfig;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorscope.core.analysis.TensorStats;
import org.tensorscope.core.input.RunMemory;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.model.UndefinedOutputs;
import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.FetchedValues;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.RuntimeRewrite;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.core.trace.Trace;
import org.tensorscope.core.trace.UncheckedTensor;

/**
 * One model imported into a TensorFlow graph and session on one device. Health probes are added
 * to the graph on first use and reused for later runs.
 */
public final class TfSession implements InferenceSession {

    private final ModelGraph model;
    private final Graph graph;
    private final Session session;
    /** The graph as written, with no optimiser: what explanations read (see {@link #fetchAsTraced}). */
    private Session unoptimised;
    /**
     * Runs the passes that watch every tensor (CONCISE, FULL) with grappler off: with a probe on every tensor
     * nothing can be fused, and grappler's work on the probed graph (some ten ops per tensor) made the first
     * such pass take seconds.
     */
    private Session everyTensor;
    private final String deviceNote;
    private final boolean onGpu;
    /** Whether health passes ask TensorFlow for each op's time (FULL_TRACE run metadata, which costs about 0.3x a run). */
    private boolean opTimings = OpTimings.requested();
    private final Map<String, HealthProbe> probes = new HashMap<>();
    private final ControlFlow controlFlow;
    private final DesignedInfinities designedInfinities;
    private final Map<String, String> undefinedOutputs;
    private final Map<String, Map<String, String>> captures = new HashMap<>();
    private final GraphDef frozenGraph;
    /** The memory check's refusal (empty when the run fits) by fetched tensors and fed shapes. */
    private final Map<List<Object>, java.util.Optional<String>> memoryVerdicts = new HashMap<>();
    private static final Set<String> NON_NEGATIVE = Set.of("Relu", "Relu6", "Sigmoid", "Softmax");
    /** The fetch computing the largest magnitudes of a list of tensors, by the list. */
    private final Map<String, String> magnitudeFetches = new HashMap<>();
    private FusibleChains fusibleChains;
    /**
     * The rows of the graph's constants, by the pass's mode and tensor: they cannot change between runs, so they
     * are checked once, when a health pass first needs them, and their rows reused (null: no reading).
     */
    private final Map<HealthMode, Map<String, double[]>> constantRows = new java.util.EnumMap<>(HealthMode.class);
    private int constantChecks;
    /** The graph's Const nodes by name, for reading constants' values (see {@link ConstantValues}). */
    private Map<String, NodeDef> constNodes;
    /** Whether constants and copies are probed on every run as well (as before they were not: for measurements). */
    private boolean probeEveryTensorEachRun;
    /** The tensors the probes of the last health pass's runs read (constants checked once not among them). */
    private final List<String> probedInPass = new ArrayList<>();
    private List<String> measuredInPass = List.of();
    private List<String> valuesReadInPass = List.of();
    /**
     * The optimised runtime's rewrites by the fetched outputs and the fed shapes: grappler rewrites the graph for a
     * run's fetches and shapes, never its values, and reading the rewrites costs a run of the model.
     */
    private final Map<List<Object>, List<RuntimeRewrite>> rewrites = new HashMap<>();
    /** Whether most bounds fail, for the plan and fed magnitudes of the last pass that asked. */
    private List<Object> lastBoundsVerdictKey;
    private boolean lastBoundsVerdict;
    private int runs;
    /** The fetches and fed shapes for which the optimised session fuses away a fetched output (see fetchInto). */
    private final Set<List<Object>> fusedAway = new HashSet<>();
    /** The computed outputs and fed shapes the optimised session has run plainly (see {@link PlainRunAlongside}). */
    private final Set<List<Object>> plainRunsMade = new HashSet<>();
    /** The plain run made alongside the last health pass, until a fetch takes its values. */
    private PlainRunAlongside alongside;

    /**
     * @param gpuVisible whether TensorFlow sees a GPU; when a GPU is asked for and none is
     *                   visible, the session runs on the CPU and {@link #deviceNote()} says so
     */
    public TfSession(ModelGraph model, GraphDef frozenGraph, Device device, boolean gpuVisible) throws BackendException {
        this.model = model;
        this.frozenGraph = frozenGraph;
        this.onGpu = device == Device.GPU && gpuVisible;
        this.deviceNote = device == Device.GPU && !gpuVisible
                ? "No GPU is visible to TensorFlow: running on the CPU."
                : "";
        this.controlFlow = ControlFlow.of(frozenGraph);
        this.designedInfinities = DesignedInfinities.of(frozenGraph);
        this.undefinedOutputs = UndefinedOutputs.of(model);
        this.graph = new Graph();
        try {
            GraphDef runnable = PadMergeGuard.guard(frozenGraph);
            graph.importGraphDef(onGpu ? placedOn(runnable, "/device:GPU:0") : runnable);
        } catch (IllegalArgumentException | TensorFlowException e) {
            graph.close();
            throw new BackendException("TensorFlow cannot build the graph of " + model.source() + ": "
                    + firstLine(e.getMessage()), e);
        }
        try {
            this.session = new Session(graph, config(onGpu));
        } catch (RuntimeException e) {
            graph.close();
            throw new BackendException("TensorFlow cannot start a session for " + model.source() + ": "
                    + firstLine(e.getMessage()), e);
        }
    }

    /**
     * What a pass over some outputs with some tensors fed takes from the graph alone: its float tensors (in
     * topological order), those it cannot check and why, its copies and its constants. Worked out once per outputs
     * and fed tensors, not in every pass: on a small model the graph walks were a fifth of a pass's Java time.
     */
    private record PassScope(List<String> floatTensors, List<UncheckedTensor> opaque, Map<String, String> copies,
            List<String> constants, Map<String, Integer> index, List<String> ops, List<String> opTypes) {
    }

    private final Map<List<Object>, PassScope> passScopes = new HashMap<>();

    /**
     * @param redesigned tensors that hold an infinity by design in the graph but are given other values in this run:
     *                   they are checked as any other
     */
    private PassScope passScope(List<String> outputs, Set<String> fed, Set<String> redesigned) {
        return passScopes.computeIfAbsent(List.of(List.copyOf(outputs), Set.copyOf(fed), Set.copyOf(redesigned)), key -> {
            List<OpNode> needed = model.opsNeededFor(outputs, fed);
            List<String> floatTensors = new ArrayList<>(floatTensors(needed));
            List<UncheckedTensor> opaque = new ArrayList<>(FunctionCalls.unchecked(needed));
            Set<String> used = ModelGraph.tensorsUsed(needed, outputs);
            floatTensors.removeIf(t -> {
                String reason = designedInfinities.reason(t, redesigned);
                // no value is checked that means nothing, unless the run reads or outputs it
                if (reason == null && !used.contains(t) && undefinedOutputs.containsKey(t)) {
                    reason = undefinedOutputs.get(t) + "; no op of this run reads it";
                }
                if (reason != null) {
                    opaque.add(new UncheckedTensor(t, reason));
                }
                return reason != null;
            });
            Map<String, Integer> index = new HashMap<>(floatTensors.size() * 2);
            List<String> ops = new ArrayList<>(floatTensors.size());
            List<String> opTypes = new ArrayList<>(floatTensors.size());
            for (int i = 0; i < floatTensors.size(); i++) {
                String tensor = floatTensors.get(i);
                index.put(tensor, i);
                String op = TensorSpec.opNameOf(tensor);
                ops.add(op);
                opTypes.add(model.op(op).map(o -> o.type()).orElse(""));
            }
            return new PassScope(List.copyOf(floatTensors), List.copyOf(opaque),
                    java.util.Collections.unmodifiableMap(new LinkedHashMap<>(ValueCopies.of(model, controlFlow, floatTensors, fed))),
                    constants(floatTensors, fed), java.util.Collections.unmodifiableMap(index), List.copyOf(ops),
                    List.copyOf(opTypes));
        });
    }

    /** The tensors holding an infinity by design that this run gives values other than infinities. */
    private Set<String> redesigned(Map<String, TensorData> feeds, Map<String, TensorData> overrides) {
        if (designedInfinities.isEmpty()) {
            return Set.of();
        }
        Set<String> redesigned = new HashSet<>();
        byFedTensor(feeds, overrides, data -> data).forEach((tensor, data) -> {
            if (designedInfinities.redesignedBy(tensor, data)) {
                redesigned.add(tensor);
            }
        });
        return redesigned;
    }

    /** The float tensors a run of these ops computes, fed tensors included. */
    private static List<String> floatTensors(List<OpNode> ops) {
        return ops.stream()
                .flatMap(op -> op.outputs().stream())
                .filter(t -> t.dtype().isFloating())
                .map(TensorSpec::name)
                .toList();
    }

    private static ConfigProto config(boolean onGpu) {
        ConfigProto.Builder config = ConfigProto.newBuilder()
                .setAllowSoftPlacement(true)
                .setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true));
        if (!onGpu) {
            config.putDeviceCount("GPU", 0);
            config.setGraphOptions(GraphOptions.newBuilder().setRewriteOptions(withoutGpuOnlyRewrites()));
        }
        return config.build();
    }

    /**
     * On the CPU, grappler's layout optimiser (NHWC to NCHW for GPU kernels) and memory optimiser
     * (swapping and recomputation for training) rewrite nothing in an inference graph, yet they took 110
     * ms and 95 ms of the 440 ms grappler spends on handskeleton for each new set of fetches
     * ({@code TF_CPP_VMODULE=meta_optimizer=1}). The rest, the fusions among them, stays as
     * TensorFlow's defaults have it.
     */
    private static RewriterConfig withoutGpuOnlyRewrites() {
        return RewriterConfig.newBuilder()
                .setLayoutOptimizer(RewriterConfig.Toggle.OFF)
                .setMemoryOptimization(RewriterConfig.MemOptType.NO_MEM_OPT)
                .build();
    }

    private static ConfigProto noGrapplerConfig(boolean onGpu) {
        return config(onGpu).toBuilder().setGraphOptions(GraphOptions.newBuilder()
                .setRewriteOptions(RewriterConfig.newBuilder().setDisableMetaOptimizer(true))).build();
    }

    private Session everyTensorSession() throws BackendException {
        if (everyTensor == null) {
            try {
                everyTensor = new Session(graph, noGrapplerConfig(onGpu));
            } catch (RuntimeException e) {
                throw new BackendException("TensorFlow cannot start a session for " + model.source() + ": "
                        + firstLine(e.getMessage()), e);
            }
        }
        return everyTensor;
    }

    /**
     * Grappler rewrites a plain fetch of an op's neighbours (Log(Softmax) into LogSoftmax once the
     * Softmax has no probe attached), so the values fetched to explain a trace could differ from the ones
     * it watched: explanations run on a second session over the same graph with the optimisers off.
     */
    private static ConfigProto unoptimisedConfig(boolean onGpu) {
        return config(onGpu).toBuilder().setGraphOptions(GraphOptions.newBuilder()
                .setRewriteOptions(RewriterConfig.newBuilder().setDisableMetaOptimizer(true))
                .setOptimizerOptions(OptimizerOptions.newBuilder().setOptLevel(OptimizerOptions.Level.L0)
                        .setDoConstantFolding(false).setDoCommonSubexpressionElimination(false)
                        .setDoFunctionInlining(false)))
                .build();
    }

    private static GraphDef placedOn(GraphDef graphDef, String device) {
        GraphDef.Builder placed = graphDef.toBuilder();
        for (NodeDef.Builder node : placed.getNodeBuilderList()) {
            if (node.getDevice().isEmpty()) {
                node.setDevice(device);
            }
        }
        return placed.build();
    }

    /**
     * Whether health passes probe every tensor with probe ops on every run, as before these savings: constants and
     * copies (Reshape, Identity...) too, instead of checking constants once per session and giving a copy its
     * input's row; no tensor left out for its bound (CURT); no FULL row read from the values (see
     * {@link ValueRows}). For measuring what that saves, and for tests comparing the rows.
     */
    public void probeEveryTensorEachRun(boolean probe) {
        this.probeEveryTensorEachRun = probe;
    }

    /** The tensors whose FULL rows the last health pass read from their values (see {@link ValueRows}). */
    public List<String> lastPassValuesRead() {
        return valuesReadInPass;
    }

    /** The tensors the probes of the last health pass's runs read; constants checked once are not among them. */
    public List<String> lastPassProbed() {
        return List.copyOf(probedInPass);
    }

    /** The tensors whose largest magnitude the last health pass measured to bound the tensors after them. */
    public List<String> lastPassMeasured() {
        return measuredInPass;
    }

    /** How many runs of the graph this session has made (plain fetches, health passes' runs, explanations'). */
    public int runs() {
        return runs;
    }

    /** Whether health passes measure each op's time (off unless {@link OpTimings#requested()}). */
    public void measureOpTimings(boolean measure) {
        this.opTimings = measure;
    }

    @Override
    public String deviceNote() {
        return deviceNote;
    }

    @Override
    public Map<String, TensorData> fetch(Map<String, TensorData> feeds, List<String> tensors,
            Map<String, TensorData> overrides, IProgressMonitor monitor) throws BackendException {
        return fetchInto(session, feeds, tensors, overrides, monitor, false, values -> values);
    }

    @Override
    public Map<String, TensorData> fetchAsTraced(Map<String, TensorData> feeds, List<String> tensors,
            Map<String, TensorData> overrides, IProgressMonitor monitor) throws BackendException {
        return fetchInto(unoptimisedSession(), feeds, tensors, overrides, monitor, false, values -> values);
    }

    /** Hands TensorFlow's own memory to {@code use}, without copying the values. */
    @Override
    public <T> T fetch(Map<String, TensorData> feeds, List<String> tensors, Map<String, TensorData> overrides,
            IProgressMonitor monitor, FetchedValues<T> use) throws BackendException, IOException {
        return handOver(session, feeds, tensors, overrides, monitor, use);
    }

    /** Hands TensorFlow's own memory to {@code use}, without copying the values. */
    @Override
    public <T> T fetchAsTraced(Map<String, TensorData> feeds, List<String> tensors, Map<String, TensorData> overrides,
            IProgressMonitor monitor, FetchedValues<T> use) throws BackendException, IOException {
        return handOver(unoptimisedSession(), feeds, tensors, overrides, monitor, use);
    }

    private Session unoptimisedSession() throws BackendException {
        if (unoptimised == null) {
            try {
                unoptimised = new Session(graph, unoptimisedConfig(onGpu));
            } catch (RuntimeException e) {
                throw new BackendException("TensorFlow cannot start a session for " + model.source() + ": "
                        + firstLine(e.getMessage()), e);
            }
        }
        return unoptimised;
    }

    /** Fetches views of TensorFlow's memory for {@code use}, passing on what it throws as it is. */
    private <T> T handOver(Session on, Map<String, TensorData> feeds, List<String> tensors,
            Map<String, TensorData> overrides, IProgressMonitor monitor, FetchedValues<T> use)
            throws BackendException, IOException {
        try {
            return fetchInto(on, feeds, tensors, overrides, monitor, true, values -> {
                try {
                    return use.use(values);
                } catch (IOException | RuntimeException e) {
                    throw new UseFailed(e); // not TensorFlow's failure: carried past its handling below
                }
            });
        } catch (UseFailed e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw (RuntimeException) e.getCause();
        }
    }

    /** What the values' user threw, carried past the handling of TensorFlow's exceptions. */
    private static final class UseFailed extends RuntimeException {

        private static final long serialVersionUID = 1L;

        UseFailed(Exception cause) {
            super(cause);
        }
    }

    /**
     * @param views whether {@code use} gets views of TensorFlow's memory, valid until it returns, instead of copies
     */
    private <T> T fetchInto(Session on, Map<String, TensorData> feeds, List<String> tensors,
            Map<String, TensorData> overrides, IProgressMonitor monitor, boolean views,
            Function<Map<String, TensorData>, T> use) throws BackendException {
        SubMonitor progress = SubMonitor.convert(monitor, "Running " + model.source().getFileName(), 2);
        List<String> names = tensors.stream().map(TensorSpec::tensorName).toList();
        for (String name : names) {
            requireTensor(name);
        }
        // TensorFlow refuses to fetch a tensor it is fed: answer those with the fed values
        Map<String, TensorData> fed = new HashMap<>();
        feeds.forEach((name, data) -> fed.put(TensorSpec.tensorName(name), data));
        overrides.forEach((name, data) -> fed.put(TensorSpec.tensorName(name), data));
        List<String> toRun = names.stream().filter(n -> !fed.containsKey(n)).distinct().toList();
        if (on == session && fusedAway.contains(fusedAwayKey(feeds, overrides, toRun))) {
            return fetchInto(unoptimisedSession(), feeds, tensors, overrides, monitor, views, use);
        }
        if (on == session && overrides.isEmpty()) {
            Map<String, TensorData> madeAlongside = takeAlongside(feeds, toRun);
            if (madeAlongside != null) {
                return use.apply(inOrder(names, fed, madeAlongside));
            }
            plainRunsMade.add(plainRunKey(feeds, toRun));
        }
        checkMemory(feeds, overrides, toRun);
        try (Run run = new Run(on, feeds, overrides)) {
            progress.split(1);
            if (toRun.isEmpty()) {
                return use.apply(inOrder(names, fed, Map.of()));
            }
            Map<String, String> fetchAs = fetchable(toRun);
            Session.Runner runner = run.runner();
            toRun.forEach(name -> runner.fetch(fetchAs.get(name)));
            try (Result result = runner.run()) {
                Map<String, TensorData> computed = new HashMap<>();
                for (int i = 0; i < toRun.size(); i++) {
                    computed.put(toRun.get(i), views ? TfTensors.view(toRun.get(i), result.get(i))
                            : TfTensors.toData(toRun.get(i), result.get(i)));
                }
                progress.split(1);
                return use.apply(inOrder(names, fed, computed));
            } catch (TensorFlowException | IllegalArgumentException e) {
                throw notComputed(toRun, e).orElseThrow(() -> e);
            }
        } catch (TensorFlowException | IllegalArgumentException | IllegalStateException e) {
            if (on == session && String.valueOf(e.getMessage()).contains("does not have output")) {
                // grappler fused the op into a kernel with fewer outputs (Conv2D with a batch norm: no batch
                // statistics, no reserve spaces), though one of them is fetched: the graph as written has them.
                // Grappler rewrites by fetches and fed shapes, so such a fetch goes there at once from now on.
                fusedAway.add(fusedAwayKey(feeds, overrides, toRun));
                return fetchInto(unoptimisedSession(), feeds, tensors, overrides, monitor, views, use);
            }
            throw new BackendException("TensorFlow could not run " + model.source() + ": " + problem(e), e);
        }
    }

    private static Map<String, TensorData> inOrder(List<String> names, Map<String, TensorData> fed,
            Map<String, TensorData> computed) {
        Map<String, TensorData> fetched = new LinkedHashMap<>();
        for (String name : names) {
            fetched.put(name, fed.containsKey(name) ? fed.get(name) : computed.get(name));
        }
        return fetched;
    }

    private static List<Object> plainRunKey(Map<String, TensorData> feeds, List<String> outputs) {
        return fusedAwayKey(feeds, Map.of(), outputs);
    }

    /** What grappler rewrites a run by: its fetches and its fed tensors' shapes, overridden tensors included. */
    private static List<Object> fusedAwayKey(Map<String, TensorData> feeds, Map<String, TensorData> overrides,
            List<String> outputs) {
        return List.of(new java.util.TreeSet<>(outputs), byFedTensor(feeds, overrides, TensorData::shape));
    }

    /**
     * Starts a plain run of the outputs alongside a health pass whose own run is not one, the first time this session
     * runs them with these fed shapes (see {@link PlainRunAlongside}), when both runs fit the memory budget together.
     */
    private void startPlainRunAlongside(Map<String, TensorData> feeds, Map<String, TensorData> overrides,
            List<String> outputs, List<String> passFetches) {
        if (!overrides.isEmpty() || outputs.isEmpty() || opTimings || !plainRunsMade.add(plainRunKey(feeds, outputs))) {
            return;
        }
        Map<String, Shape> fedShapes = byFedTensor(feeds, overrides, TensorData::shape);
        Map<String, Shape> pinned = pinnedShapes(fedShapes);
        if (!RunMemory.fitTogether(model, outputs, passFetches, fedShapes.keySet(),
                t -> pinned == null ? t.shape() : pinned.getOrDefault(t.name(), t.shape()))) {
            return;
        }
        awaitAlongside();
        Run run = null;
        try {
            Map<String, String> fetchAs = fetchable(outputs);
            run = new Run(session, feeds, Map.of());
            Session.Runner runner = run.runner();
            outputs.forEach(name -> runner.fetch(fetchAs.get(name)));
            Run started = run;
            alongside = new PlainRunAlongside(feeds, outputs, () -> {
                try (started; Result result = runner.run()) {
                    Map<String, TensorData> values = new HashMap<>();
                    for (int i = 0; i < outputs.size(); i++) {
                        values.put(outputs.get(i), TfTensors.toData(outputs.get(i), result.get(i)));
                    }
                    return values;
                }
            });
        } catch (BackendException | RuntimeException e) {
            // the pass's own run meets the problem and reports it
            if (run != null) {
                run.close();
            }
        }
    }

    /** The values of the plain run made alongside, when they answer this fetch; null otherwise. */
    private Map<String, TensorData> takeAlongside(Map<String, TensorData> feeds, List<String> computed) {
        if (alongside == null || !alongside.answers(feeds, computed)) {
            return null;
        }
        PlainRunAlongside made = alongside;
        alongside = null;
        return made.values().orElse(null);
    }

    private void awaitAlongside() {
        if (alongside != null) {
            alongside.await();
            alongside = null;
        }
    }

    /**
     * The root-frame tensor to fetch for each tensor: itself, or for a tensor computed inside a loop,
     * its value carried out of the loop (at the first iteration where one of those fetched with it
     * turned non-finite, else the last).
     */
    private Map<String, String> fetchable(List<String> tensors) throws BackendException {
        Map<String, String> fetchAs = new LinkedHashMap<>();
        Map<String, String> inLoops = new LinkedHashMap<>();
        for (String tensor : tensors) {
            String source = controlFlow.source(tensor);
            if (controlFlow.place(source).isRoot()) {
                fetchAs.put(tensor, source);
            } else {
                inLoops.put(tensor, source);
            }
        }
        if (!inLoops.isEmpty()) {
            String key = String.join(",", inLoops.keySet());
            Map<String, String> carried = captures.get(key);
            if (carried == null) {
                try {
                    carried = LoopValueCapture.attach(graph, Ops.create(graph).withSubScope("tensorscope_fetch_" + captures.size()),
                            controlFlow, inLoops);
                } catch (IllegalArgumentException | IllegalStateException e) {
                    throw new BackendException("Cannot fetch from " + model.source().getFileName() + ": " + e.getMessage(), e);
                }
                captures.put(key, carried);
            }
            fetchAs.putAll(carried);
        }
        return fetchAs;
    }

    /** When fetched tensors lie in cond branches the input did not take, that they were not computed. */
    private java.util.Optional<BackendException> notComputed(List<String> fetched, RuntimeException e) {
        List<String> inBranches = fetched.stream()
                .filter(t -> !controlFlow.place(controlFlow.source(t)).branches().isEmpty()).toList();
        if (inBranches.isEmpty() || e.getMessage() == null || !e.getMessage().contains("does not have value")) {
            return java.util.Optional.empty();
        }
        List<String> conds = inBranches.stream()
                .map(t -> controlFlow.place(controlFlow.source(t)).branches().get(0).condName()).distinct().toList();
        return java.util.Optional.of(new BackendException(String.join(", ", inBranches) + " of "
                + model.source().getFileName() + (inBranches.size() == 1 ? " was" : " were")
                + " not computed for this input: " + (inBranches.size() == 1 ? "it lies" : "they lie")
                + " in a branch of cond " + String.join(", ", conds) + " that this input did not take", e));
    }

    @Override
    public Trace healthPass(Map<String, TensorData> feeds, List<String> outputs, HealthMode mode,
            Map<String, TensorData> overrides, IProgressMonitor monitor) throws BackendException {
        SubMonitor progress = SubMonitor.convert(monitor, "Checking every tensor of " + model.source().getFileName(), 3);
        Set<String> fed = new HashSet<>();
        feeds.keySet().forEach(name -> fed.add(TensorSpec.tensorName(name)));
        overrides.keySet().forEach(name -> fed.add(TensorSpec.tensorName(name)));
        PassScope scope = passScope(outputs, fed, redesigned(feeds, overrides));
        List<String> floatTensors = scope.floatTensors();
        List<String> computedOutputs = outputs.stream().map(TensorSpec::tensorName)
                .filter(name -> !fed.contains(name)).distinct().toList();
        List<UncheckedTensor> opaque = scope.opaque();
        if (floatTensors.isEmpty()) {
            return new Trace(model, List.of(), opaque, Map.of(), Map.of());
        }
        checkMemory(feeds, overrides, outputs.stream().map(TensorSpec::tensorName).distinct().toList());
        if (mode != HealthMode.CURT || probeEveryTensorEachRun) {
            // the pass runs on a session of its own, or with probes everywhere: never as a plain run
            startPlainRunAlongside(feeds, overrides, computedOutputs, floatTensors);
        }
        probedInPass.clear();
        // constants are checked once per session, copies take their input's row: neither is probed per run
        Map<String, String> copies = probeEveryTensorEachRun ? Map.of() : scope.copies();
        List<String> constants = probeEveryTensorEachRun ? List.of() : scope.constants();
        Map<String, double[]> constantReadings = constantRows(constants, mode);
        // CURT watches fusible chains at their ends, so that grappler still fuses them (see FusibleChains)
        Set<String> fedOrFetched = new HashSet<>(fed);
        fedOrFetched.addAll(computedOutputs);
        // the bounds' and the chains' proofs take the weights from the graph: an overridden weight voids both
        boolean constantFed = mode == HealthMode.CURT && fed.stream().anyMatch(t -> bounds().isConstant(t));
        // CURT needs no probe on a tensor whose magnitude is bounded far inside float32's range (see MagnitudeBounds)
        MagnitudeBounds.Plan boundsPlan = mode == HealthMode.CURT && !probeEveryTensorEachRun && !constantFed
                ? boundsPlans.computeIfAbsent(computedOutputs + "|" + new java.util.TreeSet<>(fed),
                        k -> bounds().plan(floatTensors, fed))
                : MagnitudeBounds.Plan.NONE;
        Map<String, Double> fedMax = boundsPlan.bounded().isEmpty() ? Map.of()
                : byFedTensor(feeds, overrides, TfSession::largestMagnitude);
        if (mostBoundsFail(boundsPlan, fedMax)) {
            boundsPlan = MagnitudeBounds.Plan.NONE;
        }
        measuredInPass = boundsPlan.seats();
        Set<String> bounded = new LinkedHashSet<>(boundsPlan.bounded());
        bounded.removeAll(constants);
        bounded.removeAll(copies.keySet());
        List<FusibleChains.Chain> chains = mode == HealthMode.CURT && !constantFed
                ? usableChains.computeIfAbsent(List.of(floatTensors, Set.copyOf(fedOrFetched)),
                        k -> chains().usable(floatTensors, fedOrFetched)).stream()
                        .filter(c -> !bounded.containsAll(c.inside())).toList()
                : List.of();
        Set<String> chainInsides = new HashSet<>();
        chains.forEach(c -> chainInsides.addAll(c.inside()));
        // CURT needs no probe on a tensor whose NaN or Inf would always reach a watched one (see Propagation)
        Map<String, String> anchors = mode == HealthMode.CURT && !probeEveryTensorEachRun
                ? anchors(floatTensors, fed, constants, copies, chainInsides, bounded, feeds, overrides, computedOutputs)
                : new LinkedHashMap<>();
        // a chain whose insides are all anchored needs no bound; the insides of the others are bounded, not anchored
        chains = chains.stream().filter(c -> !anchors.keySet().containsAll(c.inside())).toList();
        Set<String> inside = new HashSet<>();
        chains.forEach(c -> inside.addAll(c.inside()));
        anchors.keySet().removeAll(inside);
        Set<String> notWatched = new HashSet<>(inside);
        notWatched.addAll(anchors.keySet());
        notWatched.addAll(constants);
        notWatched.addAll(copies.keySet());
        notWatched.addAll(bounded);
        List<String> watched = floatTensors.stream().filter(t -> !notWatched.contains(t)).toList();
        probedInPass.addAll(watched);
        List<String> measured = java.util.stream.Stream.concat(
                chains.stream().map(FusibleChains.Chain::input), boundsPlan.seats().stream()).distinct().toList();
        // FULL reads what it can from the values themselves (see ValueRows), the rest with probe ops
        List<String> valuesRead = mode == HealthMode.FULL && !probeEveryTensorEachRun
                ? valuesRead(watched, feeds, overrides, computedOutputs)
                : List.of();
        valuesReadInPass = valuesRead;
        Set<String> readSet = new HashSet<>(valuesRead);
        List<String> probedWatched = valuesRead.isEmpty() ? watched
                : watched.stream().filter(t -> !readSet.contains(t)).toList();
        HealthProbe probe = probe(probedWatched, mode);
        String magnitudesFetch = measured.isEmpty() ? null : magnitudes(measured);
        progress.split(1);
        List<double[][]> fetched = new ArrayList<>();
        float[] inputMax = new float[measured.size()];
        RunMetadata metadata = RunMetadata.getDefaultInstance();
        Map<String, TensorData> tracedOutputs = new LinkedHashMap<>();
        List<String> probeFetches = new ArrayList<>(probe.fetches());
        int probeCount = probeFetches.size();
        if (magnitudesFetch != null) {
            probeFetches.add(magnitudesFetch);
        }
        double[][] valueRows = new double[0][];
        boolean asPlainRun = mode == HealthMode.CURT && runsAsPlain(watched, measured);
        if (mode == HealthMode.CURT && !asPlainRun) {
            startPlainRunAlongside(feeds, overrides, computedOutputs, computedOutputs);
        }
        if (!probeFetches.isEmpty() || !computedOutputs.isEmpty() || !valuesRead.isEmpty()) {
            try (Run run = new Run(mode == HealthMode.CURT ? session : everyTensorSession(), feeds, overrides)) {
                Session.Runner runner = run.runner();
                if (opTimings) {
                    runner.setOptions(RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build());
                }
                probeFetches.forEach(runner::fetch);
                computedOutputs.forEach(runner::fetch);
                // TensorFlow fetches no fed tensor and no tensor twice: those values are at hand already
                List<String> valuesFetched = valuesRead.stream()
                        .filter(t -> !fed.contains(t) && !computedOutputs.contains(t)).toList();
                valuesFetched.forEach(runner::fetch);
                try (Result result = opTimings ? runner.runAndFetchMetadata() : runner.run()) {
                    int fetchedValue = probeFetches.size() + computedOutputs.size();
                    Map<String, TensorData> fedValues = byFedTensor(feeds, overrides, data -> data);
                    List<TensorData> values = new ArrayList<>(valuesRead.size());
                    for (String tensor : valuesRead) {
                        int output = computedOutputs.indexOf(tensor);
                        values.add(fed.contains(tensor) ? fedValues.get(tensor)
                                : TfTensors.view(tensor, result.get(output >= 0 ? probeFetches.size() + output
                                        : fetchedValue++)));
                    }
                    valueRows = ValueRows.rows(values);
                    for (int i = 0; i < probeCount; i++) {
                        fetched.add(matrix((TFloat64) result.get(i)));
                    }
                    if (magnitudesFetch != null) {
                        TFloat32 maxima = (TFloat32) result.get(probeCount);
                        for (int i = 0; i < inputMax.length; i++) {
                            inputMax[i] = maxima.getFloat(i);
                        }
                    }
                    for (int i = 0; i < computedOutputs.size(); i++) {
                        tracedOutputs.put(computedOutputs.get(i),
                                TfTensors.toData(computedOutputs.get(i), result.get(probeFetches.size() + i)));
                    }
                    metadata = result.getMetadata().orElse(RunMetadata.getDefaultInstance());
                }
            } catch (TensorFlowException | IllegalArgumentException | IllegalStateException e) {
                throw new BackendException("TensorFlow could not run " + model.source() + ": " + problem(e), e);
            }
        }
        progress.split(1);
        HealthProbe.Readings readings = probe.read(fetched);
        List<UncheckedTensor> unchecked = new ArrayList<>(probe.unchecked());
        unchecked.addAll(readings.notComputed());
        double[][] rows = new double[floatTensors.size()][];
        Map<String, Integer> index = scope.index();
        place(readings.rows(), probedWatched, rows, index);
        place(valueRows, valuesRead, rows, index);
        Map<String, String> notProbed = new LinkedHashMap<>();
        for (String constant : constants) {
            double[] row = constantReadings.get(constant);
            if (row == null) {
                unchecked.add(new UncheckedTensor(constant, "TensorFlow gave no reading of this constant"));
                continue;
            }
            int i = index.get(constant);
            rows[i] = row.clone();
            rows[i][0] = i;
            notProbed.put(constant, "a constant: checked once, when this session first watched it");
        }
        anchoredRows(anchors, rows, index);
        copyRows(copies, rows, index);
        List<FusibleChains.Chain> risky = new ArrayList<>();
        for (FusibleChains.Chain chain : chains) {
            Integer input = index.get(chain.input());
            boolean inputFinite = input != null && rows[input] != null && !HealthProbe.flagged(rows[input]);
            if (inputFinite && chain.provablyFinite(inputMax[measured.indexOf(chain.input())])) {
                chain.inside().forEach(t -> rows[index.get(t)] = HealthProbe.finiteCurtRow(index.get(t)));
            } else {
                risky.add(chain);
            }
        }
        anchoredRows(anchors, rows, index);
        copyRows(copies, rows, index);
        Set<String> unbounded = boundedRows(boundsPlan, bounded, fedMax, measured, inputMax, rows, index,
                notProbed);
        copyRows(copies, rows, index);
        if (mode == HealthMode.CURT) {
            Set<String> unknown = new HashSet<>(unbounded);
            anchors.keySet().stream().filter(t -> rows[index.get(t)] == null).forEach(unknown::add);
            unchecked.addAll(followUp(feeds, overrides, floatTensors, rows, index, risky, copies, unknown));
        } else if (mode == HealthMode.FULL) {
            Set<String> notShown = new HashSet<>(readings.loops().keySet());
            notShown.addAll(constants);
            notShown.addAll(copies.keySet());
            notShown.addAll(valuesRead);
            finiteStatsOfShown(feeds, overrides, floatTensors, rows, index, notShown);
        }
        copyRows(copies, rows, index);
        for (Map.Entry<String, String> copy : copies.entrySet()) {
            String op = TensorSpec.opNameOf(copy.getKey());
            if (rows[index.get(copy.getKey())] == null) {
                unchecked.add(new UncheckedTensor(copy.getKey(), "it holds the values of " + copy.getValue()
                        + ", which was not checked"));
            } else {
                notProbed.put(copy.getKey(), "holds the values of " + copy.getValue() + " ("
                        + model.op(op).map(o -> o.type()).orElse("") + "): its row is that tensor's");
            }
        }
        for (Map.Entry<String, String> anchored : anchors.entrySet()) {
            if (!probedInPass.contains(anchored.getKey()) && rows[index.get(anchored.getKey())] != null) {
                String op = TensorSpec.opNameOf(anchored.getValue());
                notProbed.put(anchored.getKey(), "finite because " + anchored.getValue() + " is: a NaN or infinity here"
                        + " would reach it through " + model.op(op).map(o -> o.type()).orElse(op));
            }
        }
        progress.split(1);
        unchecked.addAll(opaque);
        OpTimings timings = opTimings ? new OpTimings(metadata) : OpTimings.notMeasured(onGpu ? "" : "CPU:0");
        return new Trace(model, TraceRows.build(floatTensors, scope.ops(), scope.opTypes(), rows, timings), unchecked,
                readings.loops(), tracedOutputs, notProbed, asPlainRun);
    }

    /**
     * Whether the pass's run computed the outputs as a plain run does: on the optimised session with no probe, and
     * measuring only tensors that no fusible chain holds inside (a reduction of a fused kernel's output leaves the
     * kernel as it is; one of a tensor inside it would stop grappler fusing it).
     */
    private boolean runsAsPlain(List<String> watched, List<String> measured) {
        if (!watched.isEmpty() || probeEveryTensorEachRun) {
            return false;
        }
        if (measured.isEmpty()) {
            return true;
        }
        Set<String> insides = new HashSet<>();
        chains().all().forEach(c -> insides.addAll(c.inside()));
        return measured.stream().noneMatch(t -> insides.contains(t) || model.op(TensorSpec.opNameOf(t))
                .map(op -> FUSED_WITH_WHAT_FOLLOWS.contains(op.type())).orElse(true));
    }

    /** Ops whose output grappler may fuse into the op reading it, beyond the chains {@link FusibleChains} finds. */
    private static final Set<String> FUSED_WITH_WHAT_FOLLOWS = Set.of("Conv2D", "DepthwiseConv2dNative", "MatMul",
            "BatchMatMulV2", "BiasAdd", "FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3", "Add", "AddV2", "Mul",
            "Sub");

    /**
     * Gives each anchored tensor a finite row when its anchor's row is finite, and none (to be probed) otherwise;
     * anchors come in reverse topological order, so an anchor that is itself anchored is resolved first.
     */
    private static void anchoredRows(Map<String, String> anchors, double[][] rows, Map<String, Integer> index) {
        for (Map.Entry<String, String> anchored : anchors.entrySet()) {
            int i = index.get(anchored.getKey());
            double[] anchor = rows[index.get(anchored.getValue())];
            rows[i] = anchor != null && !HealthProbe.nonFinite(anchor) ? HealthProbe.finiteCurtRow(i) : null;
        }
    }

    private static final int MAGNITUDE_CHUNK = 4096;
    private static final int FLOAT_INFINITY_BITS = 0x7f800000;

    /** The bounds of a CURT pass (see {@link MagnitudeBounds}) by the outputs and the fed tensors. */
    private final Map<String, MagnitudeBounds.Plan> boundsPlans = new HashMap<>();
    /** The fusible chains a CURT pass may watch at their ends, by the tensors it checks and those fed or fetched. */
    private final Map<List<Object>, List<FusibleChains.Chain>> usableChains = new HashMap<>();
    private MagnitudeBounds magnitudeBounds;

    private MagnitudeBounds bounds() {
        if (magnitudeBounds == null) {
            magnitudeBounds = MagnitudeBounds.of(frozenGraph, controlFlow, chains());
        }
        return magnitudeBounds;
    }

    /**
     * Whether most of a plan's bounds fail for these fed values even if every tensor it measures stays within the
     * planned magnitude (an input of 1e38): the pass would then leave most tensors to the follow-up, which probes
     * them unfused after a run that learnt nothing, so this pass watches them itself, as without bounds. Fed values
     * within the planned magnitude keep every bound.
     */
    private boolean mostBoundsFail(MagnitudeBounds.Plan plan, Map<String, Double> fedMax) {
        if (plan.bounded().isEmpty()) {
            return false;
        }
        if (fedMax.values().stream().allMatch(max -> max <= MagnitudeBounds.PLANNED_INPUT)) {
            return false;
        }
        // evaluating every bound takes milliseconds: not again for the input of the pass before (a repeated trace)
        List<Object> key = List.of(plan, fedMax);
        if (!key.equals(lastBoundsVerdictKey)) {
            lastBoundsVerdict = evaluatedMostBoundsFail(plan, fedMax);
            lastBoundsVerdictKey = key;
        }
        return lastBoundsVerdict;
    }

    private boolean evaluatedMostBoundsFail(MagnitudeBounds.Plan plan, Map<String, Double> fedMax) {
        Map<String, Double> seats = new HashMap<>();
        plan.seats().forEach(seat -> seats.put(seat, MagnitudeBounds.PLANNED_INPUT));
        Map<String, Double> bounds = bounds().evaluate(plan, fedMax, seats, t -> true);
        long failing = plan.bounded().stream()
                .filter(t -> !(bounds.getOrDefault(t, Double.POSITIVE_INFINITY) < MagnitudeBounds.SAFE)).count();
        return failing * 2 > plan.bounded().size();
    }

    /**
     * Gives each bounded tensor whose bound holds in this run a finite row, and says how it is known.
     *
     * @return the bounded tensors whose bound does not hold (an input too large or not finite, a seat or a clipped
     *         tensor not finite), which the follow-up must probe
     */
    private Set<String> boundedRows(MagnitudeBounds.Plan plan, Set<String> bounded, Map<String, Double> fedMax,
            List<String> measuredTensors, float[] measuredMax, double[][] rows, Map<String, Integer> index,
            Map<String, String> notProbed) {
        Set<String> unbounded = new LinkedHashSet<>();
        if (bounded.isEmpty()) {
            return unbounded;
        }
        Map<String, Double> measured = new HashMap<>();
        for (String seat : plan.seats()) {
            measured.put(seat, (double) measuredMax[measuredTensors.indexOf(seat)]);
        }
        Map<String, Double> bounds = bounds().evaluate(plan, fedMax, measured, t -> {
            Integer i = index.get(t);
            return i != null && rows[i] != null && !HealthProbe.nonFinite(rows[i]);
        });
        for (String tensor : bounded) {
            int i = index.get(tensor);
            double bound = bounds.getOrDefault(tensor, Double.POSITIVE_INFINITY);
            if (bound < MagnitudeBounds.SAFE) {
                rows[i] = HealthProbe.finiteCurtRow(i);
                notProbed.put(tensor, boundNote(tensor, bound, fedMax.containsKey(tensor)));
            } else {
                rows[i] = null;
                unbounded.add(tensor);
            }
        }
        return unbounded;
    }

    /** The last note of each bounded tensor: passes on the same input give the same bounds, and their texts. */
    private final Map<String, BoundNote> boundNotes = new HashMap<>();

    private record BoundNote(double bound, boolean fed, String text) {
    }

    private String boundNote(String tensor, double bound, boolean fed) {
        BoundNote note = boundNotes.get(tensor);
        // by the bits: -0.0 and 0.0 are equal as doubles and written differently
        if (note == null || Double.doubleToLongBits(note.bound()) != Double.doubleToLongBits(bound)
                || note.fed() != fed) {
            note = new BoundNote(bound, fed, fed
                    ? "fed: every fed value is finite (the largest " + ThreeDigits.of(bound) + " in magnitude)"
                    : "finite: no value is larger than " + ThreeDigits.of(bound) + " in magnitude, a bound from the"
                            + " fed values' largest and the weights");
            boundNotes.put(tensor, note);
        }
        return note.text();
    }

    /** A value of each fed tensor (fed or overridden), by tensor name ("op:k"), in name order. */
    private static <V> Map<String, V> byFedTensor(Map<String, TensorData> feeds, Map<String, TensorData> overrides,
            java.util.function.Function<TensorData, V> value) {
        Map<String, V> fed = new java.util.TreeMap<>();
        feeds.forEach((name, data) -> fed.put(TensorSpec.tensorName(name), value.apply(data)));
        overrides.forEach((name, data) -> fed.put(TensorSpec.tensorName(name), value.apply(data)));
        return fed;
    }

    /** The largest magnitude of a fed tensor's values, infinite when one is NaN or infinite. */
    private static double largestMagnitude(TensorData data) {
        if (data.dtype() == org.tensorscope.core.model.DType.FLOAT32) {
            // magnitudes compared as their bits, which order as the floats do (NaN's above infinity's), a chunk
            // copied out at a time so that the loop runs over an array
            java.nio.IntBuffer values = data.bytes().asIntBuffer();
            int[] chunk = new int[(int) Math.min(values.remaining(), MAGNITUDE_CHUNK)];
            int largest = 0;
            while (values.hasRemaining()) {
                int n = Math.min(values.remaining(), chunk.length);
                values.get(chunk, 0, n);
                for (int i = 0; i < n; i++) {
                    largest = Math.max(largest, chunk[i] & 0x7fffffff);
                }
            }
            return largest < FLOAT_INFINITY_BITS ? Float.intBitsToFloat(largest) : Double.POSITIVE_INFINITY;
        }
        if (data.dtype() == org.tensorscope.core.model.DType.INT32) {
            // pixels fed as integers (MoveNet's): no NaN to look for, and no statistics needed for a magnitude
            java.nio.IntBuffer values = data.bytes().asIntBuffer();
            int[] chunk = new int[(int) Math.min(values.remaining(), MAGNITUDE_CHUNK)];
            int min = 0;
            int max = 0;
            while (values.hasRemaining()) {
                int n = Math.min(values.remaining(), chunk.length);
                values.get(chunk, 0, n);
                for (int i = 0; i < n; i++) {
                    min = Math.min(min, chunk[i]);
                    max = Math.max(max, chunk[i]);
                }
            }
            return Math.max(-(double) min, max);
        }
        TensorStats stats = TensorStats.of(data);
        if (stats.nonFiniteCount() > 0) {
            return Double.POSITIVE_INFINITY;
        }
        return stats.count() == 0 ? 0 : Math.max(Math.abs(stats.min()), Math.abs(stats.max()));
    }

    /**
     * The anchors of a CURT pass (see {@link Propagation}) by the outputs, the fed tensors' shapes and the tensors
     * left out for their bounds: a pass whose bounds fail before the run (an input of 1e38) anchors what a healthy
     * pass of the same shapes leaves to its bounds.
     */
    private final Map<List<Object>, Map<String, String>> anchorPlans = new HashMap<>();
    private Propagation propagation;

    private Map<String, String> anchors(List<String> floatTensors, Set<String> fed, List<String> constants,
            Map<String, String> copies, Set<String> chainInsides, Set<String> bounded, Map<String, TensorData> feeds,
            Map<String, TensorData> overrides, List<String> computedOutputs) {
        Map<String, Shape> fedShapes = byFedTensor(feeds, overrides, TensorData::shape);
        List<Object> key = List.of(computedOutputs, fedShapes, Set.copyOf(bounded));
        Map<String, String> plan = anchorPlans.get(key);
        if (plan == null) {
            if (propagation == null) {
                propagation = Propagation.of(frozenGraph);
            }
            Map<String, Shape> pinned = pinnedShapes(fedShapes);
            Map<String, Shape> shapes = new HashMap<>();
            for (String tensor : floatTensors) {
                model.op(TensorSpec.opNameOf(tensor)).ifPresent(op -> op.outputs().forEach(t -> shapes.put(t.name(), t.shape())));
            }
            Set<String> notAnchored = new HashSet<>(fed);
            notAnchored.addAll(constants);
            notAnchored.addAll(copies.keySet());
            notAnchored.addAll(bounded);
            plan = propagation.anchors(floatTensors, notAnchored, chainInsides, controlFlow, tensor -> {
                Shape shape = pinned == null ? null : pinned.get(tensor);
                if (shape != null) {
                    return shape;
                }
                Shape known = shapes.get(tensor);
                return known != null ? known : model.op(TensorSpec.opNameOf(tensor)).flatMap(op -> op.outputs().stream()
                        .filter(t -> t.name().equals(tensor)).findFirst()).map(TensorSpec::shape).orElse(null);
            });
            anchorPlans.put(key, plan);
        }
        return new LinkedHashMap<>(plan);
    }

    /** Gives each copy (in topological order, so a copy of a copy too) the row of the tensor it copies. */
    private static void copyRows(Map<String, String> copies, double[][] rows, Map<String, Integer> index) {
        for (Map.Entry<String, String> copy : copies.entrySet()) {
            int i = index.get(copy.getKey());
            double[] source = rows[index.get(copy.getValue())];
            rows[i] = source == null ? null : source.clone();
            if (rows[i] != null) {
                rows[i][0] = i;
            }
        }
    }

    /**
     * The float tensors made by Const ops in the root frame, outside cond branches and not fed: their values are
     * in the graph, the same in every run.
     */
    private List<String> constants(List<String> floatTensors, Set<String> fed) {
        return floatTensors.stream().filter(t -> !fed.contains(t))
                .filter(t -> model.op(TensorSpec.opNameOf(t)).map(op -> op.type().equals("Const")).orElse(false))
                .filter(t -> {
                    ControlFlow.Place place = controlFlow.place(t);
                    return place.isRoot() && place.branches().isEmpty() && place.phase() == ControlFlow.Phase.ROOT;
                }).toList();
    }

    /**
     * The rows of constants in a pass of this mode, checked the first time a pass needs them: one run of probes on
     * the constants alone, with grappler off and nothing fed. A CURT pass gets their counts (CONCISE) when they are
     * not finite, as it would count them where NaN starts; a FULL pass their statistics, of the finite values for
     * a constant that holds NaN or infinities.
     */
    private Map<String, double[]> constantRows(List<String> constants, HealthMode mode) throws BackendException {
        Map<String, double[]> known = constantRows.computeIfAbsent(mode, m -> new HashMap<>());
        List<String> missing = constants.stream().filter(c -> !known.containsKey(c)).toList();
        if (missing.isEmpty()) {
            return known;
        }
        missing = constantRowsFromValues(missing, mode, known);
        if (missing.isEmpty()) {
            return known;
        }
        String scope = "tensorscope_constants_" + constantChecks++;
        HealthProbe once = HealthProbe.attach(graph, controlFlow, missing,
                mode == HealthMode.CURT ? HealthMode.CONCISE : mode, scope);
        double[][] read = readProbes(everyTensorSession(), Map.of(), Map.of(), once).get(0).rows();
        if (mode == HealthMode.FULL) {
            List<String> nonFinite = new ArrayList<>();
            for (int j = 0; j < read.length; j++) {
                if (HealthProbe.nonFinite(read[j])) {
                    nonFinite.add(missing.get(j));
                }
            }
            if (!nonFinite.isEmpty()) {
                HealthProbe finite = HealthProbe.attachFinite(graph, controlFlow, nonFinite, scope + "_finite");
                double[][] finiteRows = readProbes(everyTensorSession(), Map.of(), Map.of(), finite).get(0).rows();
                for (int k = 0; k < nonFinite.size(); k++) {
                    int j = missing.indexOf(nonFinite.get(k));
                    if (finiteRows[k] != null) {
                        System.arraycopy(finiteRows[k], 5, read[j], 5, 4);
                    }
                }
            }
        }
        for (int j = 0; j < missing.size(); j++) {
            double[] row = read[j];
            if (row != null && mode == HealthMode.CURT && !HealthProbe.nonFinite(row)) {
                row = HealthProbe.finiteCurtRow(j);
            }
            known.put(missing.get(j), row);
        }
        return known;
    }

    /**
     * Puts into {@code known} the rows of the float32 constants among {@code constants}, read from the values the graph
     * holds (see {@link ConstantValues}), in the layout a probe gives; returns the constants left to a probe.
     */
    private List<String> constantRowsFromValues(List<String> constants, HealthMode mode, Map<String, double[]> known) {
        if (constNodes == null) {
            constNodes = new HashMap<>();
            frozenGraph.getNodeList().stream().filter(n -> n.getOp().equals("Const")).forEach(n -> constNodes.put(n.getName(), n));
        }
        List<String> read = new ArrayList<>();
        List<TensorData> values = new ArrayList<>();
        List<String> left = new ArrayList<>();
        for (String constant : constants) {
            NodeDef node = constNodes.get(TensorSpec.opNameOf(constant));
            TensorData value = node == null || !constant.endsWith(":0") ? null : ConstantValues.float32(constant, node);
            if (value == null) {
                left.add(constant);
            } else {
                read.add(constant);
                values.add(value);
            }
        }
        double[][] rows = ValueRows.rows(values);
        for (int j = 0; j < rows.length; j++) {
            double[] row = rows[j];
            if (mode == HealthMode.CURT) {
                row = HealthProbe.nonFinite(row)
                        ? new double[] { j, row[1], row[2], row[3], row[4], Double.NaN, Double.NaN, Double.NaN, Double.NaN, -1 }
                        : HealthProbe.finiteCurtRow(j);
            }
            known.put(read.get(j), row);
        }
        return left;
    }

    /** Copies a probe's rows (in the order of its tensors) to their places in the rows of all tensors. */
    private static void place(double[][] probeRows, List<String> probeTensors, double[][] rows,
            Map<String, Integer> index) {
        for (int j = 0; j < probeRows.length; j++) {
            if (probeRows[j] != null) {
                int i = index.get(probeTensors.get(j));
                rows[i] = probeRows[j].clone();
                rows[i][0] = i;
            }
        }
    }

    private FusibleChains chains() {
        if (fusibleChains == null) {
            fusibleChains = FusibleChains.of(frozenGraph, controlFlow);
        }
        return fusibleChains;
    }

    /**
     * Adds (once per list) the ops that compute the largest magnitude of each tensor, as one float32 vector:
     * max(max x, -min x), two reductions that write no copy of the tensor. They may overlook a NaN, which
     * the tensor's own row reports.
     */
    private String magnitudes(List<String> tensors) {
        // of a tensor that holds no negative value (when finite: a NaN is the tensor's own row's to report) the
        // largest magnitude is its maximum, one reduction instead of two
        return magnitudeFetches.computeIfAbsent(String.join(",", tensors), key -> {
            Ops tf = Ops.create(graph).withSubScope("tensorscope_bounds_" + magnitudeFetches.size());
            Operand<org.tensorflow.types.TInt64> flatShape = tf.constant(new long[] { -1 });
            Operand<org.tensorflow.types.TInt32> axis = tf.constant(0);
            List<Operand<TFloat32>> maxima = new ArrayList<>();
            for (String tensor : tensors) {
                @SuppressWarnings("unchecked")
                Operand<TFloat32> x = tf.reshape((Operand<TFloat32>) graph.outputOrThrow(tensor), flatShape);
                boolean nonNegative = model.op(TensorSpec.opNameOf(tensor))
                        .map(op -> NON_NEGATIVE.contains(op.type())).orElse(false);
                maxima.add(nonNegative ? tf.max(x, axis) : tf.math.maximum(tf.max(x, axis), tf.math.neg(tf.min(x, axis))));
            }
            return tf.withName("maxima").stack(maxima).op().name();
        });
    }

    @Override
    public List<RuntimeRewrite> runtimeRewrites(Map<String, TensorData> feeds, List<String> outputs,
            IProgressMonitor monitor) throws BackendException {
        Set<String> fed = new HashSet<>();
        feeds.keySet().forEach(name -> fed.add(TensorSpec.tensorName(name)));
        List<String> computed = outputs.stream().map(TensorSpec::tensorName).filter(n -> !fed.contains(n)).distinct()
                .toList();
        if (computed.isEmpty()) {
            return List.of();
        }
        List<Object> key = List.of(computed, byFedTensor(feeds, Map.of(), TensorData::shape));
        List<RuntimeRewrite> known = rewrites.get(key);
        if (known != null) {
            return known;
        }
        checkMemory(feeds, Map.of(), computed);
        try (Run run = new Run(feeds, Map.of())) {
            Session.Runner runner = run.runner()
                    .setOptions(RunOptions.newBuilder().setOutputPartitionGraphs(true).build());
            computed.forEach(runner::fetch);
            try (Result result = runner.runAndFetchMetadata()) {
                RunMetadata metadata = result.getMetadata().orElse(RunMetadata.getDefaultInstance());
                List<RuntimeRewrite> found = List.copyOf(RuntimeRewrites.of(model, metadata.getPartitionGraphsList()));
                rewrites.put(key, found);
                return found;
            }
        } catch (TensorFlowException | IllegalArgumentException | IllegalStateException e) {
            throw new BackendException("TensorFlow could not run " + model.source() + ": " + firstLine(e.getMessage()), e);
        }
    }

    /**
     * Refuses, before TensorFlow runs anything, a run whose intermediate tensors would not fit the
     * memory budgets: shapes are TensorFlow's static ones, with the placeholders' shapes pinned to
     * the fed tensors' when those differ (a placeholder [?, 1] fed [1048576, 1]).
     */
    private void checkMemory(Map<String, TensorData> feeds, Map<String, TensorData> overrides, List<String> outputs)
            throws BackendException {
        java.util.Optional<String> verdict = memoryVerdict(feeds, overrides, outputs);
        if (verdict.isPresent()) {
            throw new BackendException(verdict.get());
        }
    }

    private final Map<List<Object>, List<String>> valuesReadPlans = new HashMap<>();

    /**
     * The watched tensors a FULL pass fetches and reads in Java: those {@link ValueRows} can read, when all of
     * them fit the memory budgets with the outputs (a fetched tensor lives until the run ends); none otherwise.
     */
    private List<String> valuesRead(List<String> watched, Map<String, TensorData> feeds,
            Map<String, TensorData> overrides, List<String> computedOutputs) {
        List<Object> key = List.of(List.copyOf(watched), List.copyOf(computedOutputs),
                byFedTensor(feeds, overrides, TensorData::shape));
        return valuesReadPlans.computeIfAbsent(key, k -> {
            List<String> readable = ValueRows.readable(model, controlFlow, watched);
            List<String> kept = new ArrayList<>(computedOutputs);
            kept.addAll(readable);
            return memoryVerdict(feeds, overrides, kept).isEmpty() ? readable : List.of();
        });
    }

    private java.util.Optional<String> memoryVerdict(Map<String, TensorData> feeds, Map<String, TensorData> overrides,
            List<String> outputs) {
        Map<String, Shape> fedShapes = byFedTensor(feeds, overrides, TensorData::shape);
        List<Object> key = List.of(List.copyOf(outputs), fedShapes);
        java.util.Optional<String> verdict = memoryVerdicts.get(key);
        if (verdict == null) {
            Map<String, Shape> pinned = pinnedShapes(fedShapes);
            try {
                RunMemory.check(model, outputs, fedShapes.keySet(), t -> pinned == null ? t.shape()
                        : pinned.getOrDefault(t.name(), t.shape()));
                verdict = java.util.Optional.empty();
            } catch (IllegalArgumentException e) {
                verdict = java.util.Optional.of(model.source() + ": " + e.getMessage());
            }
            memoryVerdicts.put(key, verdict);
        }
        return verdict;
    }

    /** Shapes with the fed placeholders' pinned, or null when every fed placeholder already has its fed shape. */
    private Map<String, Shape> pinnedShapes(Map<String, Shape> fedShapes) {
        Map<String, Shape> placeholders = new HashMap<>();
        fedShapes.forEach((tensor, shape) -> model.op(TensorSpec.opNameOf(tensor))
                .filter(op -> op.type().equals("Placeholder") && !op.outputs().isEmpty()
                        && !op.outputs().get(0).shape().equals(shape))
                .ifPresent(op -> placeholders.put(op.name(), shape)));
        return placeholders.isEmpty() ? null : PinnedShapes.of(frozenGraph, placeholders);
    }

    /**
     * What follows a CURT pass that flagged tensors or could not bound a chain, in one more run: NaN and ±Inf
     * are counted where they may start (flagged tensors none of whose inputs is known to hold any) and in the
     * first {@value #FIRST_COUNTED} flagged tensors; the other flagged tensors are only marked with the kinds they
     * hold, which costs far less than counting (DebugNumericSummaryV2 counts about 10x slower when NaN or Inf are
     * present), so the trace still knows the first NaN and the first Inf. The insides of the chains whose bound
     * failed are watched in the same run, unfused (the targeted pass, see {@link FusibleChains}). When an
     * inside turns out finite, a tensor it feeds may be where NaN or Inf start after all: a further, small run
     * counts those.
     *
     * @return the tensors this could not check
     */
    private List<UncheckedTensor> followUp(Map<String, TensorData> feeds, Map<String, TensorData> overrides,
            List<String> floatTensors, double[][] rows, Map<String, Integer> index, List<FusibleChains.Chain> chains,
            Map<String, String> copies, Set<String> unknown) throws BackendException {
        List<String> insides = chains.stream().flatMap(c -> c.inside().stream()).toList();
        // an inside fed by a non-finite chain input is taken as non-finite until the run says otherwise
        Set<String> presumed = new HashSet<>();
        for (FusibleChains.Chain chain : chains) {
            Integer input = index.get(chain.input());
            if (input != null && HealthProbe.nonFinite(rows[input])) {
                presumed.addAll(chain.inside());
            }
        }
        // an anchored tensor whose anchor is not finite is presumed not finite either until the run says
        presumed.addAll(unknown);
        Set<String> insideSet = new HashSet<>(insides);
        insideSet.addAll(unknown);
        List<String> toCount = new ArrayList<>();
        List<String> toMark = new ArrayList<>();
        int first = FIRST_COUNTED;
        for (int i = 0; i < floatTensors.size(); i++) {
            String tensor = floatTensors.get(i);
            boolean flagged = HealthProbe.flagged(rows[i]);
            if (!flagged && !insideSet.contains(tensor) || copies.containsKey(tensor)) {
                continue;
            }
            // an anchored tensor not known finite counts among the first as the flagged tensor it would have been
            boolean firstOnes = (flagged || unknown.contains(tensor)) && first-- > 0;
            (firstOnes || mayStart(tensor, rows, index, presumed) ? toCount : toMark).add(tensor);
        }
        List<UncheckedTensor> unchecked = new ArrayList<>();
        if (toCount.isEmpty() && toMark.isEmpty()) {
            return unchecked;
        }
        HealthProbe counts = toCount.isEmpty() ? null : probe(toCount, HealthMode.CONCISE);
        HealthProbe marks = toMark.isEmpty() ? null : presenceProbe(toMark);
        List<HealthProbe.Readings> read = runProbes(feeds, overrides, counts, marks);
        for (int k = 0; k < read.size(); k++) {
            HealthProbe p = k == 0 && counts != null ? counts : marks;
            unchecked.addAll(p.unchecked());
            unchecked.addAll(read.get(k).notComputed());
            place(read.get(k).rows(), p.tensors(), rows, index);
        }
        copyRows(copies, rows, index);
        // every inside is known now: count those that start NaN or Inf only because an inside before them is finite
        List<String> late = toMark.stream()
                .filter(t -> HealthProbe.nonFinite(rows[index.get(t)]) && mayStart(t, rows, index, Set.of())).toList();
        if (!late.isEmpty()) {
            HealthProbe lateCounts = probe(late, HealthMode.CONCISE);
            HealthProbe.Readings lateRead = runProbes(feeds, overrides, lateCounts, null).get(0);
            place(lateRead.rows(), late, rows, index);
            copyRows(copies, rows, index);
        }
        return unchecked;
    }

    /** Flagged tensors counted in a CURT pass besides those where NaN or Inf may start. */
    private static final int FIRST_COUNTED = 8;

    /**
     * Whether a tensor's op may be where NaN or Inf start: none of its inputs holds any or is presumed to (inputs
     * without a row, such as integer tensors, and inputs not yet known count as finite, as for
     * {@link org.tensorscope.core.analysis.NanOriginFinder}).
     */
    private boolean mayStart(String tensor, double[][] rows, Map<String, Integer> index, Set<String> presumed) {
        return model.op(TensorSpec.opNameOf(tensor)).map(op -> op.inputs().stream().map(TensorSpec::tensorName)
                .noneMatch(input -> {
                    Integer i = index.get(input);
                    return presumed.contains(input) || i != null && HealthProbe.nonFinite(rows[i]);
                })).orElse(true);
    }

    /** One run fetching the rows of the given probes (nulls skipped), read in the same order. */
    private List<HealthProbe.Readings> runProbes(Map<String, TensorData> feeds, Map<String, TensorData> overrides,
            HealthProbe... probes) throws BackendException {
        return runProbes(session, feeds, overrides, probes);
    }

    private List<HealthProbe.Readings> runProbes(Session on, Map<String, TensorData> feeds,
            Map<String, TensorData> overrides, HealthProbe... probes) throws BackendException {
        java.util.Arrays.stream(probes).filter(java.util.Objects::nonNull).forEach(p -> probedInPass.addAll(p.tensors()));
        return readProbes(on, feeds, overrides, probes);
    }

    private List<HealthProbe.Readings> readProbes(Session on, Map<String, TensorData> feeds,
            Map<String, TensorData> overrides, HealthProbe... probes) throws BackendException {
        List<HealthProbe> used = java.util.Arrays.stream(probes).filter(java.util.Objects::nonNull).toList();
        List<List<double[][]>> fetched = new ArrayList<>();
        try (Run run = new Run(on, feeds, overrides)) {
            Session.Runner runner = run.runner();
            used.forEach(p -> p.fetches().forEach(runner::fetch));
            try (Result result = runner.run()) {
                int next = 0;
                for (HealthProbe p : used) {
                    List<double[][]> matrices = new ArrayList<>();
                    for (int i = 0; i < p.fetches().size(); i++) {
                        matrices.add(matrix((TFloat64) result.get(next++)));
                    }
                    fetched.add(matrices);
                }
            }
        } catch (TensorFlowException | IllegalArgumentException | IllegalStateException e) {
            throw new BackendException("TensorFlow could not run " + model.source() + ": " + problem(e), e);
        }
        List<HealthProbe.Readings> read = new ArrayList<>();
        for (int k = 0; k < used.size(); k++) {
            read.add(used.get(k).read(fetched.get(k)));
        }
        return read;
    }

    /**
     * The FULL pass's minimum, maximum, mean and deviation are over all values: for the tensors holding NaN or
     * infinities, a second, smaller run computes them over the finite values, with DebugNumericSummary, which
     * reads a tensor value by value on one thread. It does so for the tensors a trace report shows (where NaN or
     * Inf may start, the first NaN and the first Inf, the first {@value #FIRST_COUNTED} non-finite tensors);
     * the others' statistics are left not computed (NaN). A healthy model never pays for it. Rows of tensors
     * inside loops have them already, constants' come from their check once per session, copies' from their input.
     */
    private void finiteStatsOfShown(Map<String, TensorData> feeds, Map<String, TensorData> overrides,
            List<String> floatTensors, double[][] rows, Map<String, Integer> index, Set<String> notShown)
            throws BackendException {
        List<String> shown = new ArrayList<>();
        int first = FIRST_COUNTED;
        boolean nanSeen = false;
        boolean infSeen = false;
        for (int i = 0; i < rows.length; i++) {
            String tensor = floatTensors.get(i);
            if (!HealthProbe.nonFinite(rows[i]) || notShown.contains(tensor)) {
                continue;
            }
            boolean firstNan = !nanSeen && rows[i][4] > 0;
            boolean firstInf = !infSeen && rows[i][2] + rows[i][3] > 0;
            nanSeen |= rows[i][4] > 0;
            infSeen |= rows[i][2] + rows[i][3] > 0;
            if (first-- > 0 || firstNan || firstInf || mayStart(tensor, rows, index, Set.of())) {
                shown.add(tensor);
            } else {
                java.util.Arrays.fill(rows[i], 5, 9, Double.NaN);
            }
        }
        if (shown.isEmpty()) {
            return;
        }
        String key = "finite|" + String.join(",", shown);
        HealthProbe finite = probes.computeIfAbsent(key,
                k -> HealthProbe.attachFinite(graph, controlFlow, shown, "tensorscope_health_" + probes.size()));
        double[][] finiteRows = runProbes(everyTensorSession(), feeds, overrides, finite).get(0).rows();
        for (int j = 0; j < shown.size(); j++) {
            int i = index.get(shown.get(j));
            if (finiteRows[j] != null) {
                System.arraycopy(finiteRows[j], 5, rows[i], 5, 4);
            }
        }
    }

    private HealthProbe presenceProbe(List<String> tensors) {
        return probes.computeIfAbsent("presence|" + String.join(",", tensors),
                k -> HealthProbe.attachPresence(graph, controlFlow, tensors, "tensorscope_health_" + probes.size()));
    }

    private HealthProbe probe(List<String> tensors, HealthMode mode) {
        String key = mode + "|" + String.join(",", tensors);
        return probes.computeIfAbsent(key,
                k -> HealthProbe.attach(graph, controlFlow, tensors, mode, "tensorscope_health_" + probes.size()));
    }

    private static double[][] matrix(TFloat64 packed) {
        long[] shape = packed.shape().asArray();
        double[][] rows = new double[(int) shape[0]][(int) shape[1]];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < rows[i].length; j++) {
                rows[i][j] = packed.getDouble(i, j);
            }
        }
        return rows;
    }

    private void requireTensor(String name) throws BackendException {
        String op = name.substring(0, name.lastIndexOf(':'));
        GraphOperation operation = graph.operation(op);
        if (operation == null) {
            throw new BackendException("The model has no op named '" + op + "'");
        }
        int index = Integer.parseInt(name.substring(name.lastIndexOf(':') + 1));
        if (index >= operation.numOutputs()) {
            throw new BackendException("Op '" + op + "' has " + operation.numOutputs() + " output(s); there is no output "
                    + index);
        }
    }


    /** TensorFlow's message for a user: its first line, with our probe ops not named. */
    static String problem(Exception e) {
        String line = firstLine(e.getMessage());
        // the Assert a loader puts where an op cannot run: its words without TensorFlow's frame around them
        java.util.regex.Matcher notRunnable = NOT_RUNNABLE.matcher(line);
        if (notRunnable.matches()) {
            line = notRunnable.group(1);
        }
        return PROBE_NODE.matcher(line).replaceAll("a Tensorscope probe");
    }

    private static final java.util.regex.Pattern NOT_RUNNABLE = java.util.regex.Pattern
            .compile("assertion failed: \\[(.* cannot run here: .*)\\]\\s*");

    private static final java.util.regex.Pattern PROBE_NODE = java.util.regex.Pattern
            .compile("\\{\\{node tensorscope_[^}]*\\}\\}|tensorscope_health_[\\w/]*");

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** The fed tensors of one run, closed when the run is over. */
    private final class Run implements AutoCloseable {

        private final List<Tensor> fed = new ArrayList<>();
        private final Session.Runner runner;

        Run(Map<String, TensorData> feeds, Map<String, TensorData> overrides) throws BackendException {
            this(session, feeds, overrides);
        }

        Run(Session on, Map<String, TensorData> feeds, Map<String, TensorData> overrides) throws BackendException {
            runner = on.runner();
            Map<String, TensorData> all = new LinkedHashMap<>(feeds);
            all.putAll(overrides);
            try {
                for (Map.Entry<String, TensorData> feed : all.entrySet()) {
                    String name = TensorSpec.tensorName(feed.getKey());
                    requireTensor(name);
                    Tensor tensor = TfTensors.toTensor(feed.getValue());
                    fed.add(tensor);
                    runner.feed(name, tensor);
                }
            } catch (BackendException | RuntimeException e) {
                close();
                throw e;
            }
        }

        /** The runner of this run: asked for once, just before the run is made. */
        Session.Runner runner() {
            if (Thread.currentThread().isInterrupted()) {
                throw new OperationCanceledException();
            }
            runs++;
            return runner;
        }

        @Override
        public void close() {
            fed.forEach(Tensor::close);
        }
    }

    @Override
    public void close() {
        awaitAlongside();
        if (unoptimised != null) {
            unoptimised.close();
        }
        if (everyTensor != null) {
            everyTensor.close();
        }
        session.close();
        graph.close();
    }

}
