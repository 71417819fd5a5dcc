package org.tensorscope.ui.internal.views;

/**
 * Shape, type, statistics and values of the selected tensor.
 */
public class TensorInspectorView extends EmptyStateView {

    @Override
    protected String emptyStateMessage() {
        return "No tensor is selected. Run a model, then select an op in the Model Explorer or the Graph.";
    }
}
