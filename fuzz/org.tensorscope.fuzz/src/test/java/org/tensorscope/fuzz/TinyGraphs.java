package org.tensorscope.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.FunctionDefLibrary;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NameAttrList;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

import com.google.protobuf.ByteString;

/**
 * Small GraphDefs written by hand, one per structure the loaders treat apart: a plain layer, a
 * function called through StatefulPartitionedCall, a TF1 while loop (Enter/Merge/Switch/NextIteration),
 * a Fill of a constant shape, and an op the guard flags.
 */
final class TinyGraphs {

    private TinyGraphs() {
    }

    static List<GraphDef> all() {
        return List.of(layer(), functionCall(), whileLoop(), fill(), guarded());
    }

    /** out = relu(x @ w + b). */
    static GraphDef layer() {
        return GraphDef.newBuilder().addNode(placeholder("x", 1, 2)).addNode(constant("w", new long[] { 2, 2 }, 1, 2, 3, 4))
                .addNode(constant("b", new long[] { 2 }, 0.5f, -0.5f))
                .addNode(op("mm", "MatMul", "x", "w").putAttr("transpose_a", bool(false)).putAttr("transpose_b", bool(false)))
                .addNode(op("add", "BiasAdd", "mm", "b")).addNode(op("out", "Relu", "add")).build();
    }

    /** y = f(x) with f(a) = a * 2, called as Python's tf.function saves it. */
    static GraphDef functionCall() {
        FunctionDef f = FunctionDef.newBuilder()
                .setSignature(OpDef.newBuilder().setName("double_fn")
                        .addInputArg(OpDef.ArgDef.newBuilder().setName("a").setType(DataType.DT_FLOAT))
                        .addOutputArg(OpDef.ArgDef.newBuilder().setName("r").setType(DataType.DT_FLOAT)))
                .addNodeDef(constant("two", new long[0], 2f)).addNodeDef(op("mul", "Mul", "a", "two:output:0"))
                .putRet("r", "mul:z:0").build();
        NodeDef call = NodeDef.newBuilder().setName("call").setOp("StatefulPartitionedCall").addInput("x")
                .putAttr("Tin", types(DataType.DT_FLOAT)).putAttr("Tout", types(DataType.DT_FLOAT))
                .putAttr("f", AttrValue.newBuilder().setFunc(NameAttrList.newBuilder().setName("double_fn")).build())
                .putAttr("config", AttrValue.newBuilder().setS(ByteString.EMPTY).build())
                .putAttr("config_proto", AttrValue.newBuilder().setS(ByteString.EMPTY).build())
                .putAttr("executor_type", AttrValue.newBuilder().setS(ByteString.EMPTY).build()).build();
        return GraphDef.newBuilder().addNode(placeholder("x", 2)).addNode(call)
                .addNode(op("out", "Identity", "call")).setLibrary(FunctionDefLibrary.newBuilder().addFunction(f)).build();
    }

    /** i = 0; while i < 5: i = i + 1, as TF1's tf.while_loop writes it. */
    static GraphDef whileLoop() {
        AttrValue frame = AttrValue.newBuilder().setS(ByteString.copyFromUtf8("loop")).build();
        return GraphDef.newBuilder().addNode(intConstant("zero", 0)).addNode(intConstant("five", 5))
                .addNode(intConstant("one", 1))
                .addNode(op("enter", "Enter", "zero", DataType.DT_INT32).putAttr("frame_name", frame))
                .addNode(op("five_in", "Enter", "five", DataType.DT_INT32).putAttr("frame_name", frame)
                        .putAttr("is_constant", bool(true)))
                .addNode(op("one_in", "Enter", "one", DataType.DT_INT32).putAttr("frame_name", frame)
                        .putAttr("is_constant", bool(true)))
                .addNode(op("merge", "Merge", List.of("enter", "next"), DataType.DT_INT32).putAttr("N", integer(2)))
                .addNode(op("less", "Less", List.of("merge", "five_in"), DataType.DT_INT32))
                .addNode(NodeDef.newBuilder().setName("cond").setOp("LoopCond").addInput("less"))
                .addNode(op("switch", "Switch", List.of("merge", "cond"), DataType.DT_INT32))
                .addNode(op("body", "Identity", List.of("switch:1"), DataType.DT_INT32))
                .addNode(op("add", "AddV2", List.of("body", "one_in"), DataType.DT_INT32))
                .addNode(op("next", "NextIteration", List.of("add"), DataType.DT_INT32))
                .addNode(op("exit", "Exit", List.of("switch"), DataType.DT_INT32)).build();
    }

    /** out = x + fill([2, 3], 1). */
    static GraphDef fill() {
        TensorProto dims = TensorProto.newBuilder().setDtype(DataType.DT_INT32)
                .setTensorShape(shape(2)).addIntVal(2).addIntVal(3).build();
        return GraphDef.newBuilder().addNode(placeholder("x", 2, 3))
                .addNode(NodeDef.newBuilder().setName("dims").setOp("Const").putAttr("dtype", type(DataType.DT_INT32))
                        .putAttr("value", AttrValue.newBuilder().setTensor(dims).build()))
                .addNode(constant("one", new long[0], 1f)).addNode(op("fill", "Fill", "dims", "one")
                        .putAttr("index_type", type(DataType.DT_INT32)))
                .addNode(op("out", "AddV2", "x", "fill")).build();
    }

    /** A WriteFile beside the computation: the guard must list it, loading must not run it. */
    static GraphDef guarded() {
        TensorProto name = TensorProto.newBuilder().setDtype(DataType.DT_STRING).addStringVal(ByteString.copyFromUtf8("out.txt"))
                .build();
        return GraphDef.newBuilder().addNode(placeholder("x", 2))
                .addNode(NodeDef.newBuilder().setName("file").setOp("Const").putAttr("dtype", type(DataType.DT_STRING))
                        .putAttr("value", AttrValue.newBuilder().setTensor(name).build()))
                .addNode(NodeDef.newBuilder().setName("write").setOp("WriteFile").addInput("file").addInput("file"))
                .addNode(op("out", "Neg", "x")).build();
    }

    private static NodeDef placeholder(String name, long... dims) {
        return NodeDef.newBuilder().setName(name).setOp("Placeholder").putAttr("dtype", type(DataType.DT_FLOAT))
                .putAttr("shape", AttrValue.newBuilder().setShape(shape(dims)).build()).build();
    }

    private static NodeDef constant(String name, long[] dims, float... values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            bytes.putFloat(v);
        }
        TensorProto value = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape(dims))
                .setTensorContent(ByteString.copyFrom(bytes.array())).build();
        return NodeDef.newBuilder().setName(name).setOp("Const").putAttr("dtype", type(DataType.DT_FLOAT))
                .putAttr("value", AttrValue.newBuilder().setTensor(value).build()).build();
    }

    private static NodeDef intConstant(String name, int value) {
        TensorProto tensor = TensorProto.newBuilder().setDtype(DataType.DT_INT32).setTensorShape(shape()).addIntVal(value)
                .build();
        return NodeDef.newBuilder().setName(name).setOp("Const").putAttr("dtype", type(DataType.DT_INT32))
                .putAttr("value", AttrValue.newBuilder().setTensor(tensor).build()).build();
    }

    private static NodeDef.Builder op(String name, String type, String... inputs) {
        return op(name, type, List.of(inputs), DataType.DT_FLOAT);
    }

    private static NodeDef.Builder op(String name, String type, String input, DataType t) {
        return op(name, type, List.of(input), t);
    }

    private static NodeDef.Builder op(String name, String type, List<String> inputs, DataType t) {
        return NodeDef.newBuilder().setName(name).setOp(type).addAllInput(inputs).putAttr("T", type(t));
    }

    private static TensorShapeProto shape(long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
        }
        return shape.build();
    }

    private static AttrValue type(DataType t) {
        return AttrValue.newBuilder().setType(t).build();
    }

    private static AttrValue types(DataType t) {
        return AttrValue.newBuilder().setList(AttrValue.ListValue.newBuilder().addType(t)).build();
    }

    private static AttrValue bool(boolean b) {
        return AttrValue.newBuilder().setB(b).build();
    }

    private static AttrValue integer(long i) {
        return AttrValue.newBuilder().setI(i).build();
    }
}
