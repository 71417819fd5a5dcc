package org.tensorscope.onnx.internal.run;

import org.tensorscope.onnx.internal.OnnxRuntimeEnvironment;

import ai.onnxruntime.OrtException;

/**
 * ONNX Runtime could not open or run a model whose loop bodies were made to return their values
 * of every iteration (a value whose shape changes from one iteration to the next cannot be
 * stacked, say): the model is to be run with its loops as written, their bodies unchecked.
 */
final class LoopsNotReturned extends Exception {

    private static final long serialVersionUID = 1L;

    LoopsNotReturned(OrtException cause) {
        super(cause);
    }

    /** Why the loop bodies are not checked, as the unchecked list says it. */
    String reason() {
        return OnnxRuntimeEnvironment.FRAMEWORK + " could not return its values of every iteration ("
                + RunFailure.problem((OrtException) getCause()) + ")";
    }
}
