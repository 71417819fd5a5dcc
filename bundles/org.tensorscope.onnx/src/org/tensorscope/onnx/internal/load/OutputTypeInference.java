package org.tensorscope.onnx.internal.load;

import java.util.List;
import java.util.Set;

import org.tensorscope.core.model.DType;

/**
 * Guesses the element type of a node output the file declares no type for. Most ONNX ops return
 * the type of their first input; the ones listed here do not. Only used for display and to pick
 * the float tensors of a health pass; the backend reads the real types from the results.
 */
final class OutputTypeInference {

    private static final Set<String> INDEX_OPS = Set.of("Shape", "Size", "NonZero", "ArgMax", "ArgMin");
    private static final Set<String> PREDICATES = Set.of("Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual",
            "Not", "And", "Or", "Xor", "IsNaN", "IsInf");
    /** Ops whose second output holds indices. */
    private static final Set<String> SECOND_OUTPUT_INDICES = Set.of("TopK", "MaxPool", "Unique");

    private OutputTypeInference() {
    }

    static DType infer(OnnxNode node, int output, List<DType> inputTypes) {
        String op = node.opType();
        if (INDEX_OPS.contains(op) || (output > 0 && SECOND_OUTPUT_INDICES.contains(op))) {
            return DType.INT64;
        }
        if (PREDICATES.contains(op)) {
            return DType.BOOL;
        }
        switch (op) {
            case "Constant", "ConstantOfShape" -> {
                for (OnnxAttribute a : node.attributes()) {
                    if (a.tensor() != null) {
                        return OnnxDataTypes.dtype(a.tensor().dataType());
                    }
                    if (a.name().startsWith("value_int")) {
                        return DType.INT64;
                    }
                    if (a.name().startsWith("value_float")) {
                        return DType.FLOAT32;
                    }
                }
                return op.equals("ConstantOfShape") ? DType.FLOAT32 : DType.OTHER;
            }
            case "Cast", "EyeLike", "RandomNormal", "RandomUniform", "RandomNormalLike", "RandomUniformLike" -> {
                return node.attributes().stream().filter(a -> a.name().equals("to") || a.name().equals("dtype"))
                        .findFirst().filter(a -> a.summary().matches("\\d{1,3}"))
                        .map(a -> OnnxDataTypes.dtype(Integer.parseInt(a.summary())))
                        .orElse(op.startsWith("Random") ? DType.FLOAT32 : DType.OTHER);
            }
            case "DequantizeLinear" -> {
                return DType.FLOAT32;
            }
            case "QuantizeLinear" -> {
                return inputTypes.size() > 2 ? inputTypes.get(2) : DType.UINT8;
            }
            default -> {
                return inputTypes.isEmpty() ? DType.OTHER : inputTypes.get(0);
            }
        }
    }
}
