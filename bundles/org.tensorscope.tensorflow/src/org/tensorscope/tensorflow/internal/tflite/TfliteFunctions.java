package org.tensorscope.tensorflow.internal.tflite;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tensorflow.proto.FunctionDef;

/**
 * The subgraphs that WHILE and IF operators call, each converted once into a FunctionDef named after
 * it. Tensorscope's loaders lower the functional While and If that call them into plain control flow,
 * so the ops of a loop body or a branch are watched like any other.
 */
final class TfliteFunctions {

    /** Loops and branches nest a few levels in real models; a deeper chain is a broken or hostile file. */
    private static final int MAX_NESTING = 32;

    private final TfliteModel model;
    private final boolean dequantize;
    private final Map<Integer, String> names = new HashMap<>();
    private final Set<Integer> converting = new HashSet<>();
    private final List<FunctionDef> library = new ArrayList<>();
    private final Set<String> notRunnable = new LinkedHashSet<>();

    TfliteFunctions(TfliteModel model, boolean dequantize) {
        this.model = model;
        this.dequantize = dequantize;
    }

    String function(int index) {
        String name = names.get(index);
        if (name != null) {
            return name;
        }
        if (index <= 0 || index >= model.subgraphCount()) {
            throw new IllegalArgumentException("an operator calls subgraph " + index + " of " + model.subgraphCount()
                    + (index == 0 ? " (the main one)" : ""));
        }
        if (!converting.add(index)) {
            throw new IllegalArgumentException("subgraph " + index + " calls itself");
        }
        if (converting.size() > MAX_NESTING) {
            throw new IllegalArgumentException("subgraphs call each other more than " + MAX_NESTING + " levels deep");
        }
        TfliteSubGraph subgraph = model.subgraph(index);
        String label = subgraph.name() == null || subgraph.name().isBlank() ? "subgraph_" + index : subgraph.name();
        name = "tflite_" + index + "_" + label.replaceAll("[^A-Za-z0-9_]", "_");
        TfliteGraphBuilder builder = new TfliteGraphBuilder(model, subgraph, dequantize, this);
        library.add(builder.buildFunction(name));
        notRunnable.addAll(builder.ownNotRunnable());
        converting.remove(index);
        names.put(index, name);
        return name;
    }

    List<FunctionDef> library() {
        return library;
    }

    Set<String> notRunnable() {
        return notRunnable;
    }
}
