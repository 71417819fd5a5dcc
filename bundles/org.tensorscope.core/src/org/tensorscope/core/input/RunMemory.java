package org.tensorscope.core.input;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.OpRole;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.service.ModelFiles;

/**
 * What the intermediate tensors of one run would take, from their static shapes, checked before
 * the run starts: no tensor over the {@link TensorBudget}, and at no point more live tensors than
 * the {@link RunBudget}. Ops are taken one after another in topological order, a tensor living
 * from its op until its last consumer has run (a fetched tensor until the end); fed tensors and
 * constants are already in memory and not counted, nor are tensors whose shape is unknown, so the
 * estimate errs low: it refuses only what clearly cannot fit.
 */
public final class RunMemory {

    private RunMemory() {
    }

    /** Inputs, weights and constants are in memory before the run. */
    private static boolean isResident(OpNode op) {
        return op.role() == OpRole.INPUT || op.role().isStored();
    }

    /**
     * @param outputs the tensors the run fetches
     * @param fed     the tensors the run feeds
     * @param shapes  the static shape of a tensor, its fed shapes pinned
     * @throws IllegalArgumentException naming the op, its shape, the bytes and the option to raise
     *                                  the limit, when the run would not fit
     */
    public static void check(ModelGraph graph, Collection<String> outputs, Collection<String> fed,
            Function<TensorSpec, Shape> shapes) {
        peak(graph, outputs, fed, shapes, RunBudget.bytes());
    }

    /**
     * Whether two runs of the same feeds made at once, one fetching {@code first} and the other {@code second},
     * fit the {@link RunBudget} together by the same estimate: the sum of their peaks.
     */
    public static boolean fitTogether(ModelGraph graph, Collection<String> first, Collection<String> second,
            Collection<String> fed, Function<TensorSpec, Shape> shapes) {
        try {
            long together = saturatedAdd(peak(graph, first, fed, shapes, Long.MAX_VALUE),
                    peak(graph, second, fed, shapes, Long.MAX_VALUE));
            return together <= RunBudget.bytes();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The most bytes live at once, refused over {@code runBudget} or over the one-tensor budget. */
    private static long peak(ModelGraph graph, Collection<String> outputs, Collection<String> fed,
            Function<TensorSpec, Shape> shapes, long runBudget) {
        Set<String> fedTensors = new HashSet<>();
        fed.forEach(t -> fedTensors.add(TensorSpec.tensorName(t)));
        Set<String> fetched = new HashSet<>();
        outputs.forEach(t -> fetched.add(TensorSpec.tensorName(t)));
        List<OpNode> ops = graph.opsNeededFor(outputs, fed);
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < ops.size(); i++) {
            position.put(ops.get(i).name(), i);
        }
        // consumers that run after the producer (a loop's back edge is consumed before it is produced)
        Map<String, Integer> consumers = new HashMap<>();
        for (int i = 0; i < ops.size(); i++) {
            for (String input : ops.get(i).inputs()) {
                Integer producer = position.get(TensorSpec.opNameOf(input));
                if (producer != null && producer < i) {
                    consumers.merge(TensorSpec.tensorName(input), 1, Integer::sum);
                }
            }
        }
        long tensorBudget = TensorBudget.computedBytes();
        Map<String, Long> live = new HashMap<>();
        long liveBytes = 0;
        long peak = 0;
        for (OpNode op : ops) {
            if (!isResident(op)) {
                for (TensorSpec out : op.outputs()) {
                    if (fedTensors.contains(out.name())) {
                        continue;
                    }
                    Shape shape = shapes.apply(out);
                    long bytes = bytes(op, out, shape, tensorBudget);
                    if (bytes > 0) {
                        live.put(out.name(), bytes);
                        liveBytes = saturatedAdd(liveBytes, bytes);
                        peak = Math.max(peak, liveBytes);
                    }
                    if (liveBytes > runBudget) {
                        throw new IllegalArgumentException("the run's intermediate tensors would take at least "
                                + ModelFiles.sizeText(liveBytes) + " at once (at op " + op.name() + " (" + op.type()
                                + "), whose output " + out.name() + " of shape " + shape + " takes " + ModelFiles.sizeText(bytes)
                                + "), more than the " + ModelFiles.sizeText(runBudget) + " allowed for one run (raise "
                                + RunBudget.ENVIRONMENT + " to allow more)");
                    }
                }
            }
            for (TensorSpec out : op.outputs()) {
                if (!consumers.containsKey(out.name()) && !fetched.contains(out.name())) {
                    liveBytes -= release(live, out.name());
                }
            }
            for (String input : op.inputs()) {
                String tensor = TensorSpec.tensorName(input);
                Integer producer = position.get(TensorSpec.opNameOf(input));
                if (producer == null || producer >= position.get(op.name())) {
                    continue;
                }
                if (consumers.merge(tensor, -1, Integer::sum) == 0 && !fetched.contains(tensor)) {
                    liveBytes -= release(live, tensor);
                }
            }
        }
        return peak;
    }

    private static long release(Map<String, Long> live, String tensor) {
        Long bytes = live.remove(tensor);
        return bytes == null ? 0 : bytes;
    }

    /** The tensor's bytes, 0 when its shape or size is unknown; refused over the one-tensor budget. */
    private static long bytes(OpNode op, TensorSpec out, Shape shape, long budget) {
        DType dtype = out.dtype();
        if (shape == null || !shape.isFullyDefined() || dtype.byteSize() <= 0) {
            return 0;
        }
        long bytes;
        try {
            long elements = 1;
            for (long d : shape.dims()) {
                elements = Math.multiplyExact(elements, d);
            }
            bytes = Math.multiplyExact(elements, (long) dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("op " + op.name() + " (" + op.type() + ") would produce a tensor of shape "
                    + shape + " of " + dtype.displayName() + ", more elements than can be counted (overflow)");
        }
        if (bytes > budget) {
            throw new IllegalArgumentException("op " + op.name() + " (" + op.type() + ") would produce a tensor of shape "
                    + shape + " of " + dtype.displayName() + ", " + ModelFiles.sizeText(bytes) + ", more than the "
                    + ModelFiles.sizeText(budget) + " allowed for one tensor (raise " + TensorBudget.ENVIRONMENT
                    + " to allow more)");
        }
        return bytes;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
