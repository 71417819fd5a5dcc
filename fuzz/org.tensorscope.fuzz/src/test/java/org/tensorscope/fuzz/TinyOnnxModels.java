package org.tensorscope.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Small ONNX models written at the protobuf wire level (field numbers of onnx.proto): an
 * initializer and a Constant node, an If whose branches are subgraphs, a Loop, and a node of a
 * custom domain.
 */
final class TinyOnnxModels {

    private static final int FLOAT = 1;
    private static final int INT64 = 7;
    private static final int BOOL = 9;

    private TinyOnnxModels() {
    }

    static List<byte[]> all() {
        ProtoWriter relu = graph("relu", List.of(node("add", "Add", List.of("x", "w"), "s"), node("relu", "Relu", List.of("s"), "y"),
                constantNode("c", "k", 2f), node("mul", "Mul", List.of("y", "k"), "z")),
                List.of(floats("w", new long[] { 4 }, 1, -2, 3, -4)), List.of(value("x", FLOAT, 4)), List.of(value("z", FLOAT, 4)));
        ProtoWriter then = graph("then", List.of(node("neg", "Neg", List.of("x"), "t")), List.of(), List.of(),
                List.of(value("t", FLOAT, 4)));
        ProtoWriter otherwise = graph("else", List.of(node("abs", "Abs", List.of("x"), "e")), List.of(), List.of(),
                List.of(value("e", FLOAT, 4)));
        ProtoWriter branch = graph("if", List.of(node("if", "If", List.of("flag"), "y", graphAttribute("then_branch", then),
                graphAttribute("else_branch", otherwise))), List.of(),
                List.of(value("x", FLOAT, 4), value("flag", BOOL)), List.of(value("y", FLOAT, 4)));
        ProtoWriter body = graph("body", List.of(node("inc", "Add", List.of("v_in", "v_in"), "v_out"),
                node("keep", "Identity", List.of("c_in"), "c_out")), List.of(),
                List.of(value("i", INT64), value("c_in", BOOL), value("v_in", FLOAT, 4)),
                List.of(value("c_out", BOOL), value("v_out", FLOAT, 4)));
        ProtoWriter loop = graph("loop", List.of(node("loop", "Loop", List.of("trips", "go", "x"), "y",
                graphAttribute("body", body))), List.of(int64("trips", 3)),
                List.of(value("x", FLOAT, 4), value("go", BOOL)), List.of(value("y", FLOAT, 4)));
        ProtoWriter custom = graph("custom", List.of(node("mine", "Mystery", List.of("x"), "y").string(7, "com.example.io")),
                List.of(), List.of(value("x", FLOAT, 4)), List.of(value("y", FLOAT, 4)));
        return List.of(model(relu), model(branch), model(loop), model(custom));
    }

    private static byte[] model(ProtoWriter graph) {
        return new ProtoWriter().varint(1, 8).string(2, "tensorscope fuzz seeds").message(7, graph)
                .message(8, new ProtoWriter().string(1, "").varint(2, 13)).toBytes();
    }

    private static ProtoWriter graph(String name, List<ProtoWriter> nodes, List<ProtoWriter> initializers,
            List<ProtoWriter> inputs, List<ProtoWriter> outputs) {
        ProtoWriter graph = new ProtoWriter();
        nodes.forEach(n -> graph.message(1, n));
        graph.string(2, name);
        initializers.forEach(t -> graph.message(5, t));
        inputs.forEach(i -> graph.message(11, i));
        outputs.forEach(o -> graph.message(12, o));
        return graph;
    }

    private static ProtoWriter node(String name, String type, List<String> inputs, String output, ProtoWriter... attributes) {
        ProtoWriter node = new ProtoWriter();
        inputs.forEach(i -> node.string(1, i));
        node.string(2, output).string(3, name).string(4, type);
        for (ProtoWriter attribute : attributes) {
            node.message(5, attribute);
        }
        return node;
    }

    private static ProtoWriter graphAttribute(String name, ProtoWriter graph) {
        return new ProtoWriter().string(1, name).message(6, graph).varint(20, 5 /* GRAPH */);
    }

    private static ProtoWriter constantNode(String name, String output, float value) {
        ProtoWriter attribute = new ProtoWriter().string(1, "value").message(5, floats("", new long[0], value))
                .varint(20, 4 /* TENSOR */);
        return new ProtoWriter().string(2, output).string(3, name).string(4, "Constant").message(5, attribute);
    }

    private static ProtoWriter floats(String name, long[] dims, float... values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        ProtoWriter tensor = new ProtoWriter();
        for (long d : dims) {
            tensor.varint(1, d);
        }
        return tensor.varint(2, FLOAT).string(8, name).bytes(9, raw.array());
    }

    private static ProtoWriter int64(String name, long value) {
        return new ProtoWriter().varint(2, INT64).string(8, name)
                .bytes(9, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
    }

    private static ProtoWriter value(String name, int elemType, long... dims) {
        ProtoWriter shape = new ProtoWriter();
        for (long d : dims) {
            shape.message(1, new ProtoWriter().varint(1, d));
        }
        ProtoWriter tensorType = new ProtoWriter().varint(1, elemType).message(2, shape);
        return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
    }
}
