package org.tensorscope.core.compare;

import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.IProgressMonitor;
import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.core.trace.Trace;

/** A session for comparison tests: fetches answer from a function, health passes are not needed. */
final class FetchOnlySession implements InferenceSession {

    interface Fetch {
        Map<String, TensorData> of(List<String> tensors) throws BackendException;
    }

    private final Fetch fetch;

    FetchOnlySession(Fetch fetch) {
        this.fetch = fetch;
    }

    @Override
    public String deviceNote() {
        return "";
    }

    @Override
    public Map<String, TensorData> fetch(Map<String, TensorData> feeds, List<String> tensors,
            Map<String, TensorData> overrides, IProgressMonitor monitor) throws BackendException {
        return fetch.of(tensors);
    }

    @Override
    public Trace healthPass(Map<String, TensorData> feeds, List<String> outputs, HealthMode mode,
            Map<String, TensorData> overrides, IProgressMonitor monitor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
    }
}
