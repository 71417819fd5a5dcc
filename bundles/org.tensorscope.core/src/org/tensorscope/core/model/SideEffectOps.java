package org.tensorscope.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The op guard: ops that reach outside the model (files, processes, the network, debug sinks,
 * code Tensorscope cannot inspect). A model is a program: these are listed to the user before
 * running and refused headless unless explicitly allowed. The guard looks at the main graph and
 * at the {@link ModelGraph#libraryOps() library ops} (function bodies, a SavedModel's init op).
 * <p>
 * {@link #entries()} is the whole list, in one place; docs/cli.md documents it.
 */
public final class SideEffectOps {

    /**
     * One entry of the guard's list.
     *
     * @param types op types, {@code *} standing for any run of letters, digits or underscores
     * @param when  the attribute condition under which they are flagged, empty when always
     * @param what  what the op does outside the model, as a user reads it
     */
    public record Entry(List<String> types, String when, String what, Predicate<Map<String, String>> applies) {

        public Entry {
            types = List.copyOf(types);
        }

        boolean matches(OpNode op) {
            return pattern(types).matcher(op.canonicalType()).matches() && applies.test(op.attributes());
        }

        /** Compiled once per list of types: compiling them for each op of a model held the workbench's open for half a second. */
        private static final Map<List<String>, Pattern> PATTERNS = new java.util.concurrent.ConcurrentHashMap<>();

        private static Pattern pattern(List<String> types) {
            return PATTERNS.computeIfAbsent(types, t -> Pattern.compile(t.stream().map(type -> Stream.of(type.split("\\*", -1))
                    .map(Pattern::quote).collect(Collectors.joining("\\w*"))).collect(Collectors.joining("|"))));
        }
    }

    /** Where PrintV2 writes when it does not write to a file. */
    private static final Set<String> CONSOLE_STREAMS = Set.of("", "stdout", "stderr", "log(info)", "log(warning)",
            "log(error)");

    /** ONNX domains whose ops ONNX Runtime implements itself (no custom code is loaded). */
    public static final Set<String> BUILT_IN_ONNX_DOMAINS = Set.of("ai.onnx", "ai.onnx.ml", "ai.onnx.preview.training",
            "com.microsoft", "com.microsoft.nchwc", "com.microsoft.experimental", "com.ms.internal.nhwc");

    private static final List<Entry> ENTRIES = List.of(
            always(List.of("ReadFile"), "reads a file"),
            always(List.of("WriteFile"), "writes a file"),
            always(List.of("MatchingFiles"), "lists files on disk"),
            always(List.of("FileSystemSetConfiguration"), "changes how files are reached"),
            always(List.of("Save", "SaveV2", "SaveSlices", "MergeV2Checkpoints"), "writes a checkpoint"),
            always(List.of("Restore", "RestoreV2", "RestoreSlice"),
                    "reads a checkpoint (the loader runs a SavedModel's own restore apart, after checking it)"),
            always(List.of("LoadAndRemapMatrix", "GenerateVocabRemapping"), "reads a checkpoint or vocabulary file"),
            always(List.of("InitializeTable*FromTextFile*"), "fills a lookup table from a text file"),
            always(List.of("WholeFileReader*", "TFRecordReader*", "FixedLengthRecordReader*", "TextLineReader*",
                    "LMDBReader"), "reads files"),
            always(List.of("*Dataset*"), "a tf.data pipeline: may read or write files or reach a data service"),
            always(List.of("ImmutableConst"), "maps a file into memory"),
            always(List.of("CreateSummaryFileWriter", "CreateSummaryDbWriter", "Write*Summary", "ImportEvent",
                    "FlushSummaryWriter", "CloseSummaryWriter"), "writes summary event files"),
            new Entry(List.of("PrintV2"), "output_stream names a file", "prints to a file",
                    a -> !CONSOLE_STREAMS.contains(a.getOrDefault("output_stream", ""))),
            new Entry(List.of("Debug*"), "debug_urls is not empty", "sends tensors to debug URLs (files or network)",
                    a -> !a.getOrDefault("debug_urls", "[]").equals("[]") && !a.get("debug_urls").isEmpty()),
            new Entry(List.of("DecodeProtoV2", "EncodeProto"), "descriptor_source is not local://",
                    "reads protobuf descriptors from a file",
                    a -> !a.getOrDefault("descriptor_source", "local://").equals("local://")),
            always(List.of("PyFunc", "PyFuncStateless", "EagerPyFunc"), "calls Python code"),
            always(List.of("Abort"), "ends the process running the model"),
            always(List.of("Send", "Recv", "_Send", "_Recv", "_HostSend", "_HostRecv"),
                    "sends or receives tensors across devices or processes"),
            always(List.of("Collective*", "Nccl*"), "exchanges tensors with other devices or workers"),
            always(List.of("RemoteCall", "Rpc*", "TryRpc", "DeleteRpcFutureResource"),
                    "calls another process over the network"),
            new Entry(List.of("*"), "its ONNX domain is not one ONNX Runtime implements",
                    "custom op from another domain: runs code Tensorscope cannot inspect",
                    a -> a.containsKey("domain") && !BUILT_IN_ONNX_DOMAINS.contains(a.get("domain"))));

    private SideEffectOps() {
    }

    private static Entry always(List<String> types, String what) {
        return new Entry(types, "", what, a -> true);
    }

    /** The guard's whole list. */
    public static List<Entry> entries() {
        return ENTRIES;
    }

    /**
     * Whether ops of this type may reach outside the model, whatever their attributes; for checks
     * that see only a type and must err on the side of refusing. Custom ONNX domains are not
     * covered: they need the op's attributes.
     */
    public static boolean isSideEffect(String opType) {
        return ENTRIES.stream().filter(e -> !e.types().equals(List.of("*")))
                .anyMatch(e -> Entry.pattern(e.types()).matcher(opType).matches());
    }

    /** What the op does outside the model, empty when nothing. */
    public static Optional<String> reason(OpNode op) {
        for (Entry entry : ENTRIES) {
            if (entry.matches(op)) {
                if (entry.types().equals(List.of("*"))) {
                    return Optional.of("custom op from domain " + op.attributes().get("domain")
                            + ": runs code Tensorscope cannot inspect");
                }
                return Optional.of(entry.what());
            }
        }
        return Optional.empty();
    }

    /**
     * The model's ops that reach outside it: the main graph's in topological order, then those of
     * its library (function bodies, init ops).
     */
    public static List<OpNode> in(ModelGraph graph) {
        List<OpNode> found = new ArrayList<>();
        Stream.concat(graph.ops().stream(), graph.libraryOps().stream().filter(op -> graph.op(op.name()).isEmpty()))
                .filter(op -> reason(op).isPresent()).forEach(found::add);
        return found;
    }

    /** "name (Type: what it does)". */
    public static String describe(OpNode op) {
        return op.name() + " (" + op.type() + ": " + reason(op).orElse("nothing outside the model") + ")";
    }

    /**
     * The one-line refusal for a model holding such ops, naming the first few; empty when it
     * holds none.
     */
    public static Optional<String> refusal(ModelGraph graph) {
        List<OpNode> risky = in(graph);
        if (risky.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(graph.source() + ": the model holds " + risky.size() + (risky.size() == 1 ? " op that reaches" : " ops that reach")
                + " outside it (" + risky.stream().limit(5).map(SideEffectOps::describe)
                        .collect(Collectors.joining(", "))
                + (risky.size() > 5 ? ", ..." : "") + "); pass --allow-side-effects to run it anyway");
    }
}
