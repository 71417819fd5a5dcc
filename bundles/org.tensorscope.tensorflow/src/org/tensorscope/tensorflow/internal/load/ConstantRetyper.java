package org.tensorscope.tensorflow.internal.load;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;

import com.google.protobuf.ByteString;

/**
 * Gives a constant the dtype its consumers expect when the file stores it as another one. The
 * TF.js converter writes some weights as float32 although the op reading them works in float64
 * (TF.js has no float64 and computes them in float32); TensorFlow refuses such a graph. The value
 * is converted as a Cast would (float to integer truncates toward zero).
 */
final class ConstantRetyper {

    private static final Set<DataType> CONVERTIBLE = Set.of(DataType.DT_FLOAT, DataType.DT_DOUBLE, DataType.DT_HALF,
            DataType.DT_INT32, DataType.DT_INT64, DataType.DT_INT16, DataType.DT_INT8, DataType.DT_UINT8,
            DataType.DT_BOOL);

    private ConstantRetyper() {
    }

    /** The graph with every constant retyped to what all its consumers expect; the names of those retyped. */
    static Retyped retype(GraphDef graph) {
        Map<String, Set<DataType>> expected = new HashMap<>();
        for (NodeDef node : graph.getNodeList()) {
            int index = 0;
            for (String input : node.getInputList()) {
                if (input.startsWith("^")) {
                    continue;
                }
                int at = index++;
                String producer = input.split(":")[0];
                if (input.indexOf(':') > 0 && !input.endsWith(":0")) {
                    continue;
                }
                OpDefs.expectedInputType(node, at)
                        .ifPresent(type -> expected.computeIfAbsent(producer, k -> new HashSet<>()).add(type));
            }
        }
        GraphDef.Builder out = graph.toBuilder().clearNode();
        List<String> retyped = new ArrayList<>();
        for (NodeDef node : graph.getNodeList()) {
            Set<DataType> wanted = expected.get(node.getName());
            TensorProto value = node.getOp().equals("Const") && node.containsAttr("value")
                    ? node.getAttrOrThrow("value").getTensor()
                    : null;
            if (value != null && wanted != null && wanted.size() == 1) {
                DataType target = wanted.iterator().next();
                if (target != value.getDtype()) {
                    Optional<TensorProto> converted = convert(value, target);
                    if (converted.isPresent()) {
                        out.addNode(node.toBuilder()
                                .putAttr("value", AttrValue.newBuilder().setTensor(converted.get()).build())
                                .putAttr("dtype", AttrValue.newBuilder().setType(target).build()).build());
                        retyped.add(node.getName());
                        continue;
                    }
                }
            }
            out.addNode(node);
        }
        return new Retyped(out.build(), retyped);
    }

    record Retyped(GraphDef graph, List<String> constants) {
    }

    /** The value converted to another numeric dtype; empty for types that cannot be converted. */
    static Optional<TensorProto> convert(TensorProto value, DataType target) {
        if (!CONVERTIBLE.contains(value.getDtype()) || !CONVERTIBLE.contains(target)) {
            return Optional.empty();
        }
        double[] values = values(value);
        int size = ConstValues.byteSize(target);
        ByteBuffer out = ByteBuffer.allocate(values.length * size).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            switch (target) {
                case DT_FLOAT -> out.putFloat((float) v);
                case DT_DOUBLE -> out.putDouble(v);
                case DT_HALF -> out.putShort(Float.floatToFloat16((float) v));
                case DT_INT32 -> out.putInt((int) v);
                case DT_INT64 -> out.putLong((long) v);
                case DT_INT16 -> out.putShort((short) (long) v);
                case DT_INT8, DT_UINT8 -> out.put((byte) (long) v);
                default -> out.put((byte) (v != 0 ? 1 : 0));
            }
        }
        return Optional.of(TensorProto.newBuilder().setDtype(target).setTensorShape(value.getTensorShape())
                .setTensorContent(ByteString.copyFrom(out.array())).build());
    }

    /** Every element as a double, with a single listed value repeated over the shape. */
    private static double[] values(TensorProto value) {
        long elements = ConstValues.elements(value.getTensorShape());
        ByteBuffer content = value.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        double[] values = new double[Math.toIntExact(elements)];
        if (content.remaining() > 0) {
            for (int i = 0; i < values.length; i++) {
                values[i] = switch (value.getDtype()) {
                    case DT_FLOAT -> content.getFloat(i * 4);
                    case DT_DOUBLE -> content.getDouble(i * 8);
                    case DT_HALF -> Float.float16ToFloat(content.getShort(i * 2));
                    case DT_INT32 -> content.getInt(i * 4);
                    case DT_INT64 -> content.getLong(i * 8);
                    case DT_INT16 -> content.getShort(i * 2);
                    case DT_INT8 -> content.get(i);
                    case DT_UINT8 -> content.get(i) & 0xff;
                    default -> content.get(i) != 0 ? 1 : 0;
                };
            }
            return values;
        }
        List<Double> listed = new ArrayList<>();
        switch (value.getDtype()) {
            case DT_FLOAT -> value.getFloatValList().forEach(v -> listed.add((double) v));
            case DT_DOUBLE -> listed.addAll(value.getDoubleValList());
            case DT_HALF -> value.getHalfValList().forEach(v -> listed.add((double) Float.float16ToFloat(v.shortValue())));
            case DT_INT64 -> value.getInt64ValList().forEach(v -> listed.add((double) v));
            case DT_BOOL -> value.getBoolValList().forEach(v -> listed.add(v ? 1.0 : 0.0));
            default -> value.getIntValList().forEach(v -> listed.add((double) v));
        }
        for (int i = 0; i < values.length && !listed.isEmpty(); i++) {
            values[i] = listed.get(Math.min(i, listed.size() - 1));
        }
        return values;
    }
}
