package org.tensorscope.ui.internal.views;

/**
 * The ops of the open model, by name scope.
 */
public class ModelExplorerView extends EmptyStateView {

    @Override
    protected String emptyStateMessage() {
        return "No model is open. Open a model with File > Open Model…";
    }
}
