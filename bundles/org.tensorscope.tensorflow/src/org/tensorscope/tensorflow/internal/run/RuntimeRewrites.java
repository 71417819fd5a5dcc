package org.tensorscope.tensorflow.internal.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.service.RuntimeRewrite;

/**
 * Reads what grappler did to a plain run from the partition graphs TensorFlow ran: fused kernels
 * ({@code _FusedConv2D} with {@code fused_ops} [BiasAdd, Relu]) and ops replaced by another type
 * (Log(Softmax) run as LogSoftmax). Grappler names a fused node after the last op it replaces.
 */
final class RuntimeRewrites {

    private RuntimeRewrites() {
    }

    static List<RuntimeRewrite> of(ModelGraph model, List<GraphDef> partitionGraphs) {
        List<RuntimeRewrite> rewrites = new ArrayList<>();
        for (GraphDef partition : partitionGraphs) {
            for (NodeDef node : partition.getNodeList()) {
                Optional<OpNode> original = model.op(node.getName());
                List<String> fused = fusedOps(node);
                if (!fused.isEmpty()) {
                    List<String> replaced = new ArrayList<>();
                    if (node.getOp().contains("PadWith")) {
                        replaced.add("Pad");
                    }
                    replaced.add(baseOp(node.getOp()));
                    fused.forEach(op -> replaced.add(op.replaceFirst("^_Fused", "")));
                    if (original.map(o -> !o.type().equals(node.getOp())).orElse(true)) {
                        rewrites.add(new RuntimeRewrite(node.getName(), node.getOp(), replaced));
                    }
                } else if (original.isPresent() && !original.get().type().equals(node.getOp())
                        && !node.getOp().startsWith("_") && !PadMergeGuard.wrote(original.get().type(), node.getOp())) {
                    rewrites.add(new RuntimeRewrite(node.getName(), node.getOp(), List.of(original.get().type())));
                }
            }
        }
        return rewrites;
    }

    private static List<String> fusedOps(NodeDef node) {
        AttrValue fused = node.getAttrOrDefault("fused_ops", null);
        if (fused == null || !node.getOp().startsWith("_")) {
            return List.of();
        }
        return fused.getList().getSList().stream().map(s -> s.toStringUtf8()).toList();
    }

    /**
     * "_FusedConv2D" runs a Conv2D, "_MklFusedMatMul" a MatMul, "_MklNativePadWithFusedConv2D" a Pad and a
     * Conv2D, "_FusedBatchNormEx" a FusedBatchNorm.
     */
    private static String baseOp(String kernel) {
        String base = kernel.replaceFirst("^_(Mkl)?(Native)?(PadWith)?Fused", "");
        return base.endsWith("Ex") ? base.substring(0, base.length() - 2) : base;
    }
}
