package org.tensorscope.core.service;

/**
 * Runs models with one framework (TensorFlow, ONNX Runtime...). Contributed as an OSGi service;
 * no framework type crosses this interface, so a backend may live in another process.
 * <p>
 * Component properties: {@link org.tensorscope.core.Tensorscope#PROP_DISPLAY_NAME}.
 */
public interface InferenceBackend {

    /** A stable identifier, e.g. "tensorflow". */
    String id();

    /** The framework version and the devices it sees. Loads the framework on first call. */
    BackendInfo describe() throws BackendException;
}
