package org.tensorscope.ui.internal.views;

/**
 * The NaN-aware histogram of the selected tensor.
 */
public class HistogramView extends EmptyStateView {

    @Override
    protected String emptyStateMessage() {
        return "No tensor is selected. Run a model, then select an op to see the histogram of its output.";
    }
}
