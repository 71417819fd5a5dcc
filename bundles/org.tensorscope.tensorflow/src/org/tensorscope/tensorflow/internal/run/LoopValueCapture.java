package org.tensorscope.tensorflow.internal.run;

import java.util.ArrayList;
import java.util.Comparator;
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
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TNumber;
import org.tensorflow.types.family.TType;
import org.tensorscope.tensorflow.internal.run.ControlFlow.Frame;
import org.tensorscope.tensorflow.internal.run.ControlFlow.Phase;
import org.tensorscope.tensorflow.internal.run.ControlFlow.Place;

/**
 * Makes tensors computed inside loop frames fetchable: a session can fetch a tensor only once per
 * run, and a loop computes it once per iteration. Each tensor is carried out of its loop by an added
 * loop variable holding its value at the first iteration where any of the tensors fetched together
 * from that loop held a NaN or infinity, or else at the last iteration. Fetching an origin op with its
 * inputs thus gives the values of the iteration where the origin turned non-finite.
 */
final class LoopValueCapture {

    /** A tensor being carried out: its name in the model and its value in the current frame. */
    private record Carried(String tensor, Output<?> value, Place place) {
    }

    private final Graph graph;
    private final Ops tf;

    private LoopValueCapture(Graph graph, Ops tf) {
        this.graph = graph;
        this.tf = tf;
    }

    /**
     * Adds the ops carrying the given tensors (all computed inside loops) out to the root frame.
     *
     * @return per tensor, the root-frame tensor to fetch instead
     * @throws IllegalArgumentException when a tensor cannot be carried out, with the reason in words
     */
    static Map<String, String> attach(Graph graph, Ops tf, ControlFlow flow, Map<String, String> sources) {
        return new LoopValueCapture(graph, tf).carryOut(flow, sources);
    }

    private Map<String, String> carryOut(ControlFlow flow, Map<String, String> sources) {
        Map<Frame, List<Carried>> byFrame = new LinkedHashMap<>();
        sources.forEach((tensor, source) -> {
            Place place = flow.place(source);
            if (!place.branches().isEmpty()) {
                throw new IllegalArgumentException(tensor + " is computed inside cond " + place.branches().get(0).condName()
                        + " in loop " + place.frame().displayName() + ": Tensorscope cannot fetch its value");
            }
            if (!List.of(Phase.HEADER, Phase.INVARIANT, Phase.BODY, Phase.EXIT_SIDE).contains(place.phase())) {
                throw new IllegalArgumentException(tensor + " is computed where Tensorscope cannot fetch it in loop "
                        + place.frame().displayName());
            }
            byFrame.computeIfAbsent(place.frame(), k -> new ArrayList<>())
                    .add(new Carried(tensor, graph.outputOrThrow(source), place));
        });
        Map<String, String> fetchable = new LinkedHashMap<>();
        int index = 0;
        while (!byFrame.isEmpty()) {
            Frame frame = byFrame.keySet().stream().max(Comparator.comparingInt(Frame::depth)).orElseThrow();
            List<Carried> carried = byFrame.remove(frame);
            if (frame.loopCond() == null || frame.enters().isEmpty()) {
                throw new IllegalArgumentException(carried.get(0).tensor() + " lies inside loop " + frame.displayName()
                        + ", whose condition (LoopCond) Tensorscope cannot find");
            }
            List<Carried> out = new FrameCapture(frame, tf.withSubScope("capture_" + index++)).capture(carried);
            for (Carried c : out) {
                if (c.place().isRoot()) {
                    fetchable.put(c.tensor(), c.value().op().name() + ":" + c.value().index());
                } else {
                    byFrame.computeIfAbsent(c.place().frame(), k -> new ArrayList<>()).add(c);
                }
            }
        }
        return fetchable;
    }

    /** The loop variables of one frame. */
    private final class FrameCapture {

        private final Frame frame;
        private final Ops ops;

        FrameCapture(Frame frame, Ops ops) {
            this.frame = frame;
            this.ops = ops;
        }

        @SuppressWarnings("unchecked")
        List<Carried> capture(List<Carried> carried) {
            Output<TBool> loopCond = (Output<TBool>) graph.outputOrThrow(frame.loopCond() + ":0");
            Output<?> entered = graph.operationOrThrow(frame.enters().get(0)).input(0);
            Ops outside = ops.withControlDependencies(List.of((Op) entered::op));
            Place leaving = frame.placeInParent();
            List<Carried> header = carried.stream().filter(c -> c.place().phase().everyIteration()).toList();
            List<Carried> body = carried.stream().filter(c -> c.place().phase() == Phase.BODY).toList();
            List<Carried> exitSide = carried.stream().filter(c -> c.place().phase() == Phase.EXIT_SIDE).toList();
            List<Carried> result = new ArrayList<>();

            Variable frozen = new Variable(outside.constant(0.0));
            Output<TFloat64> flag = float64(frozen.merge);
            Ops inHeader = ops.withControlDependencies(List.of((Op) flag::op));
            Operand<TBool> takeInHeader = inHeader.math.equal(flag, inHeader.constant(0.0));
            List<Variable> headerValues = new ArrayList<>();
            for (Carried c : header) {
                Variable v = new Variable(emptyLike(outside, c.value()));
                v.beforeSwitch = chosen(c.value(), v.merge, takeInHeader);
                headerValues.add(v);
            }
            Operand<TFloat64> frozenAfterHeader = inHeader.math.maximum(flag, anyBad(inHeader, header));
            var frozenSwitch = ops.switchCond(flag, loopCond);
            var afterHeaderSwitch = ops.switchCond(frozenAfterHeader, loopCond);
            var pivot = ops.identity(frozenSwitch.outputTrue());
            Ops inBody = ops.withControlDependencies(List.of(pivot));
            Operand<TBool> takeInBody = inBody.math.equal(pivot, inBody.constant(0.0));
            for (int i = 0; i < header.size(); i++) {
                Variable v = headerValues.get(i);
                v.switchOn(loopCond);
                v.next(v.whileTrue);
                result.add(new Carried(header.get(i).tensor(), ops.exit(v.whenDone).output(), leaving));
            }
            for (Carried c : body) {
                Variable v = new Variable(emptyLike(outside, c.value()));
                v.switchOn(loopCond);
                v.next(chosen(c.value(), v.whileTrue, takeInBody));
                result.add(new Carried(c.tensor(), ops.exit(v.whenDone).output(), leaving));
            }
            frozen.next(inBody.math.maximum(afterHeaderSwitch.outputTrue(), anyBad(inBody, body)));
            for (Carried c : exitSide) {
                result.add(new Carried(c.tensor(), ops.exit(typeless(c.value())).output(), leaving));
            }
            return result;
        }

        /** The new value while nothing was found yet, else the kept one: a cond, as values change shape. */
        private Output<TType> chosen(Output<?> value, Output<TType> kept, Operand<TBool> take) {
            var fresh = ops.switchCond(typeless(value), take);
            var old = ops.switchCond(kept, take);
            return ops.merge(List.<Operand<TType>>of(fresh.outputTrue(), old.outputFalse())).output();
        }

        /** 1 when any of the float tensors holds a NaN or infinity, else 0. */
        @SuppressWarnings("unchecked")
        private Operand<TFloat64> anyBad(Ops in, List<Carried> carried) {
            Operand<TFloat64> bad = in.constant(0.0);
            for (Carried c : carried) {
                if (!isFloat(c.value().dataType())) {
                    continue;
                }
                Operand<TFloat64> x = in.reshape(in.dtypes.cast((Operand<? extends TNumber>) c.value(), TFloat64.class),
                        in.constant(new int[] { -1 }));
                Operand<TBool> notFinite = in.math.logicalNot(in.math.isFinite(x));
                bad = in.math.maximum(bad, in.dtypes.cast(in.any(notFinite, in.constant(new int[] { 0 })), TFloat64.class));
            }
            return bad;
        }

        /** A tensor of no elements and the value's type, to start a loop variable with. */
        private Output<?> emptyLike(Ops outside, Output<?> value) {
            DataType type = value.dataType();
            if (!isFloat(type) && !List.of(DataType.DT_INT32, DataType.DT_INT64, DataType.DT_INT8, DataType.DT_INT16,
                    DataType.DT_UINT8, DataType.DT_UINT16, DataType.DT_BOOL).contains(type)) {
                throw new IllegalArgumentException("tensors of type " + type + " cannot be fetched from loop "
                        + frame.displayName());
            }
            Operand<TFloat64> empty = outside.zeros(outside.constant(new int[] { 0 }), TFloat64.class);
            return graph.opBuilder("Cast", outside.scope().makeOpName("Empty"), outside.scope()).addInput(empty.asOutput())
                    .setAttr("DstT", type).build().output(0);
        }

        /** A loop-carried value of this frame, as TF1's while_loop builds its own. */
        private final class Variable {

            private final Output<TType> merge;
            private final GraphOperation mergeOp;
            private Output<TType> beforeSwitch;
            private Output<TType> whileTrue;
            private Output<TType> whenDone;

            Variable(Operand<?> initial) {
                Output<TType> in = ops.enter(typeless(initial.asOutput()), frame.name(),
                        Enter.parallelIterations(frame.parallelIterations())).output();
                Merge<TType> m = ops.merge(List.<Operand<TType>>of(in, in));
                merge = m.output();
                mergeOp = (GraphOperation) m.op();
                beforeSwitch = merge;
            }

            void switchOn(Output<TBool> loopCond) {
                var sw = ops.switchCond(beforeSwitch, loopCond);
                whileTrue = sw.outputTrue();
                whenDone = sw.outputFalse();
            }

            void next(Operand<?> value) {
                LoopBackEdge.connect(graph, ops.nextIteration(typeless(value.asOutput())).output(), mergeOp, 1);
            }
        }
    }

    /** The Ops API types its operands; these ops work on any type. */
    @SuppressWarnings("unchecked")
    private static Output<TType> typeless(Output<?> output) {
        return (Output<TType>) output;
    }

    @SuppressWarnings("unchecked")
    private static Output<TFloat64> float64(Output<TType> output) {
        return (Output<TFloat64>) (Output<?>) output;
    }

    private static boolean isFloat(DataType type) {
        return type == DataType.DT_FLOAT || type == DataType.DT_DOUBLE || type == DataType.DT_HALF
                || type == DataType.DT_BFLOAT16;
    }
}
