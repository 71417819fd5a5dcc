package org.tensorscope.core.model;

import java.util.List;
import java.util.Optional;

/**
 * A named entry point of a model, e.g. "serving_default".
 */
public record Signature(String key, List<SignatureTensor> inputs, List<SignatureTensor> outputs) {

    public static final String DEFAULT_KEY = "serving_default";

    public Signature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /** The input with the given key or graph tensor name ("input_1" or "input_1:0"). */
    public Optional<SignatureTensor> input(String keyOrTensor) {
        return inputs.stream()
                .filter(t -> t.key().equals(keyOrTensor) || t.tensor().name().equals(keyOrTensor)
                        || t.tensor().opName().equals(keyOrTensor))
                .findFirst();
    }
}
