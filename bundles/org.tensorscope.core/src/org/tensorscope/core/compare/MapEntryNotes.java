package org.tensorscope.core.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.TensorSpec;

/**
 * What a comparison says about the user's name map entries that pair nothing: a name its graph does not have, or a
 * tensor that is not compared because no op of the run reads it. Without this, such an entry was ignored without a word
 * and the user was left wondering why the tensors were not paired.
 */
final class MapEntryNotes {

    private MapEntryNotes() {
    }

    static List<String> of(NameMap map, ModelGraph graphA, List<TensorMatcher.Candidate> candidatesA,
            List<String> unreadA, ModelGraph graphB, List<TensorMatcher.Candidate> candidatesB, List<String> unreadB) {
        List<String> notes = new ArrayList<>();
        for (Map.Entry<String, String> entry : map.entries().entrySet()) {
            String problem = problem("A", entry.getKey(), graphA, candidatesA, unreadA);
            if (problem == null) {
                problem = problem("B", entry.getValue(), graphB, candidatesB, unreadB);
            }
            if (problem != null) {
                notes.add("--map " + entry.getKey() + "=" + entry.getValue() + " pairs nothing: " + problem);
            }
        }
        return notes;
    }

    /** Why a name of the map names no compared tensor of its side, or null when it names one or no reason is known. */
    private static String problem(String side, String name, ModelGraph graph, List<TensorMatcher.Candidate> candidates,
            List<String> unread) {
        boolean tensor = name.contains(":");
        String op = TensorSpec.opNameOf(TensorSpec.tensorName(name));
        if (candidates.stream().anyMatch(c -> names(c.tensor(), name, tensor, op))) {
            return null;
        }
        Optional<OpNode> named = graph.op(op);
        if (named.isEmpty()) {
            return side + " has no op named " + op;
        }
        List<TensorSpec> outputs = named.get().outputs();
        if (tensor && outputs.stream().noneMatch(t -> t.name().equals(TensorSpec.tensorName(name)))) {
            return op + " of " + side + " has " + outputs.size() + (outputs.size() == 1 ? " output" : " outputs")
                    + ", not " + TensorSpec.tensorName(name);
        }
        if (unread.stream().anyMatch(t -> names(t, name, tensor, op))) {
            return name + " of " + side + " is not compared: no op of the run reads it and it is no output";
        }
        // a weight (paired with the weights), an integer tensor, an op the run does not need: as before
        return null;
    }

    private static boolean names(String candidate, String name, boolean tensor, String op) {
        return tensor ? candidate.equals(TensorSpec.tensorName(name)) : TensorSpec.opNameOf(candidate).equals(op);
    }
}
