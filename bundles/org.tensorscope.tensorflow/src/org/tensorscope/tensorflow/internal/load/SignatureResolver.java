package org.tensorscope.tensorflow.internal.load;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.SignatureTensor;

/**
 * Builds signatures from (key, tensor name) pairs once the graph's tensors are known.
 */
final class SignatureResolver {

    private SignatureResolver() {
    }

    /** @param keysToTensors per signature: inputs and outputs as key to "op:k" */
    static ModelGraph withSignatures(ModelGraph graph, Map<String, Map<String, String>> inputs,
            Map<String, Map<String, String>> outputs) {
        List<Signature> signatures = new ArrayList<>();
        for (String key : inputs.keySet()) {
            signatures.add(new Signature(key, tensors(graph, inputs.get(key)), tensors(graph, outputs.get(key))));
        }
        signatures.sort(Comparator.comparing(s -> s.key().equals(Signature.DEFAULT_KEY) ? "" : s.key()));
        return new ModelGraph(graph.source(), graph.format(), graph.ops(), signatures, graph.weights());
    }

    static List<SignatureTensor> tensors(ModelGraph graph, Map<String, String> keysToTensors) {
        List<SignatureTensor> tensors = new ArrayList<>();
        if (keysToTensors == null) {
            return tensors;
        }
        keysToTensors.forEach((key, name) -> {
            String tensor = name.contains(":") ? name : name + ":0";
            String op = tensor.substring(0, tensor.lastIndexOf(':'));
            graph.op(op).flatMap(o -> o.outputs().stream().filter(t -> t.name().equals(tensor)).findFirst())
                    .ifPresent(t -> tensors.add(new SignatureTensor(key, t)));
        });
        tensors.sort(Comparator.comparing(SignatureTensor::key));
        return tensors;
    }
}
