package org.tensorscope.ui.api;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.tensorscope.core.run.AnalysedTensor;

/**
 * The full values of the current run's tensors, fetched from the model's session when a view asks
 * and kept within the memory the views may use ({@link TensorscopePreferences#tensorMemoryBytes()}).
 * An OSGi service; call it on the UI thread.
 */
public interface TensorValues {

    /**
     * Hands the tensors, analysed (statistics and histogram), to {@code onUiThread} on the UI thread:
     * at once when they are at hand, else from a job; {@code onFailure} gets a one-line reason.
     *
     * @return false when there is no run to take tensors from
     */
    boolean fetch(List<String> tensors, Consumer<Map<String, AnalysedTensor>> onUiThread, Consumer<String> onFailure);
}
