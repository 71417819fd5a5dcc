package org.tensorscope.onnx.tests;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Small ONNX models with a known NaN or infinity origin, written at the protobuf wire level
 * (field numbers of onnx.proto), opset 13, float32 tensors of rank 1 unless said otherwise. The
 * same builder writes the subgraphs of If and Loop nodes.
 */
final class TinyOnnxModels {

    static final int FLOAT = 1;
    static final int INT64 = 7;
    static final int BOOL = 9;
    private static final int ATTRIBUTE_INT = 2;
    private static final int ATTRIBUTE_GRAPH = 5;
    private static final int ATTRIBUTE_INTS = 7;

    private final List<ProtoWriter> nodes = new ArrayList<>();
    private final List<ProtoWriter> initializers = new ArrayList<>();
    private final List<ProtoWriter> inputs = new ArrayList<>();
    private final List<ProtoWriter> outputs = new ArrayList<>();

    /** A node attribute: an integer or a graph. */
    record Attribute(ProtoWriter proto) {

        static Attribute integer(String name, long value) {
            return new Attribute(new ProtoWriter().string(1, name).varint(3, value).varint(20, ATTRIBUTE_INT));
        }

        static Attribute ints(String name, long... values) {
            ProtoWriter attribute = new ProtoWriter().string(1, name);
            for (long v : values) {
                attribute.varint(8, v);
            }
            return new Attribute(attribute.varint(20, ATTRIBUTE_INTS));
        }

        static Attribute graph(String name, TinyOnnxModels graph) {
            return new Attribute(new ProtoWriter().string(1, name).message(6, graph.graph(name))
                    .varint(20, ATTRIBUTE_GRAPH));
        }
    }

    TinyOnnxModels input(String name, long size) {
        inputs.add(valueInfo(name, FLOAT, size));
        return this;
    }

    /** An input of any element type; no dimensions makes a scalar. */
    TinyOnnxModels typedInput(String name, int elemType, long... dims) {
        inputs.add(valueInfo(name, elemType, dims));
        return this;
    }

    TinyOnnxModels output(String name, long size) {
        outputs.add(valueInfo(name, FLOAT, size));
        return this;
    }

    /** An output of any element type; no dimensions makes a scalar. */
    TinyOnnxModels typedOutput(String name, int elemType, long... dims) {
        outputs.add(valueInfo(name, elemType, dims));
        return this;
    }

    /** An output whose shape the file leaves unknown. */
    TinyOnnxModels outputOfUnknownShape(String name, int elemType) {
        outputs.add(valueInfoOfUnknownShape(name, elemType));
        return this;
    }

    /** A float input of rank 1 whose dimension is symbolic, named {@code dimension}. */
    TinyOnnxModels inputOfNamedSize(String name, String dimension) {
        ProtoWriter shape = new ProtoWriter().message(1, new ProtoWriter().string(2, dimension));
        ProtoWriter tensorType = new ProtoWriter().varint(1, FLOAT).message(2, shape);
        inputs.add(new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType)));
        return this;
    }

    /** An input whose shape the file leaves unknown. */
    TinyOnnxModels inputOfUnknownShape(String name, int elemType) {
        inputs.add(valueInfoOfUnknownShape(name, elemType));
        return this;
    }

    TinyOnnxModels node(String name, String opType, List<String> in, String out) {
        return node(name, opType, in, List.of(out));
    }

    TinyOnnxModels node(String name, String opType, List<String> in, List<String> out, Attribute... attributes) {
        ProtoWriter node = new ProtoWriter();
        in.forEach(i -> node.string(1, i));
        out.forEach(o -> node.string(2, o));
        node.string(3, name).string(4, opType);
        for (Attribute attribute : attributes) {
            node.message(5, attribute.proto());
        }
        nodes.add(node);
        return this;
    }

    /** A node of an operator set other than the default one ("com.example.io"). */
    TinyOnnxModels customNode(String name, String domain, String opType, List<String> in, String out) {
        ProtoWriter node = new ProtoWriter();
        in.forEach(i -> node.string(1, i));
        node.string(2, out).string(3, name).string(4, opType).string(7, domain);
        nodes.add(node);
        return this;
    }

    /** A Constant node whose value attribute holds the given floats. */
    TinyOnnxModels constant(String name, String out, float... values) {
        ProtoWriter attribute = new ProtoWriter().string(1, "value").message(5, tensor("", values))
                .varint(20, 4 /* AttributeType TENSOR */);
        nodes.add(new ProtoWriter().string(2, out).string(3, name).string(4, "Constant").message(5, attribute));
        return this;
    }

    TinyOnnxModels initializer(String name, float... values) {
        initializers.add(tensor(name, values));
        return this;
    }

    /** A float initializer of rank 0. */
    TinyOnnxModels scalarInitializer(String name, float value) {
        ByteBuffer raw = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(0, value);
        initializers.add(new ProtoWriter().varint(2, FLOAT).string(8, name).bytes(9, raw.array()));
        return this;
    }

    /** An int64 initializer of rank 0. */
    TinyOnnxModels int64Initializer(String name, long value) {
        ByteBuffer raw = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value);
        initializers.add(new ProtoWriter().varint(2, INT64).string(8, name).bytes(9, raw.array()));
        return this;
    }

    /** A float initializer of any shape. */
    TinyOnnxModels initializer(String name, long[] dims, float... values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        ProtoWriter tensor = new ProtoWriter();
        for (long d : dims) {
            tensor.varint(1, d);
        }
        initializers.add(tensor.varint(2, FLOAT).string(8, name).bytes(9, raw.array()));
        return this;
    }

    /** A float initializer whose values an ONNX external data entry says are in another file. */
    TinyOnnxModels externalInitializer(String name, long size, String location) {
        initializers.add(new ProtoWriter().varint(1, size).varint(2, FLOAT).string(8, name)
                .message(13, new ProtoWriter().string(1, "location").string(2, location))
                .message(13, new ProtoWriter().string(1, "length").string(2, Long.toString(size * 4)))
                .varint(14, 1 /* EXTERNAL */));
        return this;
    }

    /** A float initializer of rank 1 whose values are written, wrongly, in int64_data (field 7). */
    TinyOnnxModels floatInitializerInInt64Data(String name, long... values) {
        ProtoWriter tensor = new ProtoWriter().varint(1, values.length).varint(2, FLOAT).string(8, name);
        for (long v : values) {
            tensor.varint(7, v);
        }
        initializers.add(tensor);
        return this;
    }

    /** An int64 initializer of rank 1. */
    TinyOnnxModels int64Vector(String name, long... values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(values);
        initializers.add(new ProtoWriter().varint(1, values.length).varint(2, INT64).string(8, name).bytes(9, raw.array()));
        return this;
    }

    Path write(Path folder, String name) throws IOException {
        byte[] model = new ProtoWriter().varint(1, 8).string(2, "tensorscope tests").message(7, graph(name))
                .message(8, new ProtoWriter().string(1, "").varint(2, 13)).toBytes();
        Path file = folder.resolve(name + ".onnx");
        Files.write(file, model);
        return file;
    }

    private ProtoWriter graph(String name) {
        ProtoWriter graph = new ProtoWriter();
        nodes.forEach(n -> graph.message(1, n));
        graph.string(2, name);
        initializers.forEach(t -> graph.message(5, t));
        inputs.forEach(i -> graph.message(11, i));
        outputs.forEach(o -> graph.message(12, o));
        return graph;
    }

    private static ProtoWriter tensor(String name, float... values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        return new ProtoWriter().varint(1, values.length).varint(2, FLOAT).string(8, name).bytes(9, raw.array());
    }

    private static ProtoWriter valueInfoOfUnknownShape(String name, int elemType) {
        ProtoWriter tensorType = new ProtoWriter().varint(1, elemType);
        return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
    }

    private static ProtoWriter valueInfo(String name, int elemType, long... dims) {
        ProtoWriter shape = new ProtoWriter();
        for (long d : dims) {
            shape.message(1, new ProtoWriter().varint(1, d));
        }
        ProtoWriter tensorType = new ProtoWriter().varint(1, elemType).message(2, shape);
        return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
    }
}
