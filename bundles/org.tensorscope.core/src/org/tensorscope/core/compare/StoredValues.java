package org.tensorscope.core.compare;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.OpRole;
import org.tensorscope.core.model.TensorSpec;

/**
 * The ops whose values come from stored values alone: weights and constants, and what is computed from nothing
 * else (a float16 weight widened by a cast or dequantized, a filter transposed or reshaped into another layout).
 * For a comparison these are weights, not activations: they are the same for every input. Decided by the roles
 * the loaders give, so no format's op names are needed.
 */
final class StoredValues {

    private final ModelGraph graph;
    private final Set<String> ops = new HashSet<>();

    StoredValues(ModelGraph graph) {
        this.graph = graph;
        for (OpNode op : graph.ops()) { // topological: an op's inputs are decided before it
            if (op.role().isStored() || op.role() == OpRole.COMPUTATION
                    && op.inputs().stream().allMatch(i -> ops.contains(TensorSpec.opNameOf(TensorSpec.tensorName(i))))) {
                ops.add(op.name());
            }
        }
    }

    /** Whether the op's value comes from stored values alone. */
    boolean contains(String opName) {
        return ops.contains(opName);
    }

    /** The weights and constants a tensor computed from stored values alone is made of, in graph order. */
    List<String> storedOpsBehind(String tensor) {
        Set<String> found = new LinkedHashSet<>();
        Set<String> seen = new HashSet<>();
        Deque<String> pending = new ArrayDeque<>();
        pending.push(TensorSpec.opNameOf(TensorSpec.tensorName(tensor)));
        while (!pending.isEmpty()) {
            String name = pending.pop();
            if (!ops.contains(name) || !seen.add(name)) {
                continue;
            }
            OpNode op = graph.op(name).orElseThrow();
            if (op.role().isStored()) {
                found.add(name);
            } else {
                op.inputs().forEach(i -> pending.push(TensorSpec.opNameOf(TensorSpec.tensorName(i))));
            }
        }
        return List.copyOf(found);
    }
}
