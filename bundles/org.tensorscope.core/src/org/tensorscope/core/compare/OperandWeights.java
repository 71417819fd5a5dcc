package org.tensorscope.core.compare;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.TensorSpec;

/**
 * The weights as the run's ops read them: each input of a compared op that is computed from stored values alone (a
 * weight, or a weight widened, transposed or reshaped into place), paired through the ops already paired, input by
 * input. A model and its conversion may store a filter in two layouts, but the op reads it in one: this pairs and
 * compares like with like, where pairing the stored weights by shape cannot.
 *
 * @param pairs      A's tensor and B's, in A's execution order
 * @param unmatchedA A's read weights without a counterpart
 * @param unmatchedB B's read weights without a counterpart
 */
record OperandWeights(List<String[]> pairs, List<String> unmatchedA, List<String> unmatchedB) {

    static OperandWeights pair(List<TensorMatcher.Match> activations, ComparedRun a, StoredValues storedA,
            List<TensorMatcher.Candidate> candidatesA, ComparedRun b, StoredValues storedB,
            List<TensorMatcher.Candidate> candidatesB) {
        List<String[]> pairs = new ArrayList<>();
        Set<String> usedA = new HashSet<>();
        Set<String> usedB = new HashSet<>();
        for (TensorMatcher.Match m : activations) {
            List<String> readA = read(a.graph(), storedA, m.a().tensor());
            List<String> readB = read(b.graph(), storedB, m.b().tensor());
            if (readA.size() != readB.size()) {
                continue;
            }
            for (int i = 0; i < readA.size(); i++) {
                if (!usedA.contains(readA.get(i)) && !usedB.contains(readB.get(i))) {
                    pairs.add(new String[] { readA.get(i), readB.get(i) });
                    usedA.add(readA.get(i));
                    usedB.add(readB.get(i));
                }
            }
        }
        return new OperandWeights(pairs, all(a.graph(), storedA, candidatesA).stream().filter(t -> !usedA.contains(t))
                .toList(), all(b.graph(), storedB, candidatesB).stream().filter(t -> !usedB.contains(t)).toList());
    }

    /** Whether neither side's ops read a floating-point weight. */
    boolean isEmpty() {
        return pairs.isEmpty() && unmatchedA.isEmpty() && unmatchedB.isEmpty();
    }

    /** The floating-point weights the op of a tensor reads, in input order. */
    private static List<String> read(ModelGraph graph, StoredValues stored, String tensor) {
        OpNode op = graph.op(TensorSpec.opNameOf(tensor)).orElse(null);
        if (op == null) {
            return List.of();
        }
        List<String> read = new ArrayList<>();
        for (String input : op.inputs()) {
            String t = TensorSpec.tensorName(input);
            if (stored.contains(TensorSpec.opNameOf(t)) && RunComparer.spec(graph, t).dtype().isFloating()) {
                read.add(t);
            }
        }
        return read;
    }

    /** Every floating-point weight the candidates' ops read, in execution order. */
    private static List<String> all(ModelGraph graph, StoredValues stored, List<TensorMatcher.Candidate> candidates) {
        Set<String> read = new LinkedHashSet<>();
        candidates.forEach(c -> read.addAll(read(graph, stored, c.tensor())));
        return List.copyOf(read);
    }
}
