package org.tensorscope.onnx.internal.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.SignatureTensor;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.onnx.internal.OnnxRuntimeEnvironment;

import ai.onnxruntime.OrtException;

/**
 * Says in one line why ONNX Runtime could not run a model: the op that failed (ONNX Runtime nests
 * "Non-zero status code returned while running If node ... Status Message: ..." once per
 * enclosing subgraph; only the innermost op matters) and the shapes of the inputs fed, since a
 * size guessed for a dimension the model leaves unknown is a common cause.
 */
final class RunFailure {

    private static final Pattern ERROR_CODE = Pattern.compile("^Error code - \\w+ - message: ");
    private static final Pattern NODE = Pattern.compile(
            "Non-zero status code returned while running (\\S+) node\\. Name:'([^']*)' Status Message: ");

    private RunFailure() {
    }

    /**
     * @param fed        the tensors fed, by ONNX name
     * @param opsByOnnxNode the op name of each named ONNX node
     */
    /** What went wrong, without the error code and the ops enclosing the one that failed. */
    static String problem(OrtException e) {
        String message = ERROR_CODE.matcher(OnnxRuntimeEnvironment.firstLine(e)).replaceFirst("");
        Matcher node = NODE.matcher(message);
        int end = 0;
        while (node.find()) {
            end = node.end();
        }
        return message.substring(end).replaceAll("\\s+", " ").trim();
    }

    static String describe(ModelGraph graph, OrtException e, Map<String, TensorData> fed,
            Map<String, String> opsByOnnxNode) {
        String message = ERROR_CODE.matcher(OnnxRuntimeEnvironment.firstLine(e)).replaceFirst("");
        String failedOp = null;
        String failedType = null;
        Matcher node = NODE.matcher(message);
        int end = 0;
        while (node.find()) {
            failedType = node.group(1);
            failedOp = opsByOnnxNode.getOrDefault(node.group(2), node.group(2));
            end = node.end();
        }
        String problem = message.substring(end);
        StringBuilder text = new StringBuilder(OnnxRuntimeEnvironment.FRAMEWORK + " could not run "
                + graph.source() + ": ");
        if (failedOp != null) {
            text.append(failedType).append(" op ").append(failedOp).append(" failed: ");
        }
        text.append(problem);
        List<String> inputs = new ArrayList<>();
        for (SignatureTensor input : graph.defaultSignature().map(s -> s.inputs()).orElse(List.of())) {
            TensorData data = fed.get(input.key());
            if (data == null) {
                continue;
            }
            inputs.add(input.key() + " " + data.shape());
        }
        if (!inputs.isEmpty()) {
            text.append("; inputs fed: ").append(String.join(", ", inputs));
        }
        return text.toString();
    }
}
