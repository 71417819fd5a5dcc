package org.tensorscope.tensorflow.internal.load;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.tensorflow.TensorFlow;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;

/**
 * The op definitions registered in this TensorFlow, to learn what an op's inputs and outputs are
 * without building it.
 */
final class OpDefs {

    private static Map<String, OpDef> registered;

    private OpDefs() {
    }

    static synchronized Optional<OpDef> of(String opType) {
        if (registered == null) {
            Map<String, OpDef> defs = new HashMap<>();
            TensorFlow.registeredOpList().getOpList().forEach(op -> defs.put(op.getName(), op));
            registered = defs;
        }
        return Optional.ofNullable(registered.get(opType));
    }

    /** The dtype a node expects on its i-th data input; empty when its OpDef leaves it open. */
    static Optional<DataType> expectedInputType(NodeDef node, int index) {
        OpDef def = of(node.getOp()).orElse(null);
        if (def == null) {
            return Optional.empty();
        }
        int offset = 0;
        for (OpDef.ArgDef arg : def.getInputArgList()) {
            int length = length(node, arg);
            if (index < offset + length) {
                if (arg.getIsRef()) {
                    return Optional.empty();
                }
                if (!arg.getTypeListAttr().isEmpty()) {
                    var types = node.getAttrOrDefault(arg.getTypeListAttr(), AttrValue.getDefaultInstance()).getList();
                    return index - offset < types.getTypeCount() ? Optional.of(types.getType(index - offset))
                            : Optional.empty();
                }
                if (arg.getType() != DataType.DT_INVALID) {
                    return Optional.of(arg.getType());
                }
                AttrValue type = node.getAttrOrDefault(arg.getTypeAttr(), null);
                return type == null || type.getType() == DataType.DT_INVALID ? Optional.empty()
                        : Optional.of(type.getType());
            }
            offset += length;
        }
        return Optional.empty();
    }

    /** How many flat tensors an argument stands for on this node. */
    static int length(NodeDef node, OpDef.ArgDef arg) {
        if (!arg.getNumberAttr().isEmpty()) {
            return (int) node.getAttrOrDefault(arg.getNumberAttr(), AttrValue.getDefaultInstance()).getI();
        }
        if (!arg.getTypeListAttr().isEmpty()) {
            return node.getAttrOrDefault(arg.getTypeListAttr(), AttrValue.getDefaultInstance()).getList().getTypeCount();
        }
        return 1;
    }
}
