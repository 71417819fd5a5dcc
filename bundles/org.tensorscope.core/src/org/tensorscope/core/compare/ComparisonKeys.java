package org.tensorscope.core.compare;

import java.util.List;
import java.util.Set;

import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.TensorSpec;

/**
 * What must be equal for two ops of graphs whose names differ to line up: the op's type in core's vocabulary, with
 * one computation written two ways made one. A bias added to a product of weights is one op in ONNX (a Gemm with
 * its C, a Conv with its B) and two in TensorFlow (a MatMul or Conv2D, then a BiasAdd or an Add of a weight); both
 * sides' biased results are keyed "MatMul+bias", and TensorFlow's unbiased product keeps "MatMul", which nothing on
 * the ONNX side computes. Without this, a model and its conversion paired the Gemm with the unbiased MatMul and
 * reported a divergence the bias alone made.
 */
final class ComparisonKeys {

    /**
     * Ops computing sums of products with weights that a bias may follow, by core's names, each reading two operands
     * without a bias. Not the transposed convolution: TensorFlow's reads three (the output's size first), ONNX's two.
     */
    private static final Set<String> PRODUCTS = Set.of("MatMul", "Conv2D", "DepthwiseConv2dNative", "Conv3D");

    private static final Set<String> BIAS_ADDS = Set.of("BiasAdd", "Add", "AddV2");

    static final String BIASED = "+bias";

    private final ModelGraph graph;
    private final StoredValues stored;

    ComparisonKeys(ModelGraph graph, StoredValues stored) {
        this.graph = graph;
        this.stored = stored;
    }

    /** The op's type for pairing, e.g. "Relu", "MatMul", "MatMul+bias". */
    String of(OpNode op) {
        String type = type(op);
        List<String> inputs = dataInputs(op);
        if (PRODUCTS.contains(type) && inputs.size() > 2) {
            return type + BIASED;
        }
        if (BIAS_ADDS.contains(type) && inputs.size() == 2) {
            String product = biasedProduct(inputs.get(0), inputs.get(1));
            if (product == null) {
                product = biasedProduct(inputs.get(1), inputs.get(0));
            }
            if (product != null) {
                return product + BIASED;
            }
        }
        return type;
    }

    /** The product's type when {@code value} is an unbiased product and {@code bias} a weight; null otherwise. */
    private String biasedProduct(String value, String bias) {
        if (!stored.contains(TensorSpec.opNameOf(bias)) || stored.contains(TensorSpec.opNameOf(value))) {
            return null;
        }
        return graph.op(TensorSpec.opNameOf(value))
                .filter(producer -> PRODUCTS.contains(type(producer)) && dataInputs(producer).size() == 2)
                .map(ComparisonKeys::type).orElse(null);
    }

    private static String type(OpNode op) {
        return op.canonicalType().isEmpty() ? op.type() : op.canonicalType();
    }

    /** The tensors the op reads (an OpNode lists no control inputs). */
    private static List<String> dataInputs(OpNode op) {
        return op.inputs().stream().map(TensorSpec::tensorName).toList();
    }
}
