package org.tensorscope.ui.internal.views;

/**
 * The model's ops and the tensors between them.
 */
public class GraphView extends EmptyStateView {

    @Override
    protected String emptyStateMessage() {
        return "No model is open. Open a model with File > Open Model… to see its graph.";
    }
}
