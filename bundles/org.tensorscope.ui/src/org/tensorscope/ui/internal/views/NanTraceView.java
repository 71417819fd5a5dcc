package org.tensorscope.ui.internal.views;

/**
 * Where NaN or infinity first appears, why, and how to fix it.
 */
public class NanTraceView extends EmptyStateView {

    @Override
    protected String emptyStateMessage() {
        return "No trace yet. Open a model and run it: if NaN or infinity appears, this view names the op where it starts and why.";
    }
}
