package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.CollectionDef;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.FunctionDefLibrary;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NameAttrList;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.SideEffectOps;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.model.Shape;
import org.tensorscope.tensorflow.internal.TensorFlowBackend;
import org.tensorscope.tensorflow.internal.load.FrozenGraphLoader;
import org.tensorscope.tensorflow.internal.load.SavedModelLoader;
import org.tensorscope.tensorflow.internal.load.TfjsGraphModelLoader;

import com.google.protobuf.ByteString;

/**
 * The op guard sees what hides in function bodies, debug URLs, table initialisers and a
 * SavedModel's init op, on generated graphs whose side effect is known.
 */
class OpGuardTest {

    @TempDir
    Path folder;

    private static AttrValue type(DataType type) {
        return AttrValue.newBuilder().setType(type).build();
    }

    private static AttrValue types(DataType... types) {
        return AttrValue.newBuilder().setList(AttrValue.ListValue.newBuilder().addAllType(List.of(types))).build();
    }

    private static AttrValue string(String s) {
        return AttrValue.newBuilder().setS(ByteString.copyFromUtf8(s)).build();
    }

    private static NodeDef stringConst(String name, String value) {
        TensorProto tensor = TensorProto.newBuilder().setDtype(DataType.DT_STRING)
                .setTensorShape(TensorShapeProto.getDefaultInstance()).addStringVal(ByteString.copyFromUtf8(value)).build();
        return NodeDef.newBuilder().setName(name).setOp("Const").putAttr("dtype", type(DataType.DT_STRING))
                .putAttr("value", AttrValue.newBuilder().setTensor(tensor).build()).build();
    }

    private static NodeDef placeholder(String name) {
        return NodeDef.newBuilder().setName(name).setOp("Placeholder").putAttr("dtype", type(DataType.DT_FLOAT)).build();
    }

    /** y = Identity(x), run after the given ops (control inputs). */
    private static NodeDef y(String... after) {
        NodeDef.Builder y = NodeDef.newBuilder().setName("y").setOp("Identity").addInput("x")
                .putAttr("T", type(DataType.DT_FLOAT));
        for (String op : after) {
            y.addInput("^" + op);
        }
        return y.build();
    }

    /** A function "leak(filename, contents)" whose only op writes the file. */
    private static FunctionDef leak() {
        OpDef signature = OpDef.newBuilder().setName("leak").setIsStateful(true)
                .addInputArg(OpDef.ArgDef.newBuilder().setName("filename").setType(DataType.DT_STRING))
                .addInputArg(OpDef.ArgDef.newBuilder().setName("contents").setType(DataType.DT_STRING))
                .addControlOutput("write").build();
        return FunctionDef.newBuilder().setSignature(signature)
                .addNodeDef(NodeDef.newBuilder().setName("write").setOp("WriteFile").addInput("filename")
                        .addInput("contents"))
                .putControlRet("write", "write").build();
    }

    private static NodeDef call(String name, String function, String... inputs) {
        return NodeDef.newBuilder().setName(name).setOp("StatefulPartitionedCall").addAllInput(List.of(inputs))
                .putAttr("Tin", types(DataType.DT_STRING, DataType.DT_STRING)).putAttr("Tout", types())
                .putAttr("f", AttrValue.newBuilder().setFunc(NameAttrList.newBuilder().setName(function)).build())
                .putAttr("config", string("")).putAttr("config_proto", string("")).putAttr("executor_type", string(""))
                .build();
    }

    private Path write(GraphDef graph, String name) throws Exception {
        Path pb = folder.resolve(name);
        Files.write(pb, graph.toByteArray());
        return pb;
    }

    @Test
    void aWriteFileInAFunctionCalledThroughStatefulPartitionedCallIsFlaggedAndRefusedAndWritesOnlyWhenRun()
            throws Exception {
        Path target = folder.resolve("written-by-the-model.txt");
        GraphDef graph = GraphDef.newBuilder().addNode(placeholder("x"))
                .addNode(stringConst("path", target.toString())).addNode(stringConst("contents", "pwned"))
                .addNode(call("call", "leak", "path", "contents")).addNode(y("call"))
                .setLibrary(FunctionDefLibrary.newBuilder().addFunction(leak())).build();
        Path pb = write(graph, "function-writes.pb");
        try (LoadedModel model = new FrozenGraphLoader().load(pb, new NullProgressMonitor())) {
            // the loader inlines the call: the function's WriteFile is the graph's op call/write
            assertEquals(List.of("call/write (WriteFile: writes a file)"),
                    SideEffectOps.in(model.graph()).stream().map(SideEffectOps::describe).toList(),
                    "the function's body is seen, not only the call");
            assertEquals(Optional.of(pb + ": the model holds 1 op that reaches outside it (call/write (WriteFile: "
                    + "writes a file)); pass --allow-side-effects to run it anyway"), SideEffectOps.refusal(model.graph()),
                    "what run and trace say without --allow-side-effects");
            assertFalse(Files.exists(target), "loading (info) writes nothing");

            // with consent the model runs, and the function does write: the guard is what stood in the way
            try (InferenceSession session = new TensorFlowBackend().open(model, Device.CPU)) {
                Map<String, TensorData> out = session.fetch(
                        Map.of("x:0", TensorData.ofFloats("x:0", Shape.of(1), 3f)), List.of("y:0"), Map.of(),
                        new NullProgressMonitor());
                assertEquals(3.0, out.get("y:0").getDouble(0), 1e-6);
            }
            assertEquals("pwned", Files.readString(target));
        }
    }

    /** The same model as a TF.js graph model: the function lives in {@code modelTopology.library}. */
    @Test
    void aTfjsModelWhoseLibraryFunctionWritesAFileIsFlaggedAndRefusedAndWritesOnlyWhenRun() throws Exception {
        Path target = folder.resolve("written-by-the-tfjs-model.txt");
        String json = """
                {"format": "graph-model", "weightsManifest": [],
                 "modelTopology": {
                  "node": [
                   {"name": "x", "op": "Placeholder", "attr": {"dtype": {"type": "DT_FLOAT"},
                     "shape": {"shape": {"dim": [{"size": "1"}]}}}},
                   {"name": "path", "op": "Const", "attr": {"dtype": {"type": "DT_STRING"},
                     "value": {"tensor": {"dtype": "DT_STRING", "tensorShape": {}, "stringVal": ["%s"]}}}},
                   {"name": "contents", "op": "Const", "attr": {"dtype": {"type": "DT_STRING"},
                     "value": {"tensor": {"dtype": "DT_STRING", "tensorShape": {}, "stringVal": ["%s"]}}}},
                   {"name": "call", "op": "StatefulPartitionedCall", "input": ["path", "contents"],
                    "attr": {"f": {"func": {"name": "leak"}}, "Tin": {"list": {"type": ["DT_STRING", "DT_STRING"]}},
                      "Tout": {"list": {}}, "config": {"s": ""}, "config_proto": {"s": ""}, "executor_type": {"s": ""}}},
                   {"name": "y", "op": "Identity", "input": ["x", "^call"], "attr": {"T": {"type": "DT_FLOAT"}}}
                  ],
                  "library": {"function": [
                   {"signature": {"name": "leak", "isStateful": true, "controlOutput": ["write"],
                      "inputArg": [{"name": "filename", "type": "DT_STRING"}, {"name": "contents", "type": "DT_STRING"}]},
                    "nodeDef": [{"name": "write", "op": "WriteFile", "input": ["filename", "contents"]}],
                    "controlRet": {"write": "write"}}
                  ]}
                 }}
                """.formatted(base64(target.toString()), base64("pwned"));
        Path modelJson = Files.writeString(folder.resolve("model.json"), json);
        try (LoadedModel model = new TfjsGraphModelLoader().load(modelJson, new NullProgressMonitor())) {
            assertEquals(List.of("call/write (WriteFile: writes a file)"),
                    SideEffectOps.in(model.graph()).stream().map(SideEffectOps::describe).toList(),
                    "what info lists: the library function's body, not only the call");
            assertEquals(Optional.of(modelJson + ": the model holds 1 op that reaches outside it (call/write (WriteFile: "
                    + "writes a file)); pass --allow-side-effects to run it anyway"), SideEffectOps.refusal(model.graph()),
                    "what run and trace say without --allow-side-effects");
            assertFalse(Files.exists(target), "loading (info) writes nothing");
            try (InferenceSession session = new TensorFlowBackend().open(model, Device.CPU)) {
                Map<String, TensorData> out = session.fetch(
                        Map.of("x:0", TensorData.ofFloats("x:0", Shape.of(1), 3f)), List.of("y:0"), Map.of(),
                        new NullProgressMonitor());
                assertEquals(3.0, out.get("y:0").getDouble(0), 1e-6);
            }
            assertEquals("pwned", Files.readString(target), "with consent the function really runs");
        }
    }

    private static String base64(String text) {
        return java.util.Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void aDebugIdentityWithADebugUrlIsFlaggedAndOneWithoutIsNot() throws Exception {
        Path dump = folder.resolve("dump");
        NodeDef.Builder debug = NodeDef.newBuilder().setName("debug").setOp("DebugIdentity").addInput("x")
                .putAttr("T", type(DataType.DT_FLOAT));
        GraphDef withUrl = GraphDef.newBuilder().addNode(placeholder("x"))
                .addNode(debug.clone().putAttr("debug_urls", AttrValue.newBuilder().setList(AttrValue.ListValue
                        .newBuilder().addS(ByteString.copyFromUtf8(dump.toUri().toString()))).build()))
                .addNode(NodeDef.newBuilder().setName("y").setOp("Identity").addInput("debug")
                        .putAttr("T", type(DataType.DT_FLOAT)))
                .build();
        try (LoadedModel model = new FrozenGraphLoader().load(write(withUrl, "debug-url.pb"), new NullProgressMonitor())) {
            assertEquals(List.of("debug (DebugIdentity: sends tensors to debug URLs (files or network))"),
                    SideEffectOps.in(model.graph()).stream().map(SideEffectOps::describe).toList());
        }
        GraphDef withoutUrl = withUrl.toBuilder().setNode(1, debug.build()).build();
        try (LoadedModel model = new FrozenGraphLoader().load(write(withoutUrl, "debug-no-url.pb"),
                new NullProgressMonitor())) {
            assertEquals(List.of(), SideEffectOps.in(model.graph()), "a DebugIdentity that sends nowhere is harmless");
        }
        assertFalse(Files.exists(dump));
    }

    @Test
    void aTableFilledFromATextFileIsFlagged() throws Exception {
        GraphDef graph = GraphDef.newBuilder().addNode(placeholder("x")).addNode(y())
                .addNode(NodeDef.newBuilder().setName("table").setOp("HashTableV2")
                        .putAttr("key_dtype", type(DataType.DT_STRING)).putAttr("value_dtype", type(DataType.DT_INT64)))
                .addNode(stringConst("vocab", "/etc/passwd"))
                .addNode(NodeDef.newBuilder().setName("table_init").setOp("InitializeTableFromTextFileV2")
                        .addInput("table").addInput("vocab").putAttr("key_index", AttrValue.newBuilder().setI(-2).build())
                        .putAttr("value_index", AttrValue.newBuilder().setI(-1).build()))
                .build();
        try (LoadedModel model = new FrozenGraphLoader().load(write(graph, "table.pb"), new NullProgressMonitor())) {
            assertEquals(List.of("table_init (InitializeTableFromTextFileV2: fills a lookup table from a text file)"),
                    SideEffectOps.in(model.graph()).stream().map(SideEffectOps::describe).toList());
        }
    }

    /**
     * A SavedModel y = x whose init op writes a file: directly (the TF1 main op collection, or the
     * TF2 init signature), or through a function it calls.
     */
    private Path savedModelWhoseInitOpWrites(String how, Path target) throws Exception {
        Path dir = folder.resolve(how);
        Files.createDirectories(dir);
        GraphDef.Builder graph = GraphDef.newBuilder().addNode(placeholder("x")).addNode(y())
                .addNode(stringConst("init/path", target.toString())).addNode(stringConst("init/contents", "pwned"));
        if (how.equals("function")) {
            graph.addNode(call("init/call", "leak", "init/path", "init/contents"))
                    .setLibrary(FunctionDefLibrary.newBuilder().addFunction(leak()));
            graph.addNode(NodeDef.newBuilder().setName("init_all").setOp("NoOp").addInput("^init/call"));
        } else {
            graph.addNode(NodeDef.newBuilder().setName("init/write").setOp("WriteFile").addInput("init/path")
                    .addInput("init/contents"));
            graph.addNode(NodeDef.newBuilder().setName("init_all").setOp("NoOp").addInput("^init/write"));
        }
        TensorInfo x = TensorInfo.newBuilder().setName("x:0").setDtype(DataType.DT_FLOAT).build();
        MetaGraphDef.Builder meta = MetaGraphDef.newBuilder()
                .setMetaInfoDef(MetaGraphDef.MetaInfoDef.newBuilder().addTags("serve")).setGraphDef(graph)
                .putSignatureDef("serving_default", SignatureDef.newBuilder().putInputs("x", x)
                        .putOutputs("y", x.toBuilder().setName("y:0").build())
                        .setMethodName("tensorflow/serving/predict").build());
        if (how.equals("main_op")) {
            meta.putCollectionDef("saved_model_main_op", CollectionDef.newBuilder().setNodeList(
                    CollectionDef.NodeList.newBuilder().addValue("init_all")).build());
        } else {
            meta.putSignatureDef("__saved_model_init_op", SignatureDef.newBuilder().putOutputs("__saved_model_init_op",
                    TensorInfo.newBuilder().setName("init_all").build()).build());
        }
        Files.write(dir.resolve("saved_model.pb"),
                SavedModel.newBuilder().setSavedModelSchemaVersion(1).addMetaGraphs(meta).build().toByteArray());
        return dir;
    }

    @ParameterizedTest
    @ValueSource(strings = { "main_op", "init_signature", "function" })
    void aSavedModelWhoseInitOpWritesAFileWritesNothingAtLoadAndIsFlagged(String how) throws Exception {
        Path target = folder.resolve(how + "-init-wrote.txt");
        Path dir = savedModelWhoseInitOpWrites(how, target);
        try (LoadedModel model = new SavedModelLoader().load(dir, new NullProgressMonitor())) {
            String flagged = how.equals("function") ? "leak/write" : "init/write";
            assertEquals(List.of(flagged + " (WriteFile: writes a file)"),
                    SideEffectOps.in(model.graph()).stream().map(SideEffectOps::describe).toList(), how);
            assertTrue(SideEffectOps.refusal(model.graph()).isPresent());
        }
        assertFalse(Files.exists(target), how + ": loading (info) must not run the init op");
    }

    @ParameterizedTest
    @ValueSource(strings = { "savedmodel/tf1_half_plus_two", "savedmodel/tf1_half_plus_two_cpu",
            "savedmodel/tf1_half_plus_three", "savedmodel/tf2_python_functions" })
    void realSavedModelsHoldNothingTheGuardRefuses(String relative) throws Exception {
        try (LoadedModel model = new SavedModelLoader().load(TestModels.get(relative), new NullProgressMonitor())) {
            assertEquals(List.of(), SideEffectOps.in(model.graph()).stream().map(OpNode::name).toList(),
                    "their init ops assign variables or nothing; their savers are not part of the run");
        }
    }
}
