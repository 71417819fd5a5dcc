package org.tensorscope.tensorflow.internal.run;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TNumber;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.core.trace.LoopHealth;
import org.tensorscope.core.trace.TensorHealth;
import org.tensorscope.core.trace.UncheckedTensor;
import org.tensorscope.tensorflow.internal.run.ControlFlow.Branch;
import org.tensorscope.tensorflow.internal.run.ControlFlow.Frame;
import org.tensorscope.tensorflow.internal.run.ControlFlow.Phase;
import org.tensorscope.tensorflow.internal.run.ControlFlow.Place;
import org.tensorscope.tensorflow.internal.run.FrameProbe.Block;
import org.tensorscope.tensorflow.internal.run.FrameProbe.Row;
import org.tensorscope.tensorflow.internal.run.FrameProbe.Watch;

/**
 * Adds to a graph the ops that summarise the health of a list of float tensors, so that a run
 * fetches one small [n, width] float64 matrix for the tensors outside loops and, when there are
 * loops, one [m, {@link LoopStats#WIDTH}] matrix for the tensors inside them.
 * <p>
 * Root-frame row layouts: CURT {@code [id, non-finite?]}; CONCISE {@code [id, count, -inf, +inf, nan]};
 * FULL is CONCISE followed by the finite {@code min, max, mean, variance} and the zero count, which TensorFlow's
 * DebugNumericSummaryV2 does not compute (the first DebugNumericSummary does). A count of {@link #NOT_COMPUTED} marks a tensor of an untaken
 * cond branch. Tensors inside loop frames are watched per iteration by a {@link FrameProbe}; tensors
 * that cannot be watched are listed with the reason.
 */
final class HealthProbe {

    /** TensorDebugMode values of DebugNumericSummaryV2. */
    private static final int CURT_HEALTH = 2;
    private static final int CONCISE_HEALTH = 3;
    private static final int FULL_HEALTH = 4;
    private static final int REDUCE_INF_NAN_THREE_SLOTS = 8;

    /** The count a row holds for a tensor that was not computed (an untaken branch). */
    static final double NOT_COMPUTED = -2;

    private final List<String> tensors;
    private final HealthMode mode;
    private final String rowsFetch;
    private final String loopRowsFetch;
    private final List<Row> loopRows;
    private final List<UncheckedTensor> unchecked;
    /** The innermost cond of each tensor inside one. */
    private final Map<String, String> conds;
    /** What a root row holds besides the mode's summary. */
    private enum Kind {
        /** DebugNumericSummaryV2 in the probe's mode (and, for FULL, the reductions). */
        SUMMARY,
        /** FULL rows from DebugNumericSummary, whose statistics leave out NaN and infinities (see {@link #attachFinite}). */
        FINITE,
        /** Which of -Inf, +Inf and NaN a tensor holds, not how many (see {@link #attachPresence}). */
        PRESENCE
    }

    private final Kind kind;

    private HealthProbe(List<String> tensors, HealthMode mode, Kind kind, String rowsFetch, String loopRowsFetch,
            List<Row> loopRows, List<UncheckedTensor> unchecked, Map<String, String> conds) {
        this.tensors = List.copyOf(tensors);
        this.mode = mode;
        this.kind = kind;
        this.rowsFetch = rowsFetch;
        this.loopRowsFetch = loopRowsFetch;
        this.loopRows = List.copyOf(loopRows);
        this.unchecked = List.copyOf(unchecked);
        this.conds = Map.copyOf(conds);
    }

    /** Adds the probe ops for the given tensors ("op:k") under a fresh name scope. */
    static HealthProbe attach(Graph graph, ControlFlow flow, List<String> tensors, HealthMode mode, String scope) {
        return attach(graph, flow, tensors, mode, Kind.SUMMARY, scope);
    }

    /**
     * A FULL probe whose minimum, maximum, mean and deviation are of the finite values only: one
     * DebugNumericSummary per tensor, which reads it value by value on one thread (about 15x slower than
     * the FULL probe's reductions), for the few tensors that pass found not finite.
     */
    static HealthProbe attachFinite(Graph graph, ControlFlow flow, List<String> tensors, String scope) {
        return attach(graph, flow, tensors, HealthMode.FULL, Kind.FINITE, scope);
    }

    /**
     * A CURT-level probe that also says which of -Inf, +Inf and NaN each tensor holds, without counting them:
     * DebugNumericSummaryV2 REDUCE_INF_NAN_THREE_SLOTS, which ORs bits where CONCISE adds to float64 counters, for
     * the tensors a CURT pass flagged but need not count. Rows read as {@link TensorHealth#NOT_COUNTED} counts.
     */
    static HealthProbe attachPresence(Graph graph, ControlFlow flow, List<String> tensors, String scope) {
        return attach(graph, flow, tensors, HealthMode.CURT, Kind.PRESENCE, scope);
    }

    private static HealthProbe attach(Graph graph, ControlFlow flow, List<String> tensors, HealthMode mode,
            Kind kind, String scope) {
        boolean finite = kind == Kind.FINITE;
        Ops tf = Ops.create(graph).withSubScope(scope);
        List<UncheckedTensor> unchecked = new ArrayList<>();
        Map<String, String> conds = new HashMap<>();
        Map<List<Branch>, List<Integer>> rootGroups = new LinkedHashMap<>();
        Map<Frame, List<Watch>> frameWatches = new LinkedHashMap<>();
        Map<Integer, Output<?>> sources = new HashMap<>();
        for (int i = 0; i < tensors.size(); i++) {
            String tensor = tensors.get(i);
            String source = flow.source(tensor);
            Place place = flow.place(source);
            String problem = problem(flow, place);
            List<Branch> branches = problem == null ? DeadBranchGuard.ordered(place.branches(), flow) : null;
            if (problem == null && branches == null) {
                problem = "it lies inside cond " + place.branches().get(place.branches().size() - 1).condName()
                        + ", whose branches Tensorscope cannot follow";
            }
            if (problem != null) {
                unchecked.add(new UncheckedTensor(tensor, problem));
                continue;
            }
            Place ordered = new Place(place.frame(), place.phase(), branches);
            if (!branches.isEmpty()) {
                conds.put(tensor, branches.get(branches.size() - 1).condName());
            }
            Output<?> output = graph.outputOrThrow(source);
            if (place.isRoot()) {
                rootGroups.computeIfAbsent(branches, k -> new ArrayList<>()).add(i);
                sources.put(i, output);
            } else {
                frameWatches.computeIfAbsent(place.frame(), k -> new ArrayList<>()).add(new Watch(tensor, output, ordered));
            }
        }
        List<Block> rootBlocks = loopBlocks(graph, tf, flow, frameWatches, unchecked);

        List<Operand<TFloat64>> groups = new ArrayList<>();
        Shared shared = new Shared(tf);
        for (Map.Entry<List<Branch>, List<Integer>> group : rootGroups.entrySet()) {
            List<Operand<TFloat64>> rows = new ArrayList<>();
            double[][] marker = new double[group.getValue().size()][];
            double[][] ids = new double[group.getValue().size()][1];
            for (int j = 0; j < group.getValue().size(); j++) {
                int i = group.getValue().get(j);
                rows.add(switch (kind) {
                    case FINITE -> finiteRow(graph, tf, sources.get(i), shared);
                    case PRESENCE -> presenceRow(graph, tf, sources.get(i), i);
                    case SUMMARY -> row(graph, tf, sources.get(i), i, mode, shared);
                });
                marker[j] = notComputed(i, mode, kind);
                ids[j][0] = i;
            }
            Operand<TFloat64> stacked = tf.stack(rows);
            if (kind != Kind.SUMMARY) {
                // DebugNumericSummary and the three-slot mode have no tensor id: one constant column for the group
                stacked = tf.concat(List.of(tf.constant(ids), stacked), tf.constant(1));
            }
            groups.add(DeadBranchGuard.live(graph, tf, stacked.asOutput(), group.getKey(), marker));
        }
        String rowsFetch = null;
        if (!groups.isEmpty()) {
            rowsFetch = tf.withName("rows").identity(concatRows(tf, groups)).op().name();
        }
        String loopRowsFetch = null;
        List<Row> loopRows = new ArrayList<>();
        if (!rootBlocks.isEmpty()) {
            List<Operand<TFloat64>> blocks = new ArrayList<>();
            for (Block block : rootBlocks) {
                blocks.add(DeadBranchGuard.live(graph, tf, block.rows(), block.place().branches(),
                        LoopStats.neutral(block.labels().size())));
                loopRows.addAll(block.labels());
            }
            loopRowsFetch = tf.withName("loop_rows").identity(concatRows(tf, blocks)).op().name();
        }
        return new HealthProbe(tensors, mode, kind, rowsFetch, loopRowsFetch, loopRows, unchecked, conds);
    }

    /** The blocks one under the other; ConcatV2 wants at least two. */
    static Operand<TFloat64> concatRows(Ops tf, List<Operand<TFloat64>> blocks) {
        return blocks.size() == 1 ? blocks.get(0) : tf.concat(blocks, tf.constant(0));
    }

    /** Why a tensor computed there cannot be watched; null when it can. */
    private static String problem(ControlFlow flow, Place place) {
        if (place.phase() == Phase.NEVER) {
            return "it reads both the body and the exit of loop " + place.frame().displayName()
                    + ", so TensorFlow never computes it";
        }
        if (place.phase() == Phase.ENTRY) {
            return "it is computed only as loop " + place.frame().displayName()
                    + " starts, where Tensorscope cannot watch it";
        }
        for (Frame f = place.frame(); !f.isRoot(); f = f.parent()) {
            if (f.loopCond() == null || f.enters().isEmpty()) {
                return "it lies inside loop " + f.displayName() + ", whose condition (LoopCond) Tensorscope cannot find";
            }
            Place entered = f.placeInParent();
            if (entered == null || entered.phase() == Phase.ENTRY || entered.phase() == Phase.NEVER
                    || DeadBranchGuard.ordered(entered.branches(), flow) == null) {
                return "it lies inside loop " + f.displayName() + ", which starts where Tensorscope cannot watch it";
            }
        }
        return null;
    }

    /**
     * Builds the frame probes from the innermost frames out; each frame's block joins its parent's
     * watches. A frame that cannot be instrumented has its tensors listed as unchecked.
     */
    private static List<Block> loopBlocks(Graph graph, Ops tf, ControlFlow flow, Map<Frame, List<Watch>> frameWatches,
            List<UncheckedTensor> unchecked) {
        Map<Frame, List<Block>> children = new LinkedHashMap<>();
        List<Frame> frames = new ArrayList<>(frameWatches.keySet());
        // frames with no watched tensor of their own still carry their nested loops' blocks
        for (Frame f : List.copyOf(frames)) {
            for (Frame p = f.parent(); p != null && !p.isRoot(); p = p.parent()) {
                if (!frames.contains(p)) {
                    frames.add(p);
                }
            }
        }
        frames.sort(Comparator.comparingInt(Frame::depth).reversed());
        List<Block> rootBlocks = new ArrayList<>();
        int index = 0;
        for (Frame frame : frames) {
            List<Watch> watches = frameWatches.getOrDefault(frame, List.of());
            List<Block> nested = children.getOrDefault(frame, List.of());
            Block block;
            try {
                block = FrameProbe.build(graph, tf.withSubScope("loop_" + index++), frame, watches, nested);
            } catch (RuntimeException e) {
                String reason = "it lies inside loop " + frame.displayName() + ", which Tensorscope could not instrument: "
                        + firstLine(e.getMessage());
                watches.forEach(w -> unchecked.add(new UncheckedTensor(w.tensor(), reason)));
                nested.forEach(b -> b.labels().stream().filter(r -> r.tensor() != null)
                        .forEach(r -> unchecked.add(new UncheckedTensor(r.tensor(), reason))));
                continue;
            }
            Place entered = block.place();
            block = new Block(block.rows(), block.labels(),
                    new Place(entered.frame(), entered.phase(), DeadBranchGuard.ordered(entered.branches(), flow)));
            if (frame.parent().isRoot()) {
                rootBlocks.add(block);
            } else {
                children.computeIfAbsent(frame.parent(), k -> new ArrayList<>()).add(block);
            }
        }
        return rootBlocks;
    }

    /** Constants every row of a probe uses. */
    private record Shared(Operand<TInt32> finiteColumns, Operand<TInt64> flat, Operand<TInt32> axis) {
        Shared(Ops tf) {
            this(tf.constant(FINITE_COLUMNS), tf.constant(new long[] { -1 }), tf.constant(0));
        }
    }

    /**
     * One tensor's row: DebugNumericSummaryV2, which carries the id; for FULL its FULL_HEALTH counts
     * (NaN, infinities, zeros) followed by {@code [min, max, mean, variance]} from float32 reductions over
     * all values, which are those of the finite values when the counts show no NaN or infinity. (A float64
     * copy of each tensor reduced some twenty times, and the first DebugNumericSummary, cost 6x and 15x more.)
     */
    @SuppressWarnings("unchecked")
    private static Operand<TFloat64> row(Graph graph, Ops tf, Output<?> tensor, int id, HealthMode mode, Shared shared) {
        int debugMode = switch (mode) {
            case CURT -> CURT_HEALTH;
            case CONCISE -> CONCISE_HEALTH;
            case FULL -> FULL_HEALTH;
        };
        GraphOperation summary = graph.opBuilder("DebugNumericSummaryV2", tf.scope().makeOpName("summary_" + id), tf.scope())
                .addInput(tensor)
                .setAttr("tensor_debug_mode", debugMode)
                .setAttr("tensor_id", id)
                .setAttr("output_dtype", DataType.DT_DOUBLE)
                .build();
        Operand<TFloat64> counts = summary.output(0);
        if (mode != HealthMode.FULL) {
            return counts;
        }
        Operand<TFloat64> moments;
        if (tensor.dataType() == DataType.DT_DOUBLE) {
            moments = moments(tf, tf.reshape((Operand<TFloat64>) tensor, shared.flat()), shared.axis());
        } else {
            Operand<TFloat32> x = tensor.dataType() == DataType.DT_FLOAT ? (Operand<TFloat32>) tensor
                    : tf.dtypes.cast((Operand<? extends TNumber>) tensor, TFloat32.class);
            moments = tf.dtypes.cast(moments(tf, tf.reshape(x, shared.flat()), shared.axis()), TFloat64.class);
        }
        return tf.concat(List.of(counts, moments), shared.axis());
    }

    /** {@code [-inf, +inf, nan]}: each slot that value when the tensor holds it, 0 otherwise. */
    private static Operand<TFloat64> presenceRow(Graph graph, Ops tf, Output<?> tensor, int id) {
        GraphOperation summary = graph.opBuilder("DebugNumericSummaryV2", tf.scope().makeOpName("presence_" + id), tf.scope())
                .addInput(tensor)
                .setAttr("tensor_debug_mode", REDUCE_INF_NAN_THREE_SLOTS)
                .setAttr("output_dtype", DataType.DT_DOUBLE)
                .build();
        return summary.output(0);
    }

    /** {@code [min, max, mean, variance]} of a flat tensor, in its own type. */
    private static <T extends TNumber> Operand<T> moments(Ops tf, Operand<T> x, Operand<TInt32> axis) {
        Operand<T> mean = tf.math.mean(x, axis);
        Operand<T> variance = tf.math.mean(tf.math.squaredDifference(x, mean), axis);
        return tf.stack(List.of(tf.min(x, axis), tf.max(x, axis), mean, variance));
    }

    /**
     * A FULL row of finite statistics: the first DebugNumericSummary's {@code [count, -inf, +inf, nan, min, max,
     * mean, variance, zeros]}, over the finite values in float64; its CPU kernel takes float32 and float64 only,
     * so half-precision tensors are widened to float32 first (exactly).
     */
    @SuppressWarnings("unchecked")
    private static Operand<TFloat64> finiteRow(Graph graph, Ops tf, Output<?> tensor, Shared shared) {
        Output<?> input = tensor;
        DataType dtype = tensor.dataType();
        if (dtype != DataType.DT_FLOAT && dtype != DataType.DT_DOUBLE) {
            input = tf.dtypes.cast((Operand<? extends TNumber>) tensor, TFloat32.class).asOutput();
        }
        // the kernel insists on a well-formed tensor name, which it uses only for debug URLs (none here)
        GraphOperation summary = graph.opBuilder("DebugNumericSummary", tf.scope().makeOpName("finite"), tf.scope())
                .addInput(input)
                .setAttr("tensor_name", tensor.op().name() + ":" + tensor.index())
                .build();
        return tf.gather(summary.<TFloat64>output(0), shared.finiteColumns(), shared.axis());
    }

    /**
     * Where DebugNumericSummary puts, in its output {@code [initialized, count, nan, -inf, negative, zero,
     * positive, +inf, min, max, mean, variance, dtype, rank, shape...]}, the columns of a finite row after its id.
     */
    private static final int[] FINITE_COLUMNS = { 1, 3, 7, 2, 8, 9, 10, 11, 5 };

    /**
     * Where the FULL row {@code [id, device, dtype, rank, count, -inf, +inf, nan, negative, zero, positive, min,
     * max, mean, variance]} (FULL_HEALTH, then the reductions) holds {@code count, -inf, +inf, nan, min, max,
     * mean, variance, zeros}.
     */
    private static final int[] FULL_COLUMNS = { 4, 5, 6, 7, 11, 12, 13, 14, 9 };
    /** A finite row is already in the order of {@link #read}'s layout after its id. */
    private static final int[] FINITE_IN_ROW = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };

    private static double[] notComputed(int id, HealthMode mode, Kind kind) {
        double[] row = new double[switch (kind) {
            case FINITE -> 10;
            case PRESENCE -> 4;
            case SUMMARY -> width(mode);
        }];
        row[0] = id;
        row[1] = NOT_COMPUTED;
        return row;
    }

    private static int width(HealthMode mode) {
        return switch (mode) {
            case CURT -> 2;
            case CONCISE -> 5;
            case FULL -> 15;
        };
    }

    /** The tensors to fetch in the run: the root rows (when any), then the loop rows (when any). */
    List<String> fetches() {
        List<String> fetches = new ArrayList<>();
        if (rowsFetch != null) {
            fetches.add(rowsFetch);
        }
        if (loopRowsFetch != null) {
            fetches.add(loopRowsFetch);
        }
        return fetches;
    }

    List<UncheckedTensor> unchecked() {
        return unchecked;
    }

    HealthMode mode() {
        return mode;
    }

    List<String> tensors() {
        return tensors;
    }

    /** What the fetched matrices say, per tensor of the probe's list. */
    record Readings(double[][] rows, Map<String, LoopHealth> loops, List<UncheckedTensor> notComputed) {
    }

    /**
     * Turns the fetched matrices (in {@link #fetches()} order) into one row per tensor in the full
     * layout {@code [id, count, -inf, +inf, nan, min, max, mean, std, zeros]} (count -1 when not
     * counted, NaN/-1 for what the mode does not compute), null for tensors without a reading:
     * unchecked, or not computed in this run, which the readings list with the reason.
     */
    Readings read(List<double[][]> fetched) {
        double[][] rows = new double[tensors.size()][];
        List<UncheckedTensor> notComputed = new ArrayList<>();
        int next = 0;
        if (rowsFetch != null) {
            for (double[] row : fetched.get(next++)) {
                if (row[1] == NOT_COMPUTED) {
                    notComputed.add(notComputed(tensors.get((int) row[0]), null, -1));
                    continue;
                }
                int id = (int) row[0];
                double[] full = { id, -1, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, -1 };
                if (kind == Kind.PRESENCE) {
                    // slots hold -Inf, +Inf and NaN when present, 0 when not (NaN != 0 holds)
                    for (int c = 1; c <= 3; c++) {
                        full[c + 1] = row[c] != 0 ? TensorHealth.NOT_COUNTED : 0;
                    }
                } else if (mode == HealthMode.CURT) {
                    full[1] = row[1] > 0 ? CURT_FLAGGED : -1;
                } else if (mode == HealthMode.FULL) {
                    int[] columns = kind == Kind.FINITE ? FINITE_IN_ROW : FULL_COLUMNS;
                    for (int c = 0; c < columns.length; c++) {
                        full[c + 1] = row[columns[c]];
                    }
                    full[8] = Math.sqrt(full[8]);
                } else {
                    System.arraycopy(row, 0, full, 0, Math.min(row.length, full.length));
                }
                rows[id] = full;
            }
        }
        Map<String, LoopHealth> loops = new LinkedHashMap<>();
        if (loopRowsFetch != null) {
            double[][] loopMatrix = fetched.get(next);
            Map<Frame, Double> iterations = new HashMap<>();
            for (int r = 0; r < loopRows.size(); r++) {
                if (loopRows.get(r).tensor() == null) {
                    iterations.put(loopRows.get(r).frame(), loopMatrix[r][LoopStats.EVALS]);
                }
            }
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < tensors.size(); i++) {
                index.put(tensors.get(i), i);
            }
            for (int r = 0; r < loopRows.size(); r++) {
                Row label = loopRows.get(r);
                double[] stats = loopMatrix[r];
                if (label.tensor() == null) {
                    continue;
                }
                if (stats[LoopStats.EVALS] == 0) {
                    notComputed.add(notComputed(label.tensor(), label.frame(),
                            iterations.getOrDefault(label.frame(), -1.0).longValue()));
                    continue;
                }
                int id = index.get(label.tensor());
                rows[id] = fullRow(id, stats);
                loops.put(label.tensor(), new LoopHealth(label.frame().displayName(),
                        iterations.getOrDefault(label.frame(), -1.0).longValue(), (long) stats[LoopStats.FIRST]));
            }
        }
        return new Readings(rows, loops, notComputed);
    }

    /**
     * Why a tensor has no reading although it could be watched: the input took the other side of its
     * cond, or its loop ran no iteration. Such a tensor is not checked, and the trace says so.
     */
    private UncheckedTensor notComputed(String tensor, Frame loop, long iterations) {
        String cond = conds.get(tensor);
        if (loop != null && iterations == 0) {
            return new UncheckedTensor(tensor, "not computed for this input: loop " + loop.displayName()
                    + " ran no iteration");
        }
        if (cond == null) {
            return new UncheckedTensor(tensor, "not computed for this input");
        }
        return new UncheckedTensor(tensor, "not computed for this input: it lies in a branch of cond " + cond
                + (loop == null ? " that this input did not take" : " that no iteration of loop " + loop.displayName()
                        + " took"));
    }

    /** Whether a root row (CURT layout) flags its tensor as holding NaN or infinity. */
    static boolean flagged(double[] curtRow) {
        return curtRow != null && curtRow[1] == CURT_FLAGGED;
    }

    /** Whether a row in the layout of {@link #read} holds NaN or infinity: flagged, counted or marked. */
    static boolean nonFinite(double[] row) {
        return row != null && (row[1] == CURT_FLAGGED || row[2] != 0 || row[3] != 0 || row[4] != 0);
    }

    /** A row in the layout of {@link #read} for a tensor known to be finite, not counted. */
    static double[] finiteCurtRow(int id) {
        return new double[] { id, -1, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, -1 };
    }

    /** How {@link #read} marks a CURT row whose tensor is not finite, before its counts are known. */
    private static final double CURT_FLAGGED = -3;

    private static double[] fullRow(int id, double[] s) {
        double count = s[LoopStats.COUNT];
        double nonFinite = s[LoopStats.NEG_INF] + s[LoopStats.POS_INF] + s[LoopStats.NAN];
        double finite = count - nonFinite;
        double mean = finite > 0 ? s[LoopStats.SUM] / finite : Double.NaN;
        double std = finite > 0 ? Math.sqrt(Math.max(0, s[LoopStats.SUM_SQ] / finite - mean * mean)) : Double.NaN;
        return new double[] { id, count, s[LoopStats.NEG_INF], s[LoopStats.POS_INF], s[LoopStats.NAN],
                finite > 0 ? s[LoopStats.MIN] : Double.NaN, finite > 0 ? s[LoopStats.MAX] : Double.NaN, mean, std,
                s[LoopStats.ZEROS] };
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
