package org.tensorscope.core.input;

import java.io.IOException;

import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.tensor.TensorData;

/**
 * Where an input tensor's values come from. Parsed from the CLI's and the run configuration's
 * source text by {@link InputSources#parse(String)}.
 */
public interface InputSource {

    /** Values for an input of the given type and shape (an unknown dimension becomes 1). */
    TensorData create(TensorSpec input) throws IOException;

    /** The source as the user wrote it. */
    String describe();

    /** The value range this source promises, {lo, hi}; values outside it are reported. */
    double[] promisedRange();
}
