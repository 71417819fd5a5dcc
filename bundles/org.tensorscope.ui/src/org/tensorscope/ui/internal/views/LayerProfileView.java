package org.tensorscope.ui.internal.views;

/**
 * Statistics of every op's output along the execution order.
 */
public class LayerProfileView extends EmptyStateView {

    @Override
    protected String emptyStateMessage() {
        return "No run yet. Open a model and run it to see the value range of each layer.";
    }
}
