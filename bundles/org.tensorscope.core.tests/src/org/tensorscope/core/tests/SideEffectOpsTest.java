package org.tensorscope.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.SideEffectOps;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.TensorSpec;

/** The op guard: one test per entry of its list, over graphs built here. */
class SideEffectOpsTest {

    /** An example per entry (keyed by its first type): real op types, attributes that make it apply, and not. */
    private record Example(List<String> types, Map<String, String> flagged, List<Map<String, String>> notFlagged) {
        Example(String... types) {
            this(List.of(types), Map.of(), List.of());
        }
    }

    private static final Map<String, Example> EXAMPLES = new LinkedHashMap<>();
    static {
        EXAMPLES.put("ReadFile", new Example("ReadFile"));
        EXAMPLES.put("WriteFile", new Example("WriteFile"));
        EXAMPLES.put("MatchingFiles", new Example("MatchingFiles"));
        EXAMPLES.put("FileSystemSetConfiguration", new Example("FileSystemSetConfiguration"));
        EXAMPLES.put("Save", new Example("Save", "SaveV2", "SaveSlices", "MergeV2Checkpoints"));
        EXAMPLES.put("Restore", new Example("Restore", "RestoreV2", "RestoreSlice"));
        EXAMPLES.put("LoadAndRemapMatrix", new Example("LoadAndRemapMatrix", "GenerateVocabRemapping"));
        EXAMPLES.put("InitializeTable*FromTextFile*",
                new Example("InitializeTableFromTextFile", "InitializeTableFromTextFileV2"));
        EXAMPLES.put("WholeFileReader*", new Example("WholeFileReader", "WholeFileReaderV2", "TFRecordReaderV2",
                "FixedLengthRecordReader", "TextLineReaderV2", "LMDBReader"));
        EXAMPLES.put("*Dataset*", new Example("TFRecordDataset", "TextLineDataset", "FixedLengthRecordDatasetV2",
                "CSVDatasetV2", "SnapshotDatasetV2", "SaveDatasetV2", "DataServiceDatasetV4", "InitializeTableFromDataset"));
        EXAMPLES.put("ImmutableConst", new Example("ImmutableConst"));
        EXAMPLES.put("CreateSummaryFileWriter", new Example("CreateSummaryFileWriter", "CreateSummaryDbWriter",
                "WriteSummary", "WriteScalarSummary", "WriteImageSummary", "ImportEvent", "FlushSummaryWriter",
                "CloseSummaryWriter"));
        EXAMPLES.put("PrintV2", new Example(List.of("PrintV2"), Map.of("output_stream", "file:///tmp/printed.txt"),
                List.of(Map.of(), Map.of("output_stream", "stderr"), Map.of("output_stream", "log(warning)"))));
        EXAMPLES.put("Debug*", new Example(List.of("DebugIdentity", "DebugIdentityV2", "DebugNanCount",
                "DebugNumericSummary"), Map.of("debug_urls", "[file:///tmp/dump]"),
                List.of(Map.of(), Map.of("debug_urls", "[]"))));
        EXAMPLES.put("DecodeProtoV2", new Example(List.of("DecodeProtoV2", "EncodeProto"),
                Map.of("descriptor_source", "/etc/descriptors.bin"), List.of(Map.of(),
                        Map.of("descriptor_source", "local://"))));
        EXAMPLES.put("PyFunc", new Example("PyFunc", "PyFuncStateless", "EagerPyFunc"));
        EXAMPLES.put("Abort", new Example("Abort"));
        EXAMPLES.put("Send", new Example("Send", "Recv", "_Send", "_Recv", "_HostSend", "_HostRecv"));
        EXAMPLES.put("Collective*", new Example("CollectiveReduce", "CollectiveReduceV2", "CollectiveGather",
                "CollectiveBcastSend", "CollectiveBcastRecv", "NcclAllReduce"));
        EXAMPLES.put("RemoteCall", new Example("RemoteCall", "RpcCall", "RpcClient", "TryRpc", "DeleteRpcFutureResource"));
        EXAMPLES.put("*", new Example(List.of("FileLoader", "Conv"), Map.of("domain", "com.example.io"),
                List.of(Map.of(), Map.of("domain", "com.microsoft"), Map.of("domain", "ai.onnx.ml"))));
    }

    private static OpNode op(String name, String type, Map<String, String> attributes) {
        return new OpNode(name, type, "", attributes, List.of(),
                List.of(new TensorSpec(name + ":0", DType.FLOAT32, Shape.of(1))));
    }

    private static ModelGraph graph(List<OpNode> ops, List<OpNode> library) {
        return new ModelGraph(Path.of("model.pb"), "test", ops, List.of(new Signature("serving_default", List.of(),
                List.of())), List.of(), library);
    }

    @Test
    void everyEntryOfTheListHasAnExampleHere() {
        assertEquals(EXAMPLES.keySet().stream().toList(),
                SideEffectOps.entries().stream().map(e -> e.types().get(0)).toList());
    }

    @TestFactory
    Stream<DynamicTest> eachEntryFlagsItsOpsWithItsReasonAndOnlyUnderItsCondition() {
        List<DynamicTest> tests = new ArrayList<>();
        for (SideEffectOps.Entry entry : SideEffectOps.entries()) {
            Example example = EXAMPLES.get(entry.types().get(0));
            tests.add(DynamicTest.dynamicTest(String.join(", ", entry.types()), () -> {
                for (String type : example.types()) {
                    OpNode top = op("top_" + type, type, example.flagged());
                    String reason = entry.types().equals(List.of("*"))
                            ? "custom op from domain com.example.io: runs code Tensorscope cannot inspect"
                            : entry.what();
                    assertEquals(Optional.of(reason), SideEffectOps.reason(top), type);
                    OpNode inFunction = op("__inference_f_12/" + type, type, example.flagged());
                    ModelGraph model = graph(List.of(op("x", "Placeholder", Map.of()), top),
                            List.of(op("__inference_f_12/mul", "Mul", Map.of()), inFunction));
                    assertEquals(List.of(top, inFunction), SideEffectOps.in(model),
                            type + " is flagged at the top level and inside a function");
                    for (Map<String, String> harmless : example.notFlagged()) {
                        assertEquals(Optional.empty(), SideEffectOps.reason(op("quiet", type, harmless)),
                                type + " with " + harmless);
                    }
                }
            }));
        }
        return tests.stream();
    }

    @Test
    void theCommandLineDocsListEveryType() throws Exception {
        String docs = Files.readString(Path.of("../../docs/cli.md"));
        for (SideEffectOps.Entry entry : SideEffectOps.entries()) {
            entry.types().stream().filter(t -> !t.equals("*"))
                    .forEach(t -> assertTrue(docs.contains("`" + t + "`"), t + " is missing from docs/cli.md"));
        }
    }

    @Test
    void ordinaryOpsAreNotFlagged() {
        for (String type : List.of("Conv2D", "MatMul", "Identity", "Const", "Placeholder", "StatefulPartitionedCall",
                "While", "Print", "ReadVariableOp", "AssignAddVariableOp", "StringFormat", "DecodeJpeg")) {
            assertEquals(Optional.empty(), SideEffectOps.reason(op("n", type, Map.of())), type);
            assertFalse(SideEffectOps.isSideEffect(type), type);
        }
    }

    @Test
    void aTypeWhoseAttributesMayMakeItReachOutIsASideEffectForTypeOnlyChecks() {
        assertTrue(SideEffectOps.isSideEffect("DebugIdentity"));
        assertTrue(SideEffectOps.isSideEffect("PrintV2"));
        assertTrue(SideEffectOps.isSideEffect("InitializeTableFromTextFileV2"));
        assertTrue(SideEffectOps.isSideEffect("RestoreV2"));
    }

    @Test
    void theRefusalNamesTheOpsInsideFunctionsAndWhatTheyDo() {
        ModelGraph clean = graph(List.of(op("x", "Placeholder", Map.of())), List.of(op("f/mul", "Mul", Map.of())));
        assertEquals(Optional.empty(), SideEffectOps.refusal(clean));
        ModelGraph writes = graph(List.of(op("x", "Placeholder", Map.of()), op("call", "StatefulPartitionedCall",
                Map.of("f", "function leak"))), List.of(op("leak/write", "WriteFile", Map.of())));
        assertEquals(Optional.of("model.pb: the model holds 1 op that reaches outside it (leak/write (WriteFile: writes a "
                + "file)); pass --allow-side-effects to run it anyway"), SideEffectOps.refusal(writes));
    }

    @Test
    void libraryOpsSurviveAndStayOutOfTheMainGraph() {
        ModelGraph model = graph(List.of(op("x", "Placeholder", Map.of())), List.of()).withLibraryOps(
                List.of(op("f/read", "ReadFile", Map.of())));
        assertEquals(List.of("x"), model.ops().stream().map(OpNode::name).toList());
        assertEquals(List.of("f/read"), model.libraryOps().stream().map(OpNode::name).toList());
        assertTrue(model.op("f/read").isEmpty());
    }
}
