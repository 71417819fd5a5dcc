package org.tensorscope.tensorflow.tests;

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

/**
 * TF2-style graphs written by hand as protobufs, as Python's tf.function saves them: the graph calls
 * a library function through StatefulPartitionedCall, and the function holds functional control flow
 * (StatelessIf, StatelessWhile) whose branches and bodies are functions of the library too.
 */
final class FunctionalModels {

    private FunctionalModels() {
    }

    /**
     * out = f(x, flag) + 0 where f(x, flag) = (flag ? x * 1e30 : -x) + 1: the overflow is in the then
     * branch, op "call/cond/then/scale".
     */
    static GraphDef statelessIfInFunction() {
        FunctionDef then = function("then_fn", List.of(arg("a", DataType.DT_FLOAT)), List.of(arg("r", DataType.DT_FLOAT)),
                List.of(constant("big", 1e30f), op("scale", "Mul", "a", "big")), "scale:z:0");
        FunctionDef otherwise = function("else_fn", List.of(arg("a", DataType.DT_FLOAT)),
                List.of(arg("r", DataType.DT_FLOAT)), List.of(op("negate", "Neg", "a")), "negate:y:0");
        NodeDef cond = NodeDef.newBuilder().setName("cond").setOp("StatelessIf").addInput("flag").addInput("x")
                .putAttr("Tcond", type(DataType.DT_BOOL)).putAttr("Tin", types(DataType.DT_FLOAT))
                .putAttr("Tout", types(DataType.DT_FLOAT)).putAttr("then_branch", func("then_fn"))
                .putAttr("else_branch", func("else_fn")).build();
        FunctionDef outer = function("outer_fn", List.of(arg("x", DataType.DT_FLOAT), arg("flag", DataType.DT_BOOL)),
                List.of(arg("y", DataType.DT_FLOAT)), List.of(cond, constant("one", 1f), op("plus_one", "AddV2", "cond:output:0", "one")),
                "plus_one:z:0");
        return graph(List.of(then, otherwise, outer), "outer_fn", List.of(DataType.DT_FLOAT, DataType.DT_BOOL),
                List.of("x", "flag"));
    }

    /**
     * out = f(x, k) where f runs branch k of a Case: x * 2, x * 1e30 (op "scale", overflowing for x = 1e10)
     * or -x; an index out of range runs the last branch, as Case does.
     */
    static GraphDef caseInFunction() {
        List<OpDef.ArgDef> in = List.of(arg("a", DataType.DT_FLOAT));
        List<OpDef.ArgDef> out = List.of(arg("r", DataType.DT_FLOAT));
        FunctionDef twice = function("twice_fn", in, out, List.of(constant("two", 2f), op("double", "Mul", "a", "two")),
                "double:z:0");
        FunctionDef huge = function("huge_fn", in, out, List.of(constant("big", 1e30f), op("scale", "Mul", "a", "big")),
                "scale:z:0");
        FunctionDef negate = function("negate_fn", in, out, List.of(op("negate", "Neg", "a")), "negate:y:0");
        NodeDef cases = NodeDef.newBuilder().setName("case").setOp("Case").addInput("k").addInput("x")
                .putAttr("Tin", types(DataType.DT_FLOAT)).putAttr("Tout", types(DataType.DT_FLOAT))
                .putAttr("branches", AttrValue.newBuilder().setList(AttrValue.ListValue.newBuilder()
                        .addFunc(NameAttrList.newBuilder().setName("twice_fn"))
                        .addFunc(NameAttrList.newBuilder().setName("huge_fn"))
                        .addFunc(NameAttrList.newBuilder().setName("negate_fn"))).build())
                .build();
        FunctionDef outer = function("outer_fn", List.of(arg("x", DataType.DT_FLOAT), arg("k", DataType.DT_INT32)),
                List.of(arg("y", DataType.DT_FLOAT)), List.of(cases, op("result", "Identity", "case:output:0")),
                "result:output:0");
        return graph(List.of(twice, huge, negate, outer), "outer_fn", List.of(DataType.DT_FLOAT, DataType.DT_INT32),
                List.of("x", "k"));
    }

    /**
     * out = f(x): a StatelessWhile that multiplies x by 1e10 five times (i from 0 to 4); with x = 1 the
     * product overflows at iteration 3, in op "call/loop/body/scale".
     */
    static GraphDef statelessWhileInFunction() {
        FunctionDef cond = function("cond_fn", List.of(arg("i", DataType.DT_INT32), arg("v", DataType.DT_FLOAT)),
                List.of(arg("go", DataType.DT_BOOL)), List.of(intConstant("five", 5), op("less", "Less", "i", "five", DataType.DT_INT32)),
                "less:z:0");
        FunctionDef body = function("body_fn", List.of(arg("i", DataType.DT_INT32), arg("v", DataType.DT_FLOAT)),
                List.of(arg("i_next", DataType.DT_INT32), arg("v_next", DataType.DT_FLOAT)),
                List.of(intConstant("step", 1), op("count", "AddV2", "i", "step", DataType.DT_INT32), constant("factor", 1e10f),
                        op("scale", "Mul", "v", "factor")),
                "count:z:0", "scale:z:0");
        NodeDef loop = NodeDef.newBuilder().setName("loop").setOp("StatelessWhile").addInput("zero").addInput("x")
                .putAttr("T", types(DataType.DT_INT32, DataType.DT_FLOAT)).putAttr("cond", func("cond_fn"))
                .putAttr("body", func("body_fn")).putAttr("parallel_iterations", AttrValue.newBuilder().setI(10).build())
                .build();
        FunctionDef outer = function("outer_fn", List.of(arg("x", DataType.DT_FLOAT)), List.of(arg("y", DataType.DT_FLOAT)),
                List.of(intConstant("zero", 0), loop, op("result", "Identity", "loop:output:1")), "result:output:0");
        return graph(List.of(cond, body, outer), "outer_fn", List.of(DataType.DT_FLOAT), List.of("x"));
    }

    /**
     * out = f(x): an outer StatelessWhile of 3 iterations whose body runs an inner StatelessWhile of 2
     * iterations multiplying by 1e10 (op "call/outer/body/inner/body/scale"). With x = 1 the products
     * are 1e10, 1e20 (outer iteration 0), 1e30 and then +Inf at inner iteration 1 of outer iteration 1.
     */
    static GraphDef nestedWhileInFunction() {
        FunctionDef innerCond = function("inner_cond", List.of(arg("j", DataType.DT_INT32), arg("w", DataType.DT_FLOAT)),
                List.of(arg("go", DataType.DT_BOOL)), List.of(intConstant("two", 2), op("less", "Less", "j", "two", DataType.DT_INT32)),
                "less:z:0");
        FunctionDef innerBody = function("inner_body", List.of(arg("j", DataType.DT_INT32), arg("w", DataType.DT_FLOAT)),
                List.of(arg("j_next", DataType.DT_INT32), arg("w_next", DataType.DT_FLOAT)),
                List.of(intConstant("step", 1), op("count", "AddV2", "j", "step", DataType.DT_INT32), constant("factor", 1e10f),
                        op("scale", "Mul", "w", "factor")),
                "count:z:0", "scale:z:0");
        FunctionDef outerCond = function("outer_cond", List.of(arg("i", DataType.DT_INT32), arg("v", DataType.DT_FLOAT)),
                List.of(arg("go", DataType.DT_BOOL)), List.of(intConstant("three", 3), op("less", "Less", "i", "three", DataType.DT_INT32)),
                "less:z:0");
        NodeDef inner = NodeDef.newBuilder().setName("inner").setOp("StatelessWhile").addInput("zero").addInput("v")
                .putAttr("T", types(DataType.DT_INT32, DataType.DT_FLOAT)).putAttr("cond", func("inner_cond"))
                .putAttr("body", func("inner_body")).build();
        FunctionDef outerBody = function("outer_body", List.of(arg("i", DataType.DT_INT32), arg("v", DataType.DT_FLOAT)),
                List.of(arg("i_next", DataType.DT_INT32), arg("v_next", DataType.DT_FLOAT)),
                List.of(intConstant("step", 1), op("count", "AddV2", "i", "step", DataType.DT_INT32), intConstant("zero", 0), inner),
                "count:z:0", "inner:output:1");
        NodeDef outer = NodeDef.newBuilder().setName("outer").setOp("StatelessWhile").addInput("zero").addInput("x")
                .putAttr("T", types(DataType.DT_INT32, DataType.DT_FLOAT)).putAttr("cond", func("outer_cond"))
                .putAttr("body", func("outer_body")).build();
        FunctionDef main = function("outer_fn", List.of(arg("x", DataType.DT_FLOAT)), List.of(arg("y", DataType.DT_FLOAT)),
                List.of(intConstant("zero", 0), outer, op("result", "Identity", "outer:output:1")), "result:output:0");
        return graph(List.of(innerCond, innerBody, outerCond, outerBody, main), "outer_fn", List.of(DataType.DT_FLOAT),
                List.of("x"));
    }

    private static GraphDef graph(List<FunctionDef> functions, String called, List<DataType> inputTypes,
            List<String> inputs) {
        GraphDef.Builder graph = GraphDef.newBuilder()
                .setLibrary(FunctionDefLibrary.newBuilder().addAllFunction(functions));
        NodeDef.Builder call = NodeDef.newBuilder().setName("call").setOp("StatefulPartitionedCall")
                .putAttr("f", func(called)).putAttr("Tin", types(inputTypes.toArray(DataType[]::new)))
                .putAttr("Tout", types(DataType.DT_FLOAT));
        for (int i = 0; i < inputs.size(); i++) {
            graph.addNode(NodeDef.newBuilder().setName(inputs.get(i)).setOp("Placeholder")
                    .putAttr("dtype", type(inputTypes.get(i))));
            call.addInput(inputs.get(i));
        }
        graph.addNode(call);
        graph.addNode(NodeDef.newBuilder().setName("out").setOp("Identity").addInput("call")
                .putAttr("T", type(DataType.DT_FLOAT)));
        return graph.build();
    }

    private static FunctionDef function(String name, List<OpDef.ArgDef> inputs, List<OpDef.ArgDef> outputs,
            List<NodeDef> nodes, String... results) {
        FunctionDef.Builder f = FunctionDef.newBuilder().setSignature(OpDef.newBuilder().setName(name)
                .addAllInputArg(inputs).addAllOutputArg(outputs)).addAllNodeDef(nodes);
        for (int i = 0; i < outputs.size(); i++) {
            f.putRet(outputs.get(i).getName(), results[i]);
        }
        return f.build();
    }

    private static OpDef.ArgDef arg(String name, DataType type) {
        return OpDef.ArgDef.newBuilder().setName(name).setType(type).build();
    }

    private static NodeDef op(String name, String type, String... inputs) {
        return op(name, type, inputs.length == 1 ? List.of(inputs) : List.of(inputs), DataType.DT_FLOAT);
    }

    private static NodeDef op(String name, String type, String a, String b, DataType t) {
        return op(name, type, List.of(a, b), t);
    }

    private static NodeDef op(String name, String type, List<String> inputs, DataType t) {
        return NodeDef.newBuilder().setName(name).setOp(type).addAllInput(inputs).putAttr("T", type(t)).build();
    }

    private static NodeDef constant(String name, float value) {
        return NodeDef.newBuilder().setName(name).setOp("Const").putAttr("dtype", type(DataType.DT_FLOAT))
                .putAttr("value", AttrValue.newBuilder().setTensor(TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                        .setTensorShape(TensorShapeProto.getDefaultInstance()).addFloatVal(value)).build())
                .build();
    }

    private static NodeDef intConstant(String name, int value) {
        return NodeDef.newBuilder().setName(name).setOp("Const").putAttr("dtype", type(DataType.DT_INT32))
                .putAttr("value", AttrValue.newBuilder().setTensor(TensorProto.newBuilder().setDtype(DataType.DT_INT32)
                        .setTensorShape(TensorShapeProto.getDefaultInstance()).addIntVal(value)).build())
                .build();
    }

    private static AttrValue type(DataType t) {
        return AttrValue.newBuilder().setType(t).build();
    }

    private static AttrValue types(DataType... t) {
        return AttrValue.newBuilder().setList(AttrValue.ListValue.newBuilder().addAllType(List.of(t))).build();
    }

    private static AttrValue func(String name) {
        return AttrValue.newBuilder().setFunc(NameAttrList.newBuilder().setName(name)).build();
    }
}
