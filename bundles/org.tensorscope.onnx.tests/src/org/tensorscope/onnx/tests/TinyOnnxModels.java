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
 * (field numbers of onnx.proto), opset 13, float32 tensors of rank 1.
 */
final class TinyOnnxModels {

    private static final int FLOAT = 1;

    private final List<ProtoWriter> nodes = new ArrayList<>();
    private final List<ProtoWriter> initializers = new ArrayList<>();
    private final List<ProtoWriter> inputs = new ArrayList<>();
    private final List<ProtoWriter> outputs = new ArrayList<>();

    TinyOnnxModels input(String name, long size) {
        inputs.add(valueInfo(name, size));
        return this;
    }

    TinyOnnxModels output(String name, long size) {
        outputs.add(valueInfo(name, size));
        return this;
    }

    TinyOnnxModels node(String name, String opType, List<String> in, String out) {
        ProtoWriter node = new ProtoWriter();
        in.forEach(i -> node.string(1, i));
        node.string(2, out).string(3, name).string(4, opType);
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

    Path write(Path folder, String name) throws IOException {
        ProtoWriter graph = new ProtoWriter();
        nodes.forEach(n -> graph.message(1, n));
        graph.string(2, name);
        initializers.forEach(t -> graph.message(5, t));
        inputs.forEach(i -> graph.message(11, i));
        outputs.forEach(o -> graph.message(12, o));
        byte[] model = new ProtoWriter().varint(1, 8).string(2, "tensorscope tests").message(7, graph)
                .message(8, new ProtoWriter().string(1, "").varint(2, 13)).toBytes();
        Path file = folder.resolve(name + ".onnx");
        Files.write(file, model);
        return file;
    }

    private static ProtoWriter tensor(String name, float... values) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        return new ProtoWriter().varint(1, values.length).varint(2, FLOAT).string(8, name).bytes(9, raw.array());
    }

    private static ProtoWriter valueInfo(String name, long size) {
        ProtoWriter shape = new ProtoWriter().message(1, new ProtoWriter().varint(1, size));
        ProtoWriter tensorType = new ProtoWriter().varint(1, FLOAT).message(2, shape);
        return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
    }
}
