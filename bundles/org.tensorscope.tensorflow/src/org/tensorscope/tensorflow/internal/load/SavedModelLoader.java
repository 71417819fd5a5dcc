package org.tensorscope.tensorflow.internal.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.osgi.service.component.annotations.Component;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorProto;
import org.tensorscope.core.Tensorscope;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.service.ModelFiles;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.core.service.ModelLoader;
import org.tensorscope.tensorflow.internal.ModelReading;
import org.tensorscope.tensorflow.internal.TfModel;

import com.google.protobuf.InvalidProtocolBufferException;

/**
 * Reads a TensorFlow SavedModel folder (TF1 or TF2) into a frozen graph: called functions are
 * inlined, variables become constants holding their values from the checkpoint (those the model
 * changes stay live variables, see {@link VariableFreezer}), and the graph is pruned to what the
 * signatures compute.
 */
@Component(service = ModelLoader.class, property = { Tensorscope.PROP_FORMAT + "=" + SavedModelLoader.FORMAT,
        Tensorscope.PROP_FILE_PATTERNS + "=saved_model.pb" })
public class SavedModelLoader implements ModelLoader {

    public static final String FORMAT = "TensorFlow SavedModel";
    public static final String DEFAULT_TAG = "serve";

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public boolean canLoad(Path path) {
        return Files.isRegularFile(folder(path).resolve("saved_model.pb"));
    }

    private static Path folder(Path path) {
        return Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
    }

    @Override
    public TfModel load(Path path, IProgressMonitor monitor) throws ModelLoadException {
        return load(path, List.of(DEFAULT_TAG), monitor);
    }

    /** Loads the meta graph holding all the given tags. */
    public TfModel load(Path path, List<String> tags, IProgressMonitor monitor) throws ModelLoadException {
        SubMonitor progress = SubMonitor.convert(monitor, "Reading " + path.getFileName(), 5);
        Path dir = folder(path);
        Path pb = dir.resolve("saved_model.pb");
        MetaGraphDef meta = ModelReading.alongsideNatives(() -> {
            MetaGraphDef read = metaGraph(pb, tags);
            GraphLimits.check(pb, read.getGraphDef());
            return read;
        });
        progress.split(1);
        boolean hasVariables = hasVariables(meta.getGraphDef());
        Path index = dir.resolve("variables").resolve("variables.index");
        if (hasVariables && !Files.isRegularFile(index)) {
            throw new ModelLoadException(dir, Files.isDirectory(dir.resolve("variables"))
                    ? "variables/variables.index is missing: the model's weights cannot be read"
                    : "the variables/ folder is missing: the model's weights cannot be read");
        }
        checkFilesStayInside(dir);
        GraphDef frozen;
        Set<String> live;
        try {
            GraphDef inlined = FunctionInliner.hasCalls(meta.getGraphDef())
                    ? new FunctionInliner(meta.getGraphDef()).inline(meta.getGraphDef())
                    : meta.getGraphDef().toBuilder().clearLibrary().build();
            progress.split(1);
            Set<String> needed = needed(inlined, meta);
            List<NodeDef> neededNodes = inlined.getNodeList().stream().filter(n -> needed.contains(n.getName())).toList();
            List<NodeDef> variables = neededNodes.stream().filter(n -> VariableFreezer.VARIABLES.contains(n.getOp()))
                    .toList();
            live = VariableFreezer.liveVariables(neededNodes);
            Map<String, TensorProto> values = variables.isEmpty() ? Map.of()
                    : CheckpointValues.read(dir, meta, variables);
            frozen = prune(VariableFreezer.freeze(inlined, values, live), meta);
        } catch (TensorFlowException | IllegalArgumentException | IllegalStateException e) {
            throw new ModelLoadException(dir, "TensorFlow cannot load the SavedModel"
                    + (hasVariables ? " (are variables/ complete?)" : "") + ": " + GraphDefConverter.firstLine(e.getMessage()), e);
        }
        progress.split(1);
        ModelGraph graph = VariableFreezer.presented(GraphDefConverter.convert(dir, FORMAT, frozen, List.of()), live);
        Map<String, Map<String, String>> inputs = new LinkedHashMap<>();
        Map<String, Map<String, String>> outputs = new LinkedHashMap<>();
        meta.getSignatureDefMap().forEach((key, signature) -> {
            if (key.startsWith("__")) {
                return; // __saved_model_init_op and the like are not entry points
            }
            inputs.put(key, names(signature.getInputsMap()));
            outputs.put(key, names(signature.getOutputsMap()));
        });
        progress.split(1);
        List<org.tensorscope.core.model.OpNode> library = new java.util.ArrayList<>(FunctionBodies.of(frozen));
        library.addAll(SavedModelInitOps.of(meta)); // never run, but refused as if they were
        return new TfModel(frozen, SignatureResolver.withSignatures(graph, inputs, outputs).withLibraryOps(library));
    }

    /**
     * TensorFlow reads variables/ and assets/ itself: before it does, each file there must be a
     * regular file whose real path stays inside the model's folder (no link out, no FIFO that would hang).
     */
    private static void checkFilesStayInside(Path dir) throws ModelLoadException {
        for (String sub : List.of("variables", "assets")) {
            Path folder = dir.resolve(sub);
            if (!Files.exists(folder, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            ModelFiles.confined(dir, sub);
            try (java.util.stream.Stream<Path> files = Files.walk(folder, 4)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    if (file.equals(folder) || Files.isDirectory(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        continue;
                    }
                    Path real = ModelFiles.confined(dir, dir.relativize(file).toString());
                    String problem = ModelFiles.irregularKind(real);
                    if (problem != null) {
                        throw new ModelLoadException(file, problem);
                    }
                }
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                throw new ModelLoadException(folder, "cannot be read: " + e.getMessage(), e);
            }
        }
    }

    private static MetaGraphDef metaGraph(Path pb, List<String> tags) throws ModelLoadException {
        SavedModel saved;
        try {
            saved = SavedModel.parseFrom(ModelFiles.readNonEmpty(pb));
        } catch (InvalidProtocolBufferException e) {
            throw new ModelLoadException(pb, "not a valid SavedModel (the protobuf is truncated or corrupt)", e);
        }
        return saved.getMetaGraphsList().stream().filter(m -> m.getMetaInfoDef().getTagsList().containsAll(tags))
                .findFirst().orElseThrow(() -> new ModelLoadException(pb, "no meta graph with the tags " + tags + "; it has "
                        + saved.getMetaGraphsList().stream().map(m -> m.getMetaInfoDef().getTagsList().toString()).toList()));
    }

    private static boolean hasVariables(GraphDef graph) {
        return graph.getNodeList().stream().anyMatch(n -> VariableFreezer.VARIABLES.contains(n.getOp()))
                || graph.getLibrary().getFunctionList().stream()
                        .anyMatch(f -> f.getNodeDefList().stream().anyMatch(n -> VariableFreezer.VARIABLES.contains(n.getOp())));
    }

    private static Map<String, String> names(Map<String, TensorInfo> infos) {
        Map<String, String> names = new LinkedHashMap<>();
        infos.forEach((key, info) -> names.put(key, info.getName()));
        return names;
    }

    /** Keeps only what the signatures' outputs depend on (drops savers, initialisers, unused handles). */
    private static GraphDef prune(GraphDef graph, MetaGraphDef meta) {
        Set<String> keep = needed(graph, meta);
        if (keep.isEmpty()) {
            return graph;
        }
        GraphDef.Builder pruned = graph.toBuilder().clearNode();
        graph.getNodeList().stream().filter(n -> keep.contains(n.getName())).forEach(pruned::addNode);
        return pruned.build();
    }

    /**
     * The nodes that the signatures' inputs and outputs depend on, through data and control inputs;
     * not the init op's, which is never run.
     */
    private static Set<String> needed(GraphDef graph, MetaGraphDef meta) {
        Map<String, NodeDef> byName = new HashMap<>();
        graph.getNodeList().forEach(n -> byName.put(n.getName(), n));
        Set<String> keep = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        for (Map.Entry<String, SignatureDef> entry : meta.getSignatureDefMap().entrySet()) {
            if (entry.getKey().startsWith("__")) {
                continue; // the init op is never run: the op guard reads it apart (SavedModelInitOps)
            }
            SignatureDef signature = entry.getValue();
            signature.getOutputsMap().values().forEach(info -> todo.add(info.getName().split(":")[0]));
            signature.getInputsMap().values().forEach(info -> todo.add(info.getName().split(":")[0]));
        }
        while (!todo.isEmpty()) {
            String name = todo.poll();
            if (keep.add(name) && byName.containsKey(name)) {
                for (String input : byName.get(name).getInputList()) {
                    todo.add(input.replace("^", "").split(":")[0]);
                }
            }
        }
        keep.retainAll(byName.keySet());
        return keep;
    }
}
