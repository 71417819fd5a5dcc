package org.tensorscope.tensorflow.internal.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Rewrites the ops that only TF.js has into plain TensorFlow ops: the fused ones ({@code _FusedConv2D},
 * {@code FusedDepthwiseConv2dNative}, {@code _FusedMatMul}) into the convolution or product, then BiasAdd,
 * then the activation; {@code Prelu}, which the TF.js converter makes of a Keras PReLU layer, into
 * TensorFlow's arithmetic. The last node keeps the TF.js node's name, so consumers and traces find it.
 */
final class TfjsOnlyOps {

    private static final Set<String> FUSED = Set.of("_FusedConv2D", "FusedDepthwiseConv2dNative", "_FusedMatMul");
    private static final String PRELU = "Prelu";
    private static final Set<String> CONV_ATTRS = Set.of("T", "strides", "padding", "data_format", "dilations",
            "explicit_paddings", "use_cudnn_on_gpu");
    private static final Set<String> DEPTHWISE_ATTRS = Set.of("T", "strides", "padding", "data_format", "dilations",
            "explicit_paddings");
    private static final Set<String> MATMUL_ATTRS = Set.of("T", "transpose_a", "transpose_b");

    private TfjsOnlyOps() {
    }

    static boolean isTfjsOnly(NodeDef node) {
        return FUSED.contains(node.getOp()) || node.getOp().equals(PRELU);
    }

    /**
     * The plain nodes replacing a TF.js-only one, in dependency order.
     *
     * @throws IllegalArgumentException when the node lacks the inputs or attributes its ops need
     */
    static List<NodeDef> rewrite(NodeDef node) {
        boolean fused = !node.getOp().equals(PRELU);
        String what = (fused ? "fused op " : "op ") + node.getName() + " (" + node.getOp() + ")";
        if (fused && !node.containsAttr("T")) {
            throw new IllegalArgumentException(what + " has no T attribute");
        }
        try {
            return fused ? expand(node) : prelu(node);
        } catch (IndexOutOfBoundsException e) {
            throw new IllegalArgumentException(what + " has "
                    + node.getInputList().stream().filter(i -> !i.startsWith("^")).count()
                    + " data inputs, fewer than " + (fused ? "its fused_ops need" : "the 2 it needs"), e);
        }
    }

    /** A standalone Prelu(x, alpha): the PReLU nodes, the last one under the Prelu's name. */
    private static List<NodeDef> prelu(NodeDef node) {
        List<String> data = node.getInputList().stream().filter(i -> !i.startsWith("^")).toList();
        List<String> control = node.getInputList().stream().filter(i -> i.startsWith("^")).toList();
        String x = data.get(0);
        String alpha = data.get(1);
        // the converter writes no attributes on a Prelu: TF.js computes it in float32 only
        AttrValue type = node.getAttrOrDefault("T", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build());
        List<NodeDef> nodes = new ArrayList<>(preluNodes(node.getName(), node.getName(), x, alpha, type));
        int last = nodes.size() - 1;
        nodes.set(last, nodes.get(last).toBuilder().addAllInput(control).build());
        return nodes;
    }

    private static List<NodeDef> expand(NodeDef fused) {
        String name = fused.getName();
        List<String> fusedOps = fused.getAttrOrDefault("fused_ops", AttrValue.getDefaultInstance()).getList()
                .getSList().stream().map(b -> b.toStringUtf8()).toList();
        List<String> data = fused.getInputList().stream().filter(i -> !i.startsWith("^")).toList();
        List<String> control = fused.getInputList().stream().filter(i -> i.startsWith("^")).toList();
        String baseOp;
        Set<String> keep;
        switch (fused.getOp()) {
            case "_FusedConv2D" -> {
                baseOp = "Conv2D";
                keep = CONV_ATTRS;
            }
            case "FusedDepthwiseConv2dNative" -> {
                baseOp = "DepthwiseConv2dNative";
                keep = DEPTHWISE_ATTRS;
            }
            default -> {
                baseOp = "MatMul";
                keep = MATMUL_ATTRS;
            }
        }
        List<NodeDef> nodes = new ArrayList<>();
        List<String> steps = new ArrayList<>(fusedOps);
        int extra = 2;
        String previous = null;
        int remaining = steps.size();
        String baseName = remaining == 0 ? name : name + "/" + baseOp;
        NodeDef.Builder base = NodeDef.newBuilder().setName(baseName).setOp(baseOp).addInput(data.get(0))
                .addInput(data.get(1)).addAllInput(control);
        fused.getAttrMap().forEach((k, v) -> {
            if (keep.contains(k)) {
                base.putAttr(k, v);
            }
        });
        nodes.add(base.build());
        previous = baseName;
        AttrValue type = fused.getAttrOrThrow("T");
        for (int i = 0; i < steps.size(); i++) {
            String step = steps.get(i);
            boolean last = i == steps.size() - 1;
            String stepName = last ? name : name + "/" + step;
            switch (step) {
                case "BiasAdd" -> {
                    NodeDef.Builder bias = NodeDef.newBuilder().setName(stepName).setOp("BiasAdd").addInput(previous)
                            .addInput(data.get(extra++)).putAttr("T", type);
                    if (fused.containsAttr("data_format")) {
                        bias.putAttr("data_format", fused.getAttrOrThrow("data_format"));
                    }
                    nodes.add(bias.build());
                }
                case "Relu", "Relu6", "Elu", "Sigmoid", "Tanh", "Selu" -> nodes.add(NodeDef.newBuilder().setName(stepName)
                        .setOp(step).addInput(previous).putAttr("T", type).build());
                case "LeakyRelu" -> nodes.add(NodeDef.newBuilder().setName(stepName).setOp("LeakyRelu").addInput(previous)
                        .putAttr("T", type).putAttr("alpha", AttrValue.newBuilder()
                                .setF(fused.getAttrOrDefault("leakyrelu_alpha", AttrValue.newBuilder().setF(0.2f).build())
                                        .getF())
                                .build())
                        .build());
                case "Prelu" -> nodes.addAll(preluNodes(name, stepName, previous, data.get(extra++), type));
                default -> throw new IllegalArgumentException("fused op " + fused.getName() + " uses '" + step
                        + "', which Tensorscope cannot rewrite into TensorFlow ops");
            }
            previous = stepName;
        }
        return nodes;
    }

    /**
     * TF.js's prelu(x, alpha) = x < 0 ? alpha * x : x, as select(x < 0, alpha * min(x, 0), x): x itself where it
     * is not negative, whatever alpha holds (relu(x) + alpha * min(x, 0) would make alpha * 0 = NaN there for an
     * infinite alpha, and x - relu(x) inf - inf for an infinite x), and no product of alpha with a large positive x
     * that could overflow where TF.js computes none; the last node is named {@code last}.
     */
    private static List<NodeDef> preluNodes(String scope, String last, String x, String alpha, AttrValue type) {
        String zero = scope + "/Prelu/zero";
        return List.of(
                NodeDef.newBuilder().setName(zero).setOp("Const").putAttr("dtype", type(type))
                        .putAttr("value", AttrValue.newBuilder().setTensor(TensorProto.newBuilder()
                                .setDtype(type(type).getType()).setTensorShape(TensorShapeProto.getDefaultInstance())
                                .addFloatVal(0f)).build())
                        .build(),
                NodeDef.newBuilder().setName(scope + "/Prelu/Less").setOp("Less").addInput(x).addInput(zero)
                        .putAttr("T", type).build(),
                NodeDef.newBuilder().setName(scope + "/Prelu/Minimum").setOp("Minimum").addInput(x).addInput(zero)
                        .putAttr("T", type).build(),
                NodeDef.newBuilder().setName(scope + "/Prelu/Mul").setOp("Mul").addInput(alpha)
                        .addInput(scope + "/Prelu/Minimum").putAttr("T", type).build(),
                NodeDef.newBuilder().setName(last).setOp("SelectV2").addInput(scope + "/Prelu/Less")
                        .addInput(scope + "/Prelu/Mul").addInput(x).putAttr("T", type).build());
    }

    private static AttrValue type(AttrValue t) {
        return AttrValue.newBuilder().setType(t.getType() == DataType.DT_INVALID ? DataType.DT_FLOAT : t.getType())
                .build();
    }
}
