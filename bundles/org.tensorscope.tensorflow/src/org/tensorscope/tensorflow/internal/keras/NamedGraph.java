package org.tensorscope.tensorflow.internal.keras;

import java.util.HashSet;
import java.util.Set;

import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.OperationBuilder;
import org.tensorflow.Output;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;

/**
 * A TensorFlow graph whose ops get exactly the names given ({@code conv2d_3/Conv2D}), made unique with a
 * suffix when a name is taken; static shapes are known as soon as an op is added.
 */
final class NamedGraph {

    private final Graph graph;
    private final Set<String> names = new HashSet<>();
    private final java.util.Map<String, Output<?>> shared = new java.util.HashMap<>();

    NamedGraph(Graph graph) {
        this.graph = graph;
    }

    Graph graph() {
        return graph;
    }

    /** An op under construction; {@link #out()} adds it. */
    final class Op {
        private final OperationBuilder builder;

        private Op(String type, String name) {
            this.builder = graph.opBuilder(type, unique(name), graph.baseScope());
        }

        Op in(Output<?> input) {
            builder.addInput(input);
            return this;
        }

        Op inList(Output<?>... inputs) {
            builder.addInputList(inputs);
            return this;
        }

        Op attr(String key, long[] value) {
            builder.setAttr(key, value);
            return this;
        }

        Op attr(String key, long value) {
            builder.setAttr(key, value);
            return this;
        }

        Op attr(String key, String value) {
            builder.setAttr(key, value);
            return this;
        }

        Op attr(String key, float value) {
            builder.setAttr(key, value);
            return this;
        }

        Op attr(String key, boolean value) {
            builder.setAttr(key, value);
            return this;
        }

        Op attr(String key, DataType value) {
            builder.setAttr(key, value);
            return this;
        }

        Op attr(String key, AttrValue value) {
            builder.setAttr(key, value);
            return this;
        }

        GraphOperation build() {
            return (GraphOperation) builder.build();
        }

        Output<?> out() {
            return build().output(0);
        }
    }

    Op op(String type, String name) {
        return new Op(type, name);
    }

    private String unique(String name) {
        String candidate = name;
        for (int k = 1; !names.add(candidate) || graph.operation(candidate) != null; k++) {
            candidate = name + "_" + k;
        }
        return candidate;
    }

    /** The op made for this key the first time (a shared layer's weights, made once for all its calls). */
    Output<?> once(String key, java.util.function.Supplier<Output<?>> make) {
        Output<?> made = shared.get(key);
        if (made == null) {
            made = make.get();
            shared.put(key, made);
        }
        return made;
    }

    Output<?> constant(String name, TensorProto value) {
        return op("Const", name).attr("value", AttrValue.newBuilder().setTensor(value).build())
                .attr("dtype", value.getDtype()).out();
    }

    Output<?> floats(String name, long[] shape, float... values) {
        TensorProto.Builder proto = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(ProtoShapes.of(shape));
        for (float v : values) {
            proto.addFloatVal(v);
        }
        return constant(name, proto.build());
    }

    Output<?> scalar(String name, float value) {
        return floats(name, new long[0], value);
    }

    Output<?> ints(String name, long... values) {
        TensorProto.Builder proto = TensorProto.newBuilder().setDtype(DataType.DT_INT32)
                .setTensorShape(ProtoShapes.of(new long[] { values.length }));
        for (long v : values) {
            proto.addIntVal((int) v);
        }
        return constant(name, proto.build());
    }

    Output<?> intScalar(String name, long value) {
        return constant(name, TensorProto.newBuilder().setDtype(DataType.DT_INT32).setTensorShape(ProtoShapes.of(new long[0]))
                .addIntVal((int) value).build());
    }

    /** The static shape, -1 for unknown dimensions; null when even the rank is unknown. */
    static long[] dims(Output<?> output) {
        org.tensorflow.ndarray.Shape shape = output.shape();
        return shape.isUnknown() ? null : shape.asArray();
    }
}
