package org.tensorscope.tensorflow.internal;

import org.tensorflow.proto.GraphDef;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.service.LoadedModel;

/**
 * A model read by one of the TensorFlow loaders, in the one shape execution needs: a frozen
 * GraphDef (every weight a Const, every function call inlined) plus its framework-free graph.
 * The backend imports the GraphDef into a Graph of its own for each device it runs on.
 */
public final class TfModel implements LoadedModel {

    private final GraphDef frozenGraph;
    private final ModelGraph graph;
    private final String cannotRun;

    public TfModel(GraphDef frozenGraph, ModelGraph graph) {
        this(frozenGraph, graph, null);
    }

    /**
     * @param cannotRun why the model opens (info, graph) but cannot run, e.g. a Keras Lambda layer; null when it can
     */
    public TfModel(GraphDef frozenGraph, ModelGraph graph, String cannotRun) {
        this.frozenGraph = frozenGraph;
        this.graph = graph;
        this.cannotRun = cannotRun;
    }

    /** Why this model cannot run, when it opens only for info and its graph; empty when it runs. */
    public java.util.Optional<String> cannotRun() {
        return java.util.Optional.ofNullable(cannotRun);
    }

    public GraphDef frozenGraph() {
        return frozenGraph;
    }

    @Override
    public ModelGraph graph() {
        return graph;
    }

    @Override
    public String backendId() {
        return TensorFlowBackend.ID;
    }

    @Override
    public void close() {
        // a GraphDef holds no native resources
    }
}
