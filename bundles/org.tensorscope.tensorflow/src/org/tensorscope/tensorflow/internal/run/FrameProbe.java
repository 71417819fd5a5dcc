package org.tensorscope.tensorflow.internal.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Enter;
import org.tensorflow.op.core.Merge;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat64;
import org.tensorscope.tensorflow.internal.run.ControlFlow.Branch;
import org.tensorscope.tensorflow.internal.run.ControlFlow.Frame;
import org.tensorscope.tensorflow.internal.run.ControlFlow.Phase;
import org.tensorscope.tensorflow.internal.run.ControlFlow.Place;

/**
 * Watches the tensors of one TF1 loop frame per iteration. It adds loop variables to the loop
 * the way {@code tf.while_loop} makes its own (Enter -> Merge <- NextIteration, Switch on the loop's
 * LoopCond, Exit): an iteration counter and accumulators of {@link LoopStats} rows, one for the
 * tensors computed in every iteration (the loop's header) and one for the body's. The Exit carries
 * one block of rows into the parent frame: header, body, the tensors computed on the way out, then
 * a row holding the iteration count.
 */
final class FrameProbe {

    /** A row of a block: a tensor's statistics, or (tensor null) the iteration count of a frame. */
    record Row(String tensor, Frame frame) {
    }

    /** Rows computed in some place, ready to be combined where that place runs. */
    record Block(Output<TFloat64> rows, List<Row> labels, Place place) {
    }

    /** A tensor to watch: its name in the model, the tensor actually probed, where that is computed. */
    record Watch(String tensor, Output<?> source, Place place) {
    }

    private final Graph graph;
    private final Ops tf;
    private final Frame frame;

    private FrameProbe(Graph graph, Ops tf, Frame frame) {
        this.graph = graph;
        this.tf = tf;
        this.frame = frame;
    }

    /**
     * Builds the probes of one frame. The children are the blocks of loops nested in it, already
     * carried out of their own frames into this one.
     */
    static Block build(Graph graph, Ops tf, Frame frame, List<Watch> watches, List<Block> children) {
        return new FrameProbe(graph, tf, frame).build(watches, children);
    }

    @SuppressWarnings("unchecked")
    private Block build(List<Watch> watches, List<Block> children) {
        Output<TBool> loopCond = (Output<TBool>) graph.outputOrThrow(frame.loopCond() + ":0");
        GraphOperation enter = graph.operationOrThrow(frame.enters().get(0));
        Output<?> entered = enter.input(0);
        Ops outside = tf.withControlDependencies(List.of((Op) entered::op));

        Map<Phase, List<Watch>> watched = new LinkedHashMap<>();
        Map<Phase, List<Block>> nested = new LinkedHashMap<>();
        watches.forEach(w -> watched.computeIfAbsent(group(w.place().phase()), k -> new ArrayList<>()).add(w));
        children.forEach(b -> nested.computeIfAbsent(group(b.place().phase()), k -> new ArrayList<>()).add(b));

        List<Row> headerRows = labels(watched.get(Phase.HEADER), nested.get(Phase.HEADER));
        List<Row> bodyRows = labels(watched.get(Phase.BODY), nested.get(Phase.BODY));
        List<Row> exitRows = labels(watched.get(Phase.EXIT_SIDE), nested.get(Phase.EXIT_SIDE));

        LoopVariable counter = new LoopVariable(outside.constant(0.0));
        Output<TFloat64> iteration = counter.merge;
        LoopVariable header = headerRows.isEmpty() ? null
                : new LoopVariable(outside.constant(LoopStats.neutral(headerRows.size())));
        Ops inHeader = tf.withControlDependencies(List.of((Op) iteration::op));
        if (header != null) {
            Operand<TFloat64> block = rows(inHeader, iteration, watched.get(Phase.HEADER), nested.get(Phase.HEADER));
            block = LoopStats.countingOn(inHeader, header.merge, block, iterationRows(headerRows));
            header.beforeSwitch = LoopStats.combine(inHeader, header.merge, block);
        }
        LoopVariable body = bodyRows.isEmpty() ? null
                : new LoopVariable(outside.constant(LoopStats.neutral(bodyRows.size())));
        counter.switchOn(loopCond);
        if (header != null) {
            header.switchOn(loopCond);
        }
        if (body != null) {
            body.switchOn(loopCond);
        }
        var pivot = tf.identity(counter.whileTrue);
        Ops inBody = tf.withControlDependencies(List.of(pivot));
        counter.next(inBody.math.add(pivot, inBody.constant(1.0)));
        if (header != null) {
            header.next(header.whileTrue);
        }
        if (body != null) {
            Operand<TFloat64> block = rows(inBody, pivot, watched.get(Phase.BODY), nested.get(Phase.BODY));
            block = LoopStats.countingOn(inBody, body.whileTrue, block, iterationRows(bodyRows));
            body.next(LoopStats.combine(inBody, body.whileTrue, block));
        }

        var done = tf.identity(counter.whenDone);
        Ops onExit = tf.withControlDependencies(List.of(done));
        List<Operand<TFloat64>> out = new ArrayList<>();
        if (header != null) {
            out.add(header.whenDone);
        }
        if (body != null) {
            out.add(body.whenDone);
        }
        if (!exitRows.isEmpty()) {
            out.add(rows(onExit, done, watched.get(Phase.EXIT_SIDE), nested.get(Phase.EXIT_SIDE)));
        }
        double[] rest = LoopStats.neutralRow();
        double[][] restOfRow = { java.util.Arrays.copyOfRange(rest, 1, LoopStats.WIDTH) };
        out.add(onExit.concat(List.of(onExit.reshape(done, onExit.constant(new int[] { 1, 1 })), onExit.constant(restOfRow)),
                onExit.constant(1)));
        Output<TFloat64> leaving = tf.exit(HealthProbe.concatRows(onExit, out)).output();

        List<Row> labels = new ArrayList<>(headerRows);
        labels.addAll(bodyRows);
        labels.addAll(exitRows);
        labels.add(new Row(null, frame));
        return new Block(leaving, labels, frame.placeInParent());
    }

    /**
     * Per row, the row counting the iterations of the row's own frame when that is a nested loop,
     * else -1: a nested loop's first non-finite iteration counts on from its earlier runs.
     */
    private int[] iterationRows(List<Row> rows) {
        int[] index = new int[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            Frame own = rows.get(r).frame();
            index[r] = -1;
            for (int i = 0; own != frame && i < rows.size(); i++) {
                if (rows.get(i).tensor() == null && rows.get(i).frame() == own) {
                    index[r] = i;
                }
            }
        }
        return index;
    }

    /** Phases that watch alike: loop invariants are read in every iteration, as the header. */
    private static Phase group(Phase phase) {
        return phase == Phase.INVARIANT ? Phase.HEADER : phase;
    }

    /** The rows {@link #rows} computes, in its order. */
    private static List<Row> labels(List<Watch> watches, List<Block> children) {
        List<Row> rows = new ArrayList<>();
        byBranches(watches).values().forEach(group -> group.forEach(w -> rows.add(new Row(w.tensor(), w.place().frame()))));
        if (children != null) {
            children.forEach(child -> rows.addAll(child.labels()));
        }
        return rows;
    }

    private static Map<List<Branch>, List<Watch>> byBranches(List<Watch> watches) {
        Map<List<Branch>, List<Watch>> groups = new LinkedHashMap<>();
        if (watches != null) {
            watches.forEach(w -> groups.computeIfAbsent(w.place().branches(), k -> new ArrayList<>()).add(w));
        }
        return groups;
    }

    /**
     * The statistics rows of one phase, in the order {@link #labels} gives: tensors and nested blocks
     * grouped by the cond branches they depend on, each group kept alive when its branch is not taken.
     */
    private Operand<TFloat64> rows(Ops ops, Operand<TFloat64> iteration, List<Watch> watches, List<Block> children) {
        List<Operand<TFloat64>> parts = new ArrayList<>();
        for (Map.Entry<List<Branch>, List<Watch>> group : byBranches(watches).entrySet()) {
            List<Operand<TFloat64>> stats = new ArrayList<>();
            group.getValue().forEach(w -> stats.add(LoopStats.of(ops, w.source(), iteration)));
            Output<TFloat64> block = ops.stack(stats).output();
            parts.add(DeadBranchGuard.live(graph, ops, block, group.getKey(), LoopStats.neutral(stats.size())));
        }
        if (children != null) {
            for (Block child : children) {
                parts.add(DeadBranchGuard.live(graph, ops, child.rows(), child.place().branches(),
                        LoopStats.neutral(child.labels().size())));
            }
        }
        return HealthProbe.concatRows(ops, parts);
    }

    /** A loop-carried value of this frame, as TF1's while_loop builds its own. */
    private final class LoopVariable {

        private final Output<TFloat64> merge;
        private final GraphOperation mergeOp;
        private Operand<TFloat64> beforeSwitch;
        private Output<TFloat64> whileTrue;
        private Output<TFloat64> whenDone;

        LoopVariable(Operand<TFloat64> initial) {
            Output<TFloat64> entered = tf.enter(initial, frame.name(),
                    Enter.parallelIterations(frame.parallelIterations())).output();
            Merge<TFloat64> m = tf.merge(List.of(entered, entered));
            this.merge = m.output();
            this.mergeOp = (GraphOperation) m.op();
            this.beforeSwitch = merge;
        }

        void switchOn(Output<TBool> loopCond) {
            var sw = tf.switchCond(beforeSwitch, loopCond);
            whileTrue = sw.outputTrue();
            whenDone = sw.outputFalse();
        }

        void next(Operand<TFloat64> value) {
            Output<TFloat64> next = tf.nextIteration(value).output();
            LoopBackEdge.connect(graph, next, mergeOp, 1);
        }
    }
}
