package org.tensorscope.ui.api;

import java.util.Optional;
import java.util.function.Consumer;

import org.tensorscope.core.compare.Comparison;
import org.tensorscope.core.tensor.TensorData;

/**
 * The comparison the workbench shows (Run > Compare With): the open model's run, side A, against
 * another model or other inputs, side B. An OSGi service; call it on the UI thread. A change is
 * posted as {@code org.tensorscope.core.DebugTopics#COMPARISON}.
 */
public interface ComparisonState {

    /** The comparison shown, while the model it was made with is open. */
    Optional<Comparison> comparison();

    /** Side B in a few words: the other model's file name, or the other inputs. */
    String nameOfB();

    /**
     * Hands side B's values of the tensor paired with one of side A's to the consumer on the UI
     * thread, from a job; false when the comparison has no such pair.
     */
    boolean fetchB(String tensorA, Consumer<TensorData> onUiThread);
}
