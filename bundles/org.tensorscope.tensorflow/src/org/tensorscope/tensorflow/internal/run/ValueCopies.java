package org.tensorscope.tensorflow.internal.run;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.TensorSpec;

/**
 * The tensors whose op outputs exactly the values of its first input, at most in another order or shape: a
 * health row (counts of NaN, infinities and zeros, minimum, maximum, mean, deviation) does not depend on the order
 * or the shape, so such a tensor's row is its input's, and no probe needs to read it. Ops whose output is a part of
 * their input (Slice, Gather, StridedSlice) are not here: a NaN in the input need not be in the output.
 */
final class ValueCopies {

    /** Ops whose output 0 holds the values of input 0, nothing more and nothing less, in the same type. */
    static final Set<String> OPS = Set.of("Identity", "Snapshot", "StopGradient", "PreventGradient", "EnsureShape",
            "Reshape", "Squeeze", "ExpandDims", "Transpose", "DepthToSpace", "SpaceToDepth");

    private ValueCopies() {
    }

    /**
     * The copies among the tensors, each with the tensor it copies (itself watched or a copy, earlier in the list).
     * Only tensors in the root frame outside cond branches qualify, read from an input there too (so both are
     * computed, or neither); fed tensors are not copies of anything.
     *
     * @param tensors float tensors in topological order
     */
    static Map<String, String> of(ModelGraph model, ControlFlow flow, List<String> tensors, Collection<String> fed) {
        Map<String, String> copies = new LinkedHashMap<>();
        Set<String> listed = Set.copyOf(tensors);
        for (String tensor : tensors) {
            if (!tensor.endsWith(":0") || fed.contains(tensor) || !plain(flow, tensor)) {
                continue;
            }
            OpNode op = model.op(TensorSpec.opNameOf(tensor)).orElse(null);
            if (op == null || !OPS.contains(op.type()) || op.inputs().isEmpty() || op.inputs().get(0).startsWith("^")) {
                continue;
            }
            String input = TensorSpec.tensorName(op.inputs().get(0));
            if (listed.contains(input) && plain(flow, input)
                    && op.outputs().get(0).dtype() == dtype(model, input)) {
                copies.put(tensor, input);
            }
        }
        return copies;
    }

    private static org.tensorscope.core.model.DType dtype(ModelGraph model, String tensor) {
        return model.op(TensorSpec.opNameOf(tensor)).flatMap(op -> op.outputs().stream()
                .filter(t -> t.name().equals(tensor)).findFirst()).map(TensorSpec::dtype).orElse(null);
    }

    private static boolean plain(ControlFlow flow, String tensor) {
        ControlFlow.Place place = flow.place(flow.source(tensor));
        return place.isRoot() && place.branches().isEmpty() && place.phase() == ControlFlow.Phase.ROOT;
    }
}
