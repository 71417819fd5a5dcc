package org.tensorscope.tensorflow.internal.run;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorscope.core.model.TensorSpec;

/**
 * Keeps TensorFlow's oneDNN graph pass from crashing the process on a {@code Pad} that a convolution reads other
 * than as its input: the pass merges a Pad with a Conv2D or a {@code _FusedConv2D} that reads it at any input, where
 * only the first can be merged. A residual add of a padded tensor (MediaPipe's channel-padding shortcuts:
 * {@code relu6(conv(x) + b + pad(maxpool(x)))}, which grappler fuses into one {@code _FusedConv2D} reading the Pad
 * as its fourth input) makes it build a broken node and the process dies (SIGSEGV in {@code FillInputs}; seen with
 * BlazePose heavy). Such a Pad is written as {@code PadV2} with 0, which computes the same and which the pass
 * leaves alone. A Pad that only convolutions, poolings and the like read as their first input is kept. A Pad read
 * through an Identity counts as read directly: grappler removes the Identity before the pass.
 */
final class PadMergeGuard {

    /** Ops that grappler folds into a convolution as a side input (the residual of a fused Add). */
    private static final Set<String> FOLDED_INTO_CONVOLUTIONS = Set.of("Add", "AddV2", "AddN", "BiasAdd");

    /** Ops that pass their input on unchanged and that grappler removes from an inference graph. */
    private static final Set<String> PASSED_THROUGH = Set.of("Identity", "Snapshot", "StopGradient", "PreventGradient");

    private PadMergeGuard() {
    }

    /** The graph with every Pad that the pass could merge wrongly written as PadV2; the same graph when none. */
    static GraphDef guard(GraphDef graph) {
        Set<String> risky = new HashSet<>();
        Map<String, NodeDef> pads = new HashMap<>();
        Map<String, NodeDef> nodes = new HashMap<>();
        for (NodeDef node : graph.getNodeList()) {
            nodes.put(node.getName(), node);
            if (node.getOp().equals("Pad")) {
                pads.put(node.getName(), node);
            }
        }
        if (pads.isEmpty()) {
            return graph;
        }
        for (NodeDef node : graph.getNodeList()) {
            int index = 0;
            for (String input : node.getInputList()) {
                if (input.startsWith("^")) {
                    continue;
                }
                String pad = padRead(opOf(input), nodes, pads);
                if (pad != null && (index > 0 || FOLDED_INTO_CONVOLUTIONS.contains(node.getOp()))) {
                    risky.add(pad);
                }
                index++;
            }
        }
        if (risky.isEmpty()) {
            return graph;
        }
        GraphDef.Builder guarded = graph.toBuilder();
        List<NodeDef> zeros = new ArrayList<>();
        for (NodeDef.Builder node : guarded.getNodeBuilderList()) {
            if (risky.contains(node.getName()) && zeroFor(node) != null) {
                String zero = node.getName() + "/tensorscope_pad_value";
                TensorProto value = zeroFor(node);
                List<String> inputs = List.copyOf(node.getInputList());
                node.setOp("PadV2").clearInput();
                inputs.stream().filter(i -> !i.startsWith("^")).forEach(node::addInput);
                node.addInput(zero);
                inputs.stream().filter(i -> i.startsWith("^")).forEach(node::addInput);
                // in the frame of what it pads (a Pad inside a while loop): a constant takes the frame of its inputs
                zeros.add(NodeDef.newBuilder().setName(zero).setOp("Const").setDevice(node.getDevice())
                        .addInput("^" + opOf(inputs.get(0)))
                        .putAttr("dtype", AttrValue.newBuilder().setType(value.getDtype()).build())
                        .putAttr("value", AttrValue.newBuilder().setTensor(value).build()).build());
            }
        }
        return guarded.addAllNode(zeros).build();
    }

    /**
     * The Pad that this op's output is, directly or through ops that grappler removes before the pass (an Identity
     * between a Pad and the Add that reads it is gone by then); null when it is no Pad.
     */
    private static String padRead(String op, Map<String, NodeDef> nodes, Map<String, NodeDef> pads) {
        for (int hops = 0; hops < nodes.size(); hops++) { // bounded: a malformed graph may loop
            if (pads.containsKey(op)) {
                return op;
            }
            NodeDef node = nodes.get(op);
            if (node == null || !PASSED_THROUGH.contains(node.getOp())) {
                return null;
            }
            String input = node.getInputList().stream().filter(i -> !i.startsWith("^")).findFirst().orElse(null);
            if (input == null) {
                return null;
            }
            op = opOf(input);
        }
        return null;
    }

    private static String opOf(String input) {
        String source = TensorSpec.tensorName(input);
        return source.substring(0, source.lastIndexOf(':'));
    }

    /** Whether a node of this type in a run's graph is one this guard wrote for a node of that type in the model. */
    static boolean wrote(String modelType, String runType) {
        return modelType.equals("Pad") && runType.equals("PadV2");
    }

    /** A scalar zero of the Pad's type, or null for a type this guard leaves alone. */
    private static TensorProto zeroFor(NodeDef.Builder pad) {
        DataType type = pad.getAttrOrDefault("T", AttrValue.getDefaultInstance()).getType();
        TensorProto.Builder zero = TensorProto.newBuilder().setDtype(type)
                .setTensorShape(TensorShapeProto.getDefaultInstance());
        return switch (type) {
            case DT_FLOAT -> zero.addFloatVal(0f).build();
            case DT_DOUBLE -> zero.addDoubleVal(0d).build();
            case DT_HALF, DT_BFLOAT16 -> zero.addHalfVal(0).build();
            case DT_INT32 -> zero.addIntVal(0).build();
            default -> null;
        };
    }
}
