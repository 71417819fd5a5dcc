package org.tensorscope.ui.api;

import java.util.List;
import java.util.Locale;

import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.run.AnalysedTensor;

/**
 * A view of the output of the op in focus (selected, or under the stepping cursor): it fetches
 * the full tensor in a job when the focus moves, and shows it when it arrives. It follows the op
 * other parts select through the workbench's selection service.
 */
public abstract class FocusedTensorView extends EmptyStateView {

    private String shownTensor;
    private Object shownRun;

    @Override
    protected String emptyStateMessage() {
        return "No tensor is selected. Run a model, then select an op in the Model Explorer or step with F6.";
    }

    @Override
    protected boolean hasContent() {
        return runState().outcome().isPresent() && focus().focusOp().isPresent();
    }

    @Override
    protected final void refresh() {
        RunState session = runState();
        TraceFocus focus = focus();
        String op = focus.focusOp().orElseThrow();
        OpNode node = session.graph().flatMap(g -> g.op(op)).orElse(null);
        if (node == null || node.outputs().isEmpty() || node.outputs().get(0).dtype().byteSize() < 0) {
            shownTensor = null;
            showNothing(op + ": no numeric output to show");
            return;
        }
        String wanted = focus.focusTensor().orElse(null);
        TensorSpec output = node.outputs().stream().filter(o -> o.name().equals(wanted) && o.dtype().byteSize() >= 0)
                .findFirst().orElse(node.outputs().get(0));
        long elements = output.shape().isFullyDefined() ? output.shape().numElements()
                : session.outcome().flatMap(o -> o.trace().row(output.name())).map(r -> r.elements()).orElse(0L);
        long bytes = elements * output.dtype().byteSize();
        if (bytes > TensorscopePreferences.tensorMemoryBytes()) {
            shownTensor = null;
            showNothing(String.format(Locale.ROOT, "%s holds %,d MB, more than the %,d MB the views may use"
                    + " (Window > Preferences > Tensorscope)", output.name(), bytes / (1024 * 1024),
                    TensorscopePreferences.tensorMemoryBytes() / (1024 * 1024)));
            return;
        }
        Object run = session.outcome().orElse(null);
        if (output.name().equals(shownTensor) && run == shownRun) {
            sameTensor();
            return;
        }
        showOp(node, output);
        String tensor = output.name();
        shownTensor = tensor;
        shownRun = run;
        // the values come at once when the run's cache has them, else from a job
        boolean[] answered = {false};
        if (!service(TensorValues.class).fetch(List.of(tensor), values -> {
            answered[0] = true;
            if (!isDisposed() && tensor.equals(shownTensor)) {
                showValues(values.get(tensor));
            }
        }, problem -> {
            answered[0] = true;
            if (!isDisposed() && tensor.equals(shownTensor)) {
                showNothing(tensor + ": " + problem);
            }
        })) {
            shownTensor = null;
            shownRun = null;
        } else if (!answered[0]) {
            showFetching(node, output);
        }
    }

    /** The session moved on but the tensor shown is the same (e.g. a comparison was made). */
    protected void sameTensor() {
    }

    /** The focus moved to this op: show what is known before its values arrive. */
    protected abstract void showOp(OpNode op, TensorSpec output);

    /**
     * The values of the op just shown did not come at once: a job fetches them. What is known
     * meanwhile is shown here rather than in {@link #showOp}, which {@link #showValues} would
     * otherwise overwrite in the same turn whenever they come at once.
     */
    protected void showFetching(OpNode op, TensorSpec output) {
    }

    /** The focused output's values arrived, with their statistics and histogram. */
    protected abstract void showValues(AnalysedTensor values);

    /** The focused op has nothing to show. */
    protected abstract void showNothing(String why);
}
