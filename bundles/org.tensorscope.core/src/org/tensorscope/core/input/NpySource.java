package org.tensorscope.core.input;

import java.io.IOException;
import java.nio.file.Path;

import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.tensor.TensorData;

/** Values from a .npy file, fed as they are (a type or shape mismatch is reported before running). */
final class NpySource implements InputSource {

    private final Path file;

    NpySource(Path file) {
        this.file = file;
    }

    @Override
    public TensorData create(TensorSpec input) throws IOException {
        return Npy.read(file, input.name());
    }

    @Override
    public String describe() {
        return file.toString();
    }

    @Override
    public double[] promisedRange() {
        return new double[] { Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY };
    }
}
