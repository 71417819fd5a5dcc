package org.tensorscope.tensorflow.internal.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorscope.tensorflow.internal.run.TfTensors;

/**
 * Op attributes as short readable text (strides, padding, dtype...), never raw tensor bytes.
 */
final class AttributeSummary {

    private AttributeSummary() {
    }

    static Map<String, String> of(Map<String, AttrValue> attributes) {
        Map<String, String> summary = new TreeMap<>();
        attributes.forEach((name, value) -> {
            if (!name.startsWith("_")) {
                summary.put(name, text(value));
            }
        });
        return summary;
    }

    static String text(AttrValue value) {
        return switch (value.getValueCase()) {
            case S -> value.getS().toStringUtf8();
            case I -> Long.toString(value.getI());
            case F -> Float.toString(value.getF());
            case B -> Boolean.toString(value.getB());
            case TYPE -> type(value.getType());
            case SHAPE -> shape(value.getShape());
            case TENSOR -> "tensor " + type(value.getTensor().getDtype()) + " " + shape(value.getTensor().getTensorShape());
            case FUNC -> "function " + value.getFunc().getName();
            case PLACEHOLDER -> "$" + value.getPlaceholder();
            case LIST -> list(value.getList());
            default -> "";
        };
    }

    private static String list(AttrValue.ListValue list) {
        if (list.getICount() > 0) {
            return list.getIList().stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]"));
        }
        if (list.getFCount() > 0) {
            return list.getFList().stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]"));
        }
        if (list.getSCount() > 0) {
            return list.getSList().stream().map(b -> b.toStringUtf8()).collect(Collectors.joining(", ", "[", "]"));
        }
        if (list.getTypeCount() > 0) {
            return list.getTypeList().stream().map(AttributeSummary::type).collect(Collectors.joining(", ", "[", "]"));
        }
        if (list.getShapeCount() > 0) {
            return list.getShapeList().stream().map(AttributeSummary::shape).collect(Collectors.joining(", ", "[", "]"));
        }
        if (list.getBCount() > 0) {
            return list.getBList().toString();
        }
        return "[]";
    }

    static String type(DataType type) {
        return TfTensors.dtype(type).displayName();
    }

    static String shape(TensorShapeProto shape) {
        if (shape.getUnknownRank()) {
            return "<unknown rank>";
        }
        return shape.getDimList().stream().map(d -> d.getSize() < 0 ? "?" : Long.toString(d.getSize()))
                .collect(Collectors.joining(",", "[", "]"));
    }
}
