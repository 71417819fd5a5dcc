package org.tensorscope.onnx.internal.load;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.OpRole;

/**
 * Maps ONNX ops onto core's vocabulary ({@link OpNode#canonicalType()}, TensorFlow's op names), so that the cause
 * rules and fix patterns written for TensorFlow's ops explain ONNX models too. Only ops that compute what the
 * TensorFlow op computes, with the inputs the rules read in the same places, are mapped; every other op (and
 * every op of another domain) maps to nothing, so no rule reads it by a name that means something else:
 * ONNX's Sum adds its inputs (TensorFlow's AddN) while TensorFlow's Sum is a reduction, ONNX's Max is an
 * element-wise maximum, and DequantizeLinear takes a scale where Dequantize takes a range.
 */
final class OnnxOpVocabulary {

    /** Ops named and computing as in TensorFlow. */
    private static final Set<String> SAME = Set.of("Add", "Sub", "Mul", "Div", "Pow", "Log", "Exp", "Sqrt",
            "Reciprocal", "Neg", "Abs", "Sign", "Floor", "Ceil", "Round", "Sin", "Cos", "Tan", "Asin", "Acos", "Atan",
            "Sinh", "Cosh", "Asinh", "Acosh", "Atanh", "Erf", "Relu", "Elu", "Selu", "LeakyRelu", "Tanh", "Sigmoid",
            "Softplus", "Softsign", "Softmax", "LogSoftmax", "MatMul", "Einsum", "Cast", "Identity", "Reshape",
            "Squeeze", "Transpose", "Tile");

    private static final Map<String, String> RENAMED = Map.ofEntries(
            Map.entry("Unsqueeze", "ExpandDims"),
            Map.entry("Flatten", "Reshape"),
            Map.entry("CumSum", "Cumsum"),
            // a convolution of any rank: the rules read it as sums of products over a window
            Map.entry("Conv", "Conv2D"),
            Map.entry("ConvTranspose", "Conv2DBackpropInput"),
            // A and B as MatMul's a and b; C is added
            Map.entry("Gemm", "MatMul"),
            // x, scale, bias, mean, variance and epsilon as FusedBatchNorm's in inference
            Map.entry("BatchNormalization", "FusedBatchNormV3"),
            // a windowed mean of input 0, as TensorFlow's AvgPool; global: the window is the whole image
            Map.entry("AveragePool", "AvgPool"),
            Map.entry("GlobalAveragePool", "AvgPool"),
            // the axes, when an input, come second as in TensorFlow's reductions
            Map.entry("ReduceSum", "Sum"),
            Map.entry("ReduceMean", "Mean"),
            Map.entry("ReduceProd", "Prod"),
            Map.entry("ReduceMax", "Max"),
            Map.entry("ReduceMin", "Min"),
            Map.entry("ReduceL2", "EuclideanNorm"),
            Map.entry("Sum", "AddN"),
            Map.entry("Where", "SelectV2"));

    /** Element-wise ops that take any number of inputs and equal TensorFlow's binary op when given two. */
    private static final Map<String, String> BINARY_WHEN_TWO = Map.of("Max", "Maximum", "Min", "Minimum");

    private static final Map<String, String> CANONICAL = new HashMap<>();

    static {
        SAME.forEach(type -> CANONICAL.put(type, type));
        CANONICAL.putAll(RENAMED);
    }

    /** The ops whose outputs a subgraph computes. */
    private static final Set<String> CONTROL_FLOW = Set.of("If", "Loop", "Scan");

    private OnnxOpVocabulary() {
    }

    /** The TensorFlow op a node of ONNX's default domain computes, empty when none or of another domain. */
    static String canonicalType(String domain, String opType, int inputCount) {
        if (!domain.isEmpty() && !domain.equals("ai.onnx")) {
            return "";
        }
        if (BINARY_WHEN_TWO.containsKey(opType)) {
            return inputCount == 2 ? BINARY_WHEN_TWO.get(opType) : "";
        }
        return CANONICAL.getOrDefault(opType, "");
    }

    static OpRole role(String domain, String opType) {
        boolean standard = domain.isEmpty() || domain.equals("ai.onnx");
        if (standard && opType.equals(OnnxGraphConverter.CONSTANT_TYPE)) {
            return OpRole.CONSTANT;
        }
        return standard && CONTROL_FLOW.contains(opType) ? OpRole.CONTROL_FLOW : OpRole.COMPUTATION;
    }
}
