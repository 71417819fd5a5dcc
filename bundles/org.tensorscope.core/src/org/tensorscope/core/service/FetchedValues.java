package org.tensorscope.core.service;

import java.io.IOException;
import java.util.Map;

import org.tensorscope.core.tensor.TensorData;

/**
 * What is done with fetched values while they are valid: a backend may hand out its own memory instead of
 * copies, valid only until {@link #use} returns (see
 * {@link InferenceSession#fetchAsTraced(Map, java.util.List, Map, org.eclipse.core.runtime.IProgressMonitor, FetchedValues)}).
 *
 * @param <T> what is made of them
 */
@FunctionalInterface
public interface FetchedValues<T> {

    /** Makes what is kept of the values (which must not be kept themselves), by tensor name. */
    T use(Map<String, TensorData> values) throws IOException;
}
