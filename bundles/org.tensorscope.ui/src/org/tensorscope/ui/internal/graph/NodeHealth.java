package org.tensorscope.ui.internal.graph;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.tensorscope.core.compare.Comparison;
import org.tensorscope.core.compare.PairStatus;
import org.tensorscope.core.compare.TensorPair;
import org.tensorscope.core.model.CollapsedGraph;
import org.tensorscope.core.model.CollapsedGraph.Node;
import org.tensorscope.core.run.TraceOutcome;
import org.tensorscope.core.trace.TensorHealth;

/** How a box of the graph is coloured after a run; a scope box takes the worst of its ops. */
public enum NodeHealth {
    NOT_RUN, FINITE, PROPAGATED, ORIGIN;

    /** The health of every box of the drawing after the given run (none: all NOT_RUN). */
    public static Map<String, NodeHealth> of(CollapsedGraph graph, Optional<TraceOutcome> outcome) {
        Map<String, NodeHealth> health = new HashMap<>();
        if (outcome.isEmpty()) {
            return health;
        }
        // every independent origin is coloured as one: each needs its own fix
        java.util.Set<String> origins = new java.util.HashSet<>();
        outcome.get().origin().ifPresent(o -> {
            origins.add(o.op().name());
            o.others().forEach(row -> origins.add(row.opName()));
        });
        for (TensorHealth row : outcome.get().trace().rows()) {
            NodeHealth h = origins.contains(row.opName()) ? ORIGIN : row.isFinite() ? FINITE : PROPAGATED;
            graph.nodeOf(row.opName()).ifPresent(id -> health.merge(id, h, NodeHealth::worse));
        }
        return health;
    }

    /**
     * The colours of a comparison instead of a run's health: the first divergence as the origin,
     * tensors that diverged after it as propagated, tensors within the tolerance as finite; ops not
     * compared keep no colour.
     */
    public static Map<String, NodeHealth> ofDivergence(CollapsedGraph graph, Comparison comparison) {
        Map<String, NodeHealth> health = new HashMap<>();
        String first = comparison.firstDivergence().map(d -> d.pair().opA()).orElse(null);
        for (TensorPair pair : comparison.pairs()) {
            NodeHealth h = pair.opA().equals(first) ? ORIGIN : pair.diverged() ? PROPAGATED
                    : pair.status() == PairStatus.MATCH ? FINITE : NOT_RUN;
            graph.nodeOf(pair.opA()).ifPresent(id -> health.merge(id, h, NodeHealth::worse));
        }
        return health;
    }

    private static NodeHealth worse(NodeHealth a, NodeHealth b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** The health of one box, NOT_RUN when unknown. */
    public static NodeHealth of(Map<String, NodeHealth> health, Node node) {
        return health.getOrDefault(node.id(), NOT_RUN);
    }
}
