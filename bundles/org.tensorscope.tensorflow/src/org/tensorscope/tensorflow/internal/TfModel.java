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

    public TfModel(GraphDef frozenGraph, ModelGraph graph) {
        this.frozenGraph = frozenGraph;
        this.graph = graph;
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
