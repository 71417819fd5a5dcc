package org.tensorscope.ui.internal.views;

/**
 * The model's ops and the tensors between them.
 */
public class GraphView extends EmptyStateView {

    @Override
    protected String emptyStateMessage() {
        return "The graph drawing is not part of this version yet: browse the ops by name scope in the Model Explorer.";
    }
}
