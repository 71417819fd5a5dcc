package org.tensorscope.core.service;

import java.io.IOException;
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

    /**
     * Like {@link #fetch(Map, List, Map, IProgressMonitor)}, handing the values to {@code use} while they are valid:
     * a backend may hand its own memory, saving a copy of every value when they are only passed on (the inference
     * worker writing them to Tensorscope). The default hands copies.
     */
    default <T> T fetch(Map<String, TensorData> feeds, List<String> tensors, Map<String, TensorData> overrides,
            IProgressMonitor monitor, FetchedValues<T> use) throws BackendException, IOException {
        return use.use(fetch(feeds, tensors, overrides, monitor));
    }

    /**
     * Like {@link #fetch}, but computes the tensors the way the health pass watched them: the graph as
     * written, with no optimiser rewrite in between (an optimiser that turns Log(Softmax) into LogSoftmax
     * hides the -Inf the trace found). Explanations of a trace fetch through this; the default is
     * {@code fetch} for backends that do not rewrite.
     */
    default Map<String, TensorData> fetchAsTraced(Map<String, TensorData> feeds, List<String> tensors,
            Map<String, TensorData> overrides, IProgressMonitor monitor) throws BackendException {
        return fetch(feeds, tensors, overrides, monitor);
    }

    /**
     * Like {@link #fetchAsTraced(Map, List, Map, IProgressMonitor)}, handing the values to {@code use} while they are
     * valid, as {@link #fetch(Map, List, Map, IProgressMonitor, FetchedValues)} does.
     */
    default <T> T fetchAsTraced(Map<String, TensorData> feeds, List<String> tensors, Map<String, TensorData> overrides,
            IProgressMonitor monitor, FetchedValues<T> use) throws BackendException, IOException {
        return use.use(fetchAsTraced(feeds, tensors, overrides, monitor));
    }

    /**
     * Runs the model computing only the health of the float op outputs that the given outputs
     * need (ops that only other signatures reach are neither run nor watched). The trace lists
     * what could not be checked and, where the backend can, the outputs as the traced run computed
     * them.
     *
     * @param outputs the tensors the run is for ("op:k"), usually the signature's outputs
     */
    Trace healthPass(Map<String, TensorData> feeds, List<String> outputs, HealthMode mode,
            Map<String, TensorData> overrides, IProgressMonitor monitor) throws BackendException;

    /**
     * The rewrites the backend's optimised runtime makes for a plain run of these outputs (fused
     * kernels and the like), which a traced run does not make; empty when there are none or the
     * backend cannot tell.
     */
    default List<RuntimeRewrite> runtimeRewrites(Map<String, TensorData> feeds, List<String> outputs,
            IProgressMonitor monitor) throws BackendException {
        return List.of();
    }

    @Override
    void close();
}
