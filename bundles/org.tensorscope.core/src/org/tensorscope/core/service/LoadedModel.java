package org.tensorscope.core.service;

import org.tensorscope.core.model.ModelGraph;

/**
 * A model opened by a {@link ModelLoader}: its graph, plus whatever its backend needs to run it,
 * which stays inside the contributing bundle. Close it to free that.
 */
public interface LoadedModel extends AutoCloseable {

    ModelGraph graph();

    /** The {@link InferenceBackend#id()} of the backend that can run this model. */
    String backendId();

    @Override
    void close();
}
