package org.tensorscope.tensorflow.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.ModelLoadException;

/**
 * Reads a model's files on a thread of its own while the calling thread loads TensorFlow's natives, the first time a
 * model is opened: both take a few hundred milliseconds, and they overlap on two cores instead of following each
 * other. Only the calling thread touches TensorFlow, so no other thread can race the natives' first load; the
 * reading must stay in Java (JSON, protobuf, weights), touching no class of TensorFlow's but its protos.
 */
public final class ModelReading {

    /** Reading a model's files, in Java only. */
    @FunctionalInterface
    public interface Step<T> {
        T read() throws ModelLoadException;
    }

    private ModelReading() {
    }

    /** What {@code step} reads, read alongside the natives' load when they are not loaded yet. */
    public static <T> T alongsideNatives(Step<T> step) throws ModelLoadException {
        TensorFlowRuntime.prepareNatives();
        if (TensorFlowRuntime.loaded()) {
            return step.read();
        }
        CompletableFuture<T> read = Background.call("Tensorscope model reading", step::read);
        try {
            TensorFlowRuntime.describe();
        } catch (BackendException e) {
            // the loader's first use of TensorFlow meets the same problem and reports it, as it would without this
        }
        try {
            return read.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ModelLoadException m) {
                throw m;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }
}
