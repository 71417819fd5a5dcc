package org.tensorscope.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Which outputs hold no defined value in inference: a batch norm's reserve spaces, and only when it does not train. */
class UndefinedOutputsTest {

    private static OpNode batchNorm(String name, String type, int outputs, Map<String, String> attributes) {
        List<TensorSpec> specs = new ArrayList<>();
        for (int k = 0; k < outputs; k++) {
            specs.add(new TensorSpec(name + ":" + k, DType.FLOAT32, Shape.of(2)));
        }
        return new OpNode(name, type, "", attributes, List.of(), specs);
    }

    @Test
    void theReserveSpacesOfABatchNormForInferenceAndNothingElse() {
        ModelGraph graph = new ModelGraph(Path.of("m.pb"), "test", List.of(
                batchNorm("v3", "FusedBatchNormV3", 6, Map.of("is_training", "false")),
                batchNorm("v1", "FusedBatchNorm", 5, Map.of("is_training", "false")),
                batchNorm("v2", "FusedBatchNormV2", 5, Map.of("is_training", "false")),
                // TensorFlow's default is training: a batch norm without the attribute fills its reserve spaces
                batchNorm("stripped", "FusedBatchNormV3", 6, Map.of()),
                batchNorm("training", "FusedBatchNormV2", 5, Map.of("is_training", "true")),
                batchNorm("onnx", "BatchNormalization", 1, Map.of())), List.of(), List.of());

        Map<String, String> undefined = UndefinedOutputs.of(graph);
        assertEquals(List.of("v3:3", "v3:4", "v3:5", "v1:3", "v1:4", "v2:3", "v2:4"), List.copyOf(undefined.keySet()));
        assertEquals("a reserve space of FusedBatchNormV3, which it fills only in training: its values are undefined in"
                + " inference", undefined.get("v3:3"));
    }
}
