package org.tensorscope.tensorflow.tests.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.tensorflow.internal.JavaCppCache;
import org.tensorscope.tensorflow.internal.TensorFlowBackend;
import org.tensorscope.tensorflow.internal.load.FrozenGraphLoader;
import org.tensorscope.tensorflow.internal.load.GraphLimits;

/** GraphDefs built to exhaust memory or stack: refused with one line before TensorFlow builds them. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileGraphDefTest {

    @TempDir
    Path dir;

    private final FrozenGraphLoader loader = new FrozenGraphLoader();

    @BeforeAll
    static void useTheProjectsNativeCache() {
        JavaCppCache.configure();
    }

    private static AttrValue type(DataType t) {
        return AttrValue.newBuilder().setType(t).build();
    }

    private static NodeDef placeholder(String name) {
        return NodeDef.newBuilder().setName(name).setOp("Placeholder").putAttr("dtype", type(DataType.DT_FLOAT))
                .putAttr("shape", AttrValue.newBuilder().setShape(TensorShapeProto.newBuilder()
                        .addDim(TensorShapeProto.Dim.newBuilder().setSize(2))).build())
                .build();
    }

    private static NodeDef identity(String name, String input) {
        return NodeDef.newBuilder().setName(name).setOp("Identity").addInput(input).putAttr("T", type(DataType.DT_FLOAT))
                .build();
    }

    private static NodeDef constant(String name, DataType dtype, long[] dims, com.google.protobuf.ByteString content) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
        }
        TensorProto.Builder value = TensorProto.newBuilder().setDtype(dtype).setTensorShape(shape);
        if (content != null) {
            value.setTensorContent(content);
        }
        return NodeDef.newBuilder().setName(name).setOp("Const").putAttr("dtype", type(dtype))
                .putAttr("value", AttrValue.newBuilder().setTensor(value).build()).build();
    }

    private Path write(String name, GraphDef graph) throws Exception {
        return Files.write(dir.resolve(name), graph.toByteArray());
    }

    private ModelLoadException refused(Path file) {
        long start = System.nanoTime();
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> loader.load(file, null).close());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "took too long");
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        return e;
    }

    @Test
    void aHugeConstantInATextGraphIsRefusedBeforeTensorFlowBuildsIt() throws Exception {
        Path file = Files.writeString(dir.resolve("huge.pbtxt"), """
                node { name: "big" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } }
                  attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape { dim { size: 536870912 } }
                    float_val: 1 } } } }
                """);
        ModelLoadException e = refused(file);
        assertTrue(e.getMessage().contains("constant big of shape [536870912] would need 2.0 GiB, more than the 1.0 GiB"),
                e.getMessage());
    }

    @Test
    void aFillOfAHugeShapeIsRefused() throws Exception {
        com.google.protobuf.ByteString dims = com.google.protobuf.ByteString.copyFrom(new byte[] { 0, 0, 0, 0x40, 0, 0, 0, 0x40 });
        GraphDef graph = GraphDef.newBuilder()
                .addNode(constant("dims", DataType.DT_INT32, new long[] { 2 }, dims))
                .addNode(constant("one", DataType.DT_FLOAT, new long[] {},
                        com.google.protobuf.ByteString.copyFrom(new byte[] { 0, 0, (byte) 0x80, 0x3f })))
                .addNode(NodeDef.newBuilder().setName("fill").setOp("Fill").addInput("dims").addInput("one")
                        .putAttr("T", type(DataType.DT_FLOAT)).putAttr("index_type", type(DataType.DT_INT32)))
                .build();
        ModelLoadException e = refused(write("fill.pb", graph));
        assertTrue(e.getMessage().contains("Fill fill of shape [1073741824, 1073741824] would need 4.0 EiB"),
                e.getMessage());
    }

    @Test
    void aConstantWithTooFewBytesIsNamed() throws Exception {
        GraphDef graph = GraphDef.newBuilder().addNode(constant("c", DataType.DT_FLOAT, new long[] { 4 },
                com.google.protobuf.ByteString.copyFrom(new byte[] { 1, 2, 3 }))).build();
        ModelLoadException e = refused(write("short.pb", graph));
        assertTrue(e.getMessage().endsWith("constant c declares shape [4] (16 bytes) but holds 3 bytes"), e.getMessage());
    }

    @Test
    void aChainOf20000IdentitiesIsRefusedNotACrash() throws Exception {
        GraphDef.Builder graph = GraphDef.newBuilder().addNode(placeholder("x"));
        for (int i = 0; i < 20_000; i++) {
            graph.addNode(identity("id" + i, i == 0 ? "x" : "id" + (i - 1)));
        }
        ModelLoadException e = refused(write("deep.pb", graph.build()));
        assertTrue(e.getMessage().contains("the graph has a chain of more than " + GraphLimits.MAX_DEPTH + " ops"),
                e.getMessage());
    }

    /** The trace of a chain this deep takes tens of seconds: it must finish, not overflow TensorFlow's stack. */
    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void aChainWithinTheLimitLoadsRunsAndTraces() throws Exception {
        int length = GraphLimits.MAX_DEPTH - 10;
        GraphDef.Builder graph = GraphDef.newBuilder().addNode(placeholder("x"));
        for (int i = 0; i < length; i++) {
            graph.addNode(identity("id" + i, i == 0 ? "x" : "id" + (i - 1)));
        }
        Path file = write("chain.pb", graph.build());
        try (LoadedModel loaded = loader.load(file, new NullProgressMonitor());
                InferenceSession session = new TensorFlowBackend().open(loaded, Device.CPU)) {
            assertEquals(length + 1, loaded.graph().ops().size());
            String last = "id" + (length - 1) + ":0";
            TensorData out = session.fetch(Map.of("x:0", TensorData.ofFloats("x:0", Shape.of(2), 3f, -4f)), List.of(last),
                    Map.of(), new NullProgressMonitor()).get(last);
            assertEquals(-4.0, out.getDouble(1));
            org.tensorscope.core.trace.Trace trace = session.healthPass(
                    Map.of("x:0", TensorData.ofFloats("x:0", Shape.of(2), 3f, Float.NaN)), List.of(last),
                    org.tensorscope.core.trace.HealthMode.FULL, Map.of(), new NullProgressMonitor());
            assertTrue(trace.rows().size() >= length, "rows: " + trace.rows().size());
        }
    }

    @Test
    void aFiftyMegabyteNodeNameIsRefusedQuicklyNamingItsFirstCharacters() throws Exception {
        String name = "n".repeat(50 << 20);
        GraphDef graph = GraphDef.newBuilder().addNode(placeholder("x")).addNode(identity(name, "x")).build();
        ModelLoadException e = refused(write("long-name.pb", graph));
        assertTrue(e.getMessage().endsWith(": op '" + "n".repeat(40) + "...' has a name of 52428800 characters, more than"
                + " the " + GraphLimits.MAX_NAME + " allowed"), e.getMessage());
    }

    /** TensorFlow Java would take minutes over a 1 MiB name outside any scope, and views walk every scope. */
    @Test
    void aLongNameOutsideAnyScopeAndANameNestingTooManyScopesAreRefused() throws Exception {
        GraphDef unscoped = GraphDef.newBuilder().addNode(placeholder("x")).addNode(identity("u".repeat(300), "x")).build();
        assertTrue(refused(write("unscoped.pb", unscoped)).getMessage().endsWith(": op '" + "u".repeat(40)
                + "...' has a name of 300 characters outside any scope, more than the 256 allowed"));
        GraphDef nested = GraphDef.newBuilder().addNode(placeholder("x")).addNode(identity("s/".repeat(65) + "id", "x"))
                .build();
        assertTrue(refused(write("nested.pb", nested)).getMessage().endsWith(": op '" + "s/".repeat(20)
                + "...' has a name nesting more than 64 scopes"));
        // just within the limits: loads, and TensorFlow knows the op by its name
        String scoped = "s/".repeat(64) + "x".repeat(GraphLimits.MAX_NAME - 128);
        GraphDef fits = GraphDef.newBuilder().addNode(placeholder("x")).addNode(identity("u".repeat(256), "x"))
                .addNode(identity(scoped, "x")).build();
        try (LoadedModel loaded = loader.load(write("fits.pb", fits), new NullProgressMonitor())) {
            assertEquals(List.of(org.tensorscope.core.model.DType.FLOAT32, org.tensorscope.core.model.DType.FLOAT32),
                    List.of(loaded.graph().op("u".repeat(256)).orElseThrow().outputs().get(0).dtype(),
                            loaded.graph().op(scoped).orElseThrow().outputs().get(0).dtype()));
        }
    }

    @Test
    void aCycleIsRefused() throws Exception {
        GraphDef.Builder graph = GraphDef.newBuilder().addNode(placeholder("x"));
        for (int i = 0; i < 3_000; i++) {
            graph.addNode(identity("c" + i, "c" + ((i + 1) % 3_000)));
        }
        ModelLoadException e = refused(write("cycle.pb", graph.build()));
        assertTrue(e.getMessage().contains("the graph has a cycle that is not a control-flow loop (3000 ops, e.g. c0, c1, c2)"),
                e.getMessage());
    }

    @Test
    void anAttributeNestedTwentyThousandLevelsIsRefused() throws Exception {
        String open = "attr { key: \"f\" value { func { name: \"g\" ";
        Path file = Files.writeString(dir.resolve("nested.pbtxt"), "node { name: \"n\" op: \"NoOp\" "
                + open.repeat(20_000) + "} } }".repeat(20_000) + " }");
        ModelLoadException e = refused(file);
        assertTrue(e.getMessage().contains("not a valid text GraphDef"), e.getMessage());
    }
}
