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
 * Rewrites TF.js-only fused ops ({@code _FusedConv2D}, {@code FusedDepthwiseConv2dNative},
 * {@code _FusedMatMul}) into plain TensorFlow ops: the convolution or product, then BiasAdd, then
 * the activation. The last node keeps the fused node's name, so consumers and traces find it.
 */
final class FusedOpRewriter {

    private static final Set<String> FUSED = Set.of("_FusedConv2D", "FusedDepthwiseConv2dNative", "_FusedMatMul");
    private static final Set<String> CONV_ATTRS = Set.of("T", "strides", "padding", "data_format", "dilations",
            "explicit_paddings", "use_cudnn_on_gpu");
    private static final Set<String> DEPTHWISE_ATTRS = Set.of("T", "strides", "padding", "data_format", "dilations",
            "explicit_paddings");
    private static final Set<String> MATMUL_ATTRS = Set.of("T", "transpose_a", "transpose_b");

    private FusedOpRewriter() {
    }

    static boolean isFused(NodeDef node) {
        return FUSED.contains(node.getOp());
    }

    /**
     * The plain nodes replacing a fused one, in dependency order.
     *
     * @throws IllegalArgumentException when the node lacks the inputs or attributes its fused ops need
     */
    static List<NodeDef> rewrite(NodeDef fused) {
        if (!fused.containsAttr("T")) {
            throw new IllegalArgumentException("fused op " + fused.getName() + " (" + fused.getOp() + ") has no T attribute");
        }
        try {
            return expand(fused);
        } catch (IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("fused op " + fused.getName() + " (" + fused.getOp() + ") has "
                    + fused.getInputList().stream().filter(i -> !i.startsWith("^")).count()
                    + " data inputs, fewer than its fused_ops need", e);
        }
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
                case "Prelu" -> {
                    // TF.js: prelu(x, alpha) = x > 0 ? x : alpha * x  ==  relu(x) + alpha * min(x, 0)
                    String alpha = data.get(extra++);
                    String zero = name + "/Prelu/zero";
                    nodes.add(NodeDef.newBuilder().setName(zero).setOp("Const").putAttr("dtype", type(type))
                            .putAttr("value", AttrValue.newBuilder().setTensor(TensorProto.newBuilder()
                                    .setDtype(type.getType()).setTensorShape(TensorShapeProto.getDefaultInstance())
                                    .addFloatVal(0f)).build())
                            .build());
                    nodes.add(NodeDef.newBuilder().setName(name + "/Prelu/Relu").setOp("Relu").addInput(previous)
                            .putAttr("T", type).build());
                    nodes.add(NodeDef.newBuilder().setName(name + "/Prelu/Minimum").setOp("Minimum").addInput(previous)
                            .addInput(zero).putAttr("T", type).build());
                    nodes.add(NodeDef.newBuilder().setName(name + "/Prelu/Mul").setOp("Mul").addInput(alpha)
                            .addInput(name + "/Prelu/Minimum").putAttr("T", type).build());
                    nodes.add(NodeDef.newBuilder().setName(stepName).setOp("AddV2").addInput(name + "/Prelu/Relu")
                            .addInput(name + "/Prelu/Mul").putAttr("T", type).build());
                }
                default -> throw new IllegalArgumentException("fused op " + fused.getName() + " uses '" + step
                        + "', which Tensorscope cannot rewrite into TensorFlow ops");
            }
            previous = stepName;
        }
        return nodes;
    }

    private static AttrValue type(AttrValue t) {
        return AttrValue.newBuilder().setType(t.getType() == DataType.DT_INVALID ? DataType.DT_FLOAT : t.getType())
                .build();
    }
}
