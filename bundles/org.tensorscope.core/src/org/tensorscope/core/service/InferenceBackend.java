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

    /** Whether this backend can run a model loaded by the given loader. */
    default boolean canRun(LoadedModel model) {
        return id().equals(model.backendId());
    }

    /** Prepares a model for running on a device; falls back to the CPU when the device is missing. */
    InferenceSession open(LoadedModel model, Device device) throws BackendException;
}
