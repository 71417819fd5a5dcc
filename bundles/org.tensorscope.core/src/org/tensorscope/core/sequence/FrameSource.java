package org.tensorscope.core.sequence;

import java.io.IOException;

import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.tensor.TensorData;

/**
 * Where the frames of a sequence come from: a folder of images, a {@code .npy} stack whose first axis is time,
 * or generated values. Parsed by {@link FrameSources#parse(String)}.
 */
public interface FrameSource {

    /** How many frames there are; -1 for a generated source, which has as many as asked for. */
    int count();

    /** The frame of a step, as a tensor for the given input (type and shape converted to it). */
    TensorData frame(int step, TensorSpec input) throws IOException;

    /** The source as the user wrote it. */
    String describe();

    /** Where one step's frame comes from, e.g. "frames/0003.png". */
    String describe(int step);
}
