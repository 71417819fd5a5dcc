package org.tensorscope.core.service;

import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.IProgressMonitor;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.core.trace.Trace;

/**
 * A model opened on a device, ready to run. Feeds and overrides are keyed by tensor name
 * ("op:k"); an override replaces an intermediate tensor (edit and continue).
 */
public interface InferenceSession extends AutoCloseable {

    /** What the backend chose, e.g. "No GPU is visible to TensorFlow: running on CPU."; empty when as asked. */
    String deviceNote();

    /** Runs the model and returns the fetched tensors, by name. */
    Map<String, TensorData> fetch(Map<String, TensorData> feeds, List<String> tensors,
            Map<String, TensorData> overrides, IProgressMonitor monitor) throws BackendException;

    /** Runs the model computing only the health of every float op output. */
    Trace healthPass(Map<String, TensorData> feeds, HealthMode mode, Map<String, TensorData> overrides,
            IProgressMonitor monitor) throws BackendException;

    @Override
    void close();
}
