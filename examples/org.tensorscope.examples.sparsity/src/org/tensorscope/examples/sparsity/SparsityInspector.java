package org.tensorscope.examples.sparsity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.osgi.service.component.annotations.Component;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.service.Inspection;
import org.tensorscope.core.service.TensorInspector;
import org.tensorscope.core.tensor.TensorData;

/**
 * The share of exact zeros in each channel (the last axis) of a tensor: dead ReLU channels show
 * up as 100 %. NaN counts as non-zero.
 */
@Component(service = TensorInspector.class, property = "tensorscope.displayName=Sparsity")
public class SparsityInspector implements TensorInspector {

    @Override
    public String label() {
        return "Sparsity";
    }

    @Override
    public boolean appliesTo(TensorSpec tensor) {
        return tensor.dtype().byteSize() > 0 && tensor.shape().hasKnownRank() && tensor.shape().rank() >= 1;
    }

    @Override
    public Inspection inspect(TensorData tensor) {
        long[] zeros = zerosPerChannel(tensor);
        long perChannel = zeros.length == 0 ? 0 : tensor.size() / zeros.length;
        List<List<String>> rows = new ArrayList<>();
        for (int channel = 0; channel < zeros.length; channel++) {
            double fraction = perChannel == 0 ? 0 : (double) zeros[channel] / perChannel;
            rows.add(List.of(Integer.toString(channel), Long.toString(zeros[channel]), Long.toString(perChannel),
                    String.format(Locale.ROOT, "%.1f %%", 100 * fraction)));
        }
        return new Inspection("Zeros per channel of " + tensor.name(), List.of("Channel", "Zeros", "Values", "Zero fraction"),
                rows);
    }

    /** How many elements of each channel are exactly zero; a scalar counts as one channel. */
    static long[] zerosPerChannel(TensorData tensor) {
        Shape shape = tensor.shape();
        int channels = shape.rank() == 0 ? 1 : (int) shape.dim(shape.rank() - 1);
        long[] zeros = new long[channels];
        if (channels == 0) {
            return zeros;
        }
        long size = tensor.size();
        for (long i = 0; i < size; i++) {
            if (tensor.getDouble(i) == 0) {
                zeros[(int) (i % channels)]++;
            }
        }
        return zeros;
    }
}
