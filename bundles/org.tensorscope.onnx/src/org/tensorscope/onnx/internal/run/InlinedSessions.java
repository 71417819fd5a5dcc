package org.tensorscope.onnx.internal.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.ModelFiles;
import org.tensorscope.onnx.internal.OnnxModel;
import org.tensorscope.onnx.internal.OnnxRuntimeEnvironment;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;

/**
 * The ONNX Runtime sessions of one model: the model as written (every value an output) and, kept
 * for the next runs, a few rewritten with the If branches an input takes inlined and their loop
 * bodies returning every iteration's values.
 */
final class InlinedSessions implements AutoCloseable {

    /** Rewritten models kept open besides the model as written: each holds the weights once more. */
    private static final int MAX_KEPT = 3;
    private static final String LOOPS_NOT_RETURNED = "ONNX Runtime returns only a loop's final values";

    /**
     * A rewritten model, the session running it and what each value it returns takes.
     *
     * @param choices     the If branches inlined
     * @param loops       whether its loop bodies return their values
     * @param narrowable  whether the model returns every value, so that a session of it returning fewer can stand in
     *                    for it when they would take more than the run budget; false for the optimised model, which
     *                    returns only what a plain run asks for, and for a summing one
     */
    record Session(Map<String, Boolean> choices, boolean loops, InlinedModel model, OrtSession session,
            ReturnedSizes sizes, boolean narrowable) {

        @Override
        public boolean equals(Object other) {
            return this == other;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    /** Sessions of a rewritten model returning only some of its values, kept besides those returning all. */
    private static final int MAX_NARROWED = 4;
    /** Summing sessions kept: one per set of outputs a pass is for, usually one. */
    private static final int MAX_SUMMING = 2;
    /** Optimised sessions kept: the file's outputs alone, and one fetch of other values with them. */
    private static final int MAX_OPTIMISED = 2;

    private final OnnxModel model;
    private final OrtEnvironment env;
    private final boolean cuda;
    private final boolean hasLoops;
    private final Session asWritten;
    /** Least recently used first. */
    private final Map<String, Session> kept = new LinkedHashMap<>(16, 0.75f, true);
    /** By the session returning every value and the values returned; least recently used first. */
    private final Map<List<Object>, OrtSession> narrowed = new LinkedHashMap<>(16, 0.75f, true);
    private String loopsNotReturned;
    private int narrowedOpened;
    /** By the session returning every value, the values returned and those summed; least recently used first. */
    private final Map<List<Object>, Session> summing = new LinkedHashMap<>(4, 0.75f, true);
    /** Sessions whose model with sums added ONNX Runtime could not open or run. */
    private final Set<Session> notSumming = new HashSet<>();
    /** The counting session last opened, by its plan and the values it counts. */
    private Map.Entry<List<Object>, Session> counting;
    /** Sessions whose model with counts added ONNX Runtime could not open or run. */
    private final Set<Session> notCounting = new HashSet<>();
    /** Sessions whose model with sizes added ONNX Runtime could not open or run. */
    private final Set<Session> notSizing = new HashSet<>();
    /** By the values returned besides the file's outputs; least recently used first. */
    private final Map<Set<String>, Session> optimised = new LinkedHashMap<>(4, 0.75f, true);
    /** Why ONNX Runtime could not open the model with its optimisations, once it could not. */
    private BackendException notOptimised;

    /**
     * @param hasLoops whether the model holds a Loop or Scan anywhere
     */
    InlinedSessions(OnnxModel model, OrtEnvironment env, boolean cuda, boolean hasLoops) throws BackendException {
        this.model = model;
        this.env = env;
        this.cuda = cuda;
        this.hasLoops = hasLoops;
        this.asWritten = open(Map.of());
    }

    /** The model as written, every value of its main graph an output. */
    Session asWritten() {
        return asWritten;
    }

    /**
     * The model with these branches inlined and, unless that failed before, its loop bodies
     * returning every iteration's values.
     */
    Session checking(Map<String, Boolean> choices) throws BackendException {
        if (hasLoops && loopsNotReturned == null) {
            try {
                return open(choices, true);
            } catch (LoopsNotReturned e) {
                loopsNotReturned = e.reason();
            }
        }
        return open(choices);
    }

    /** From now on, run loops as written: returning their bodies' values failed for this reason. */
    void loopsNotReturned(LoopsNotReturned e) {
        loopsNotReturned = e.reason();
    }

    /** The model with these branches inlined, its loops as written. */
    Session open(Map<String, Boolean> choices) throws BackendException {
        try {
            return open(choices, false);
        } catch (LoopsNotReturned e) {
            throw new IllegalStateException("a model with its loops as written failed as if they were rewritten", e);
        }
    }

    private Session open(Map<String, Boolean> choices, boolean returnLoops) throws BackendException, LoopsNotReturned {
        String key = (returnLoops ? "loops;" : loopsNotReturned == null ? "" : "noloops;") + new java.util.TreeMap<>(choices);
        Session found = key.equals("{}") && asWritten != null ? asWritten : kept.get(key);
        if (found != null) {
            return found;
        }
        InlinedModel inlined;
        try {
            inlined = SubgraphInliner.inline(model, choices, returnLoops,
                    loopsNotReturned == null ? LOOPS_NOT_RETURNED : loopsNotReturned);
        } catch (IOException e) {
            throw new BackendException("Cannot prepare " + model.graph().source() + " for "
                    + OnnxRuntimeEnvironment.FRAMEWORK + ": " + e.getMessage(), e);
        }
        OrtSession session;
        try {
            session = createSession(inlined, true, OrtSession.SessionOptions.OptLevel.NO_OPT, null);
        } catch (OrtException e) {
            if (returnLoops) {
                throw new LoopsNotReturned(e);
            }
            throw new BackendException(OnnxRuntimeEnvironment.FRAMEWORK + " cannot open " + model.graph().source()
                    + (choices.isEmpty() ? "" : " with the If branches taken for this input inlined") + ": "
                    + OnnxRuntimeEnvironment.firstLine(e), e);
        }
        Session opened = new Session(Map.copyOf(choices), returnLoops, inlined.withoutBytes(), session,
                new ReturnedSizes(session), true);
        if (!key.equals("{}")) {
            kept.put(key, opened);
            if (kept.size() > MAX_KEPT) {
                var eldest = kept.entrySet().iterator().next();
                kept.remove(eldest.getKey());
                closeQuietly(eldest.getValue().session());
                closeSessionsMadeFor(eldest.getValue());
            }
        }
        return opened;
    }

    /**
     * The model as ONNX Runtime runs the file by default: its graph optimisations on (fused kernels, a blocked
     * memory layout for convolutions), returning the file's outputs and these values (ONNX names) besides: a plain
     * run that also fetches a value makes it a graph output, so the optimiser keeps it, as a program asking for it
     * would. Opened at its first use; the last two kept.
     */
    Session optimised(Set<String> values) throws BackendException {
        Set<String> key = Set.copyOf(values);
        Session found = optimised.get(key);
        if (found != null) {
            return found;
        }
        if (notOptimised != null) {
            throw notOptimised; // opening it again would fail again, and cost as much
        }
        try {
            InlinedModel inlined = SubgraphInliner.inline(model, Map.of(), false,
                    loopsNotReturned == null ? LOOPS_NOT_RETURNED : loopsNotReturned, key);
            OrtSession session = createSession(inlined, true, OrtSession.SessionOptions.OptLevel.ALL_OPT, null);
            found = new Session(Map.of(), false, inlined.withoutBytes(), session, new ReturnedSizes(session), false);
        } catch (OrtException e) {
            notOptimised = new BackendException(OnnxRuntimeEnvironment.FRAMEWORK + " cannot open "
                    + model.graph().source() + " with its graph optimisations: " + OnnxRuntimeEnvironment.firstLine(e),
                    e);
            throw notOptimised;
        } catch (IOException e) {
            throw new BackendException("Cannot prepare " + model.graph().source() + " for "
                    + OnnxRuntimeEnvironment.FRAMEWORK + ": " + e.getMessage(), e);
        }
        optimised.put(key, found);
        if (optimised.size() > MAX_OPTIMISED) {
            var eldest = optimised.entrySet().iterator().next();
            optimised.remove(eldest.getKey());
            closeQuietly(eldest.getValue().session());
        }
        return found;
    }

    /**
     * The graph ONNX Runtime optimises the file's into for {@link #optimised(Set)}, as a ModelProto: ONNX Runtime
     * writes it to a file of a temporary folder of its own, deleted once read.
     */
    byte[] optimisedGraph() throws BackendException {
        Path folder = null;
        try {
            folder = Files.createTempDirectory("tensorscope-onnx-optimised-");
            InlinedModel inlined = asReturningOnlyTheFileOutputs();
            // the weights are written too: twice their size of room, or a clear refusal rather than a full disk
            long room = Files.getFileStore(folder).getUsableSpace();
            if (room < 2L * inlined.bytes().length) {
                throw new IOException("the temporary folder has " + ModelFiles.sizeText(room) + " free, and the "
                        + "optimised graph with its weights takes about " + ModelFiles.sizeText(inlined.bytes().length));
            }
            Path file = folder.resolve("optimised.onnx");
            createSession(inlined, false, OrtSession.SessionOptions.OptLevel.ALL_OPT, file).close();
            return Files.readAllBytes(file);
        } catch (IOException | OrtException e) {
            throw new BackendException(OnnxRuntimeEnvironment.FRAMEWORK + " could not write the optimised graph of "
                    + model.graph().source() + ": " + OnnxRuntimeEnvironment.firstLine(e), e);
        } finally {
            deleteQuietly(folder);
        }
    }

    private InlinedModel asReturningOnlyTheFileOutputs() throws IOException {
        return SubgraphInliner.inline(model, Map.of(), false,
                loopsNotReturned == null ? LOOPS_NOT_RETURNED : loopsNotReturned, Set.of());
    }

    private static void deleteQuietly(Path folder) {
        if (folder == null) {
            return;
        }
        try (java.util.stream.Stream<Path> files = Files.walk(folder)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind holds nothing of the user's
        }
    }

    /**
     * A session of the same rewritten model returning only these values (ONNX names) and the file's own outputs:
     * ONNX Runtime keeps every output of a model until its run ends, even those the run does not ask for, so a
     * model returning every value holds them all at once.
     */
    OrtSession narrowed(Session plan, Set<String> values) throws BackendException {
        List<Object> key = List.of(plan, Set.copyOf(values));
        OrtSession found = narrowed.get(key);
        if (found != null) {
            return found;
        }
        OrtSession session;
        try {
            session = createSession(SubgraphInliner.inline(model, plan.choices(), plan.loops(),
                    loopsNotReturned == null ? LOOPS_NOT_RETURNED : loopsNotReturned, values), false,
                    OrtSession.SessionOptions.OptLevel.NO_OPT, null);
        } catch (IOException | OrtException e) {
            throw new BackendException(OnnxRuntimeEnvironment.FRAMEWORK + " cannot open " + model.graph().source()
                    + " returning part of its values: " + e.getMessage(), e);
        }
        narrowedOpened++;
        narrowed.put(key, session);
        if (narrowed.size() > MAX_NARROWED) {
            var eldest = narrowed.entrySet().iterator().next();
            narrowed.remove(eldest.getKey());
            closeQuietly(eldest.getValue());
        }
        return session;
    }

    /**
     * A session of the same rewritten model returning these values (ONNX names) and the sums of the {@code summed}
     * ones instead of the values ({@link SubgraphInliner#summing}), kept for the next passes. Each holds the weights
     * once more, as the plan's session does.
     *
     * @param summed the values summed, in the order of their sums: true for those cast to float first
     * @param arena  whether its runs allocate from ONNX Runtime's arena, which keeps the largest run's memory: not for a
     *               model whose values take more than the run budget together
     * @throws BackendException when ONNX Runtime cannot open it (a value of another type than ONNX Runtime said, an
     *                          operator set without the ops the sums need); {@link #maySum} is false from then on
     */
    Session summing(Session plan, Set<String> returned, LinkedHashMap<String, Boolean> summed, boolean arena)
            throws BackendException {
        List<Object> key = List.of(plan, Set.copyOf(returned), List.copyOf(summed.keySet()));
        Session found = summing.get(key);
        if (found != null) {
            return found;
        }
        try {
            InlinedModel inlined = SubgraphInliner.summing(model, plan.choices(), plan.loops(),
                    loopsNotReturned == null ? LOOPS_NOT_RETURNED : loopsNotReturned, returned, summed);
            OrtSession session = createSession(inlined, arena, OrtSession.SessionOptions.OptLevel.NO_OPT, null);
            found = new Session(plan.choices(), plan.loops(), inlined.withoutBytes(), session,
                    new ReturnedSizes(session), false);
        } catch (IOException | OrtException e) {
            notSumming.add(plan);
            throw new BackendException(OnnxRuntimeEnvironment.FRAMEWORK + " cannot open " + model.graph().source()
                    + " with the sums of its values added: " + OnnxRuntimeEnvironment.firstLine(e), e);
        }
        summing.put(key, found);
        if (summing.size() > MAX_SUMMING) {
            var eldest = summing.entrySet().iterator().next();
            summing.remove(eldest.getKey());
            closeQuietly(eldest.getValue().session());
        }
        return found;
    }

    /**
     * A session of the same rewritten model returning the element and non-finite counts of these values instead of
     * the values ({@link SubgraphInliner#counting}); the last one kept.
     *
     * @param arena as for {@link #summing}
     * @throws BackendException when ONNX Runtime cannot open it; {@link #mayCount} is false from then on
     */
    Session counting(Session plan, List<String> counted, boolean arena) throws BackendException {
        List<Object> key = List.of(plan, List.copyOf(counted));
        if (counting != null && counting.getKey().equals(key)) {
            return counting.getValue();
        }
        try {
            InlinedModel inlined = SubgraphInliner.counting(model, plan.choices(), plan.loops(),
                    loopsNotReturned == null ? LOOPS_NOT_RETURNED : loopsNotReturned, counted);
            OrtSession session = createSession(inlined, arena, OrtSession.SessionOptions.OptLevel.NO_OPT, null);
            if (counting != null) {
                closeQuietly(counting.getValue().session());
            }
            counting = Map.entry(key, new Session(plan.choices(), plan.loops(), inlined.withoutBytes(), session,
                    new ReturnedSizes(session), false));
            return counting.getValue();
        } catch (IOException | OrtException e) {
            notCounting.add(plan);
            throw new BackendException(OnnxRuntimeEnvironment.FRAMEWORK + " cannot open " + model.graph().source()
                    + " with the counts of its values added: " + OnnxRuntimeEnvironment.firstLine(e), e);
        }
    }

    /**
     * A session of the same rewritten model returning the element counts of these values instead of the values
     * ({@link SubgraphInliner#sizing}), without the arena (it is asked for where sizes are not known, so a run's
     * memory could be anything). Not kept: the sizes it gives are remembered, and it holds the weights once more;
     * the caller closes it.
     *
     * @throws BackendException when ONNX Runtime cannot open it; {@link #maySize} is false from then on
     */
    OrtSession sizing(Session plan, List<String> sized) throws BackendException {
        try {
            return createSession(SubgraphInliner.sizing(model, plan.choices(), plan.loops(),
                    loopsNotReturned == null ? LOOPS_NOT_RETURNED : loopsNotReturned, sized), false,
                    OrtSession.SessionOptions.OptLevel.NO_OPT, null);
        } catch (IOException | OrtException e) {
            notSizing.add(plan);
            throw new BackendException(OnnxRuntimeEnvironment.FRAMEWORK + " cannot open " + model.graph().source()
                    + " with the sizes of its values added: " + OnnxRuntimeEnvironment.firstLine(e), e);
        }
    }

    /** Whether this plan's unknown sizes may be asked of the model: no model with sizes failed for it before. */
    boolean maySize(Session plan) {
        return !notSizing.contains(plan);
    }

    /** Whether this plan's values may be counted in the model: no model with counts failed for it before. */
    boolean mayCount(Session plan) {
        return !notCounting.contains(plan);
    }

    /** From now on, this plan's flagged values are read: running its model with counts failed. */
    void refuseCounts(Session plan) {
        notCounting.add(plan);
    }

    /** Whether a pass of this plan may read sums instead of values: no model with sums failed for it before. */
    boolean maySum(Session plan) {
        return !notSumming.contains(plan);
    }

    /** From now on, passes of this plan read values: running its model with sums failed. */
    void refuseSums(Session plan) {
        notSumming.add(plan);
    }

    /** How many sessions returning part of the values were opened. */
    int narrowedOpened() {
        return narrowedOpened;
    }

    private void closeSessionsMadeFor(Session plan) {
        notSumming.remove(plan);
        notCounting.remove(plan);
        notSizing.remove(plan);
        if (counting != null && counting.getKey().get(0) == plan) {
            closeQuietly(counting.getValue().session());
            counting = null;
        }
        summing.entrySet().removeIf(e -> {
            if (e.getKey().get(0) == plan) {
                closeQuietly(e.getValue().session());
                return true;
            }
            return false;
        });
        narrowed.entrySet().removeIf(e -> {
            if (e.getKey().get(0) == plan) {
                closeQuietly(e.getValue());
                return true;
            }
            return false;
        });
    }

    /**
     * @param arena     whether the session keeps what its runs allocated for the next: sessions of a model too large
     *                  to return every value at once go without, or each would keep the largest run it made
     * @param level     NO_OPT for every session that checks, so that each op runs as written and each tensor
     *                  Tensorscope shows is the one the file names; ALL_OPT for the plain run
     * @param optimised where ONNX Runtime writes the graph it optimised, or null
     */
    private OrtSession createSession(InlinedModel inlined, boolean arena, OrtSession.SessionOptions.OptLevel level,
            Path optimised) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setCPUArenaAllocator(arena);
            options.setOptimizationLevel(level);
            if (optimised != null) {
                options.setOptimizedModelFilePath(optimised.toString());
                // the weights beside the graph, which is all that is read back
                options.addConfigEntry("session.optimized_model_external_initializers_file_name", "weights.bin");
                options.addConfigEntry("session.optimized_model_external_initializers_min_size_in_bytes", "64");
            }
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            if (cuda) {
                options.addCUDA(0);
            }
            return env.createSession(inlined.bytes(), options);
        }
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // closing frees native memory; a failure leaves nothing to do
        }
    }

    @Override
    public void close() {
        optimised.values().forEach(o -> closeQuietly(o.session()));
        optimised.clear();
        summing.values().forEach(o -> closeQuietly(o.session()));
        summing.clear();
        if (counting != null) {
            closeQuietly(counting.getValue().session());
            counting = null;
        }
        narrowed.values().forEach(InlinedSessions::closeQuietly);
        narrowed.clear();
        kept.values().forEach(s -> closeQuietly(s.session()));
        kept.clear();
        try {
            asWritten.session().close();
        } catch (OrtException e) {
            throw new IllegalStateException(OnnxRuntimeEnvironment.FRAMEWORK + " could not close the session of "
                    + model.graph().source() + ": " + OnnxRuntimeEnvironment.firstLine(e), e);
        }
    }
}
