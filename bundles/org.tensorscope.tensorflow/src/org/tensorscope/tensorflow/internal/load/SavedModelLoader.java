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
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorscope.core.Tensorscope;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.service.ModelFiles;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.core.service.ModelLoader;
import org.tensorscope.tensorflow.internal.TensorFlowRuntime;
import org.tensorscope.tensorflow.internal.TfModel;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;

/**
 * Reads a TensorFlow SavedModel folder (TF1 or TF2) into a frozen graph: called functions are
 * inlined, variables become constants holding their restored values, and the graph is pruned to
 * what the signatures compute.
 */
@Component(service = ModelLoader.class, property = { Tensorscope.PROP_FORMAT + "=" + SavedModelLoader.FORMAT,
        Tensorscope.PROP_FILE_PATTERNS + "=saved_model.pb" })
public class SavedModelLoader implements ModelLoader {

    public static final String FORMAT = "TensorFlow SavedModel";
    public static final String DEFAULT_TAG = "serve";

    private static final Set<String> VARIABLES = Set.of("VarHandleOp", "VariableV2", "Variable");

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
        TensorFlowRuntime.prepareNatives();
        Path dir = folder(path);
        Path pb = dir.resolve("saved_model.pb");
        MetaGraphDef meta = metaGraph(pb, tags);
        progress.split(1);
        boolean hasVariables = hasVariables(meta.getGraphDef());
        Path index = dir.resolve("variables").resolve("variables.index");
        if (hasVariables && !Files.isRegularFile(index)) {
            throw new ModelLoadException(dir, Files.isDirectory(dir.resolve("variables"))
                    ? "variables/variables.index is missing: the model's weights cannot be read"
                    : "the variables/ folder is missing: the model's weights cannot be read");
        }
        GraphDef frozen;
        try (SavedModelBundle bundle = SavedModelBundle.loader(dir.toString()).withTags(tags.toArray(new String[0])).load()) {
            progress.split(1);
            GraphDef inlined = FunctionInliner.hasCalls(meta.getGraphDef())
                    ? new FunctionInliner(meta.getGraphDef()).inline(meta.getGraphDef())
                    : meta.getGraphDef().toBuilder().clearLibrary().build();
            progress.split(1);
            frozen = prune(freeze(inlined, bundle, dir), meta);
        } catch (TensorFlowException | IllegalArgumentException | IllegalStateException e) {
            throw new ModelLoadException(dir, "TensorFlow cannot load the SavedModel"
                    + (hasVariables ? " (are variables/ complete?)" : "") + ": " + GraphDefConverter.firstLine(e.getMessage()), e);
        }
        progress.split(1);
        ModelGraph graph = GraphDefConverter.convert(dir, FORMAT, frozen, List.of());
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
        return new TfModel(frozen, SignatureResolver.withSignatures(graph, inputs, outputs));
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
        return graph.getNodeList().stream().anyMatch(n -> VARIABLES.contains(n.getOp()))
                || graph.getLibrary().getFunctionList().stream()
                        .anyMatch(f -> f.getNodeDefList().stream().anyMatch(n -> VARIABLES.contains(n.getOp())));
    }

    private static Map<String, String> names(Map<String, TensorInfo> infos) {
        Map<String, String> names = new LinkedHashMap<>();
        infos.forEach((key, info) -> names.put(key, info.getName()));
        return names;
    }

    /** Variables become constants with their restored values; their reads become those constants. */
    private static GraphDef freeze(GraphDef graph, SavedModelBundle bundle, Path dir) throws ModelLoadException {
        Map<String, NodeDef> byName = new HashMap<>();
        graph.getNodeList().forEach(n -> byName.put(n.getName(), n));
        Map<String, TensorProto> values = new HashMap<>();
        GraphDef.Builder out = graph.toBuilder().clearNode();
        for (NodeDef node : graph.getNodeList()) {
            if (node.getOp().equals("VariableV2") || node.getOp().equals("Variable")) {
                out.addNode(constant(node.getName(), valueOf(bundle, node.getName(), null, values, dir)));
            } else if (node.getOp().equals("ReadVariableOp") && node.getInputCount() > 0) {
                String handle = node.getInput(0).split(":")[0];
                NodeDef variable = byName.get(handle);
                if (variable != null && variable.getOp().equals("VarHandleOp")) {
                    AttrValue dtype = variable.getAttrOrThrow("dtype");
                    out.addNode(constant(node.getName(), valueOf(bundle, handle, dtype, values, dir)));
                } else {
                    out.addNode(node);
                }
            } else {
                out.addNode(node);
            }
        }
        return out.build();
    }

    private static TensorProto valueOf(SavedModelBundle bundle, String variable, AttrValue dtype,
            Map<String, TensorProto> cache, Path dir) throws ModelLoadException {
        TensorProto cached = cache.get(variable);
        if (cached != null) {
            return cached;
        }
        Graph graph = bundle.graph();
        GraphOperation op = graph.operation(variable);
        if (op == null) {
            throw new ModelLoadException(dir, "variable " + variable + " is not in the loaded graph");
        }
        String fetch = variable;
        if (dtype != null) {
            fetch = graph.opBuilder("ReadVariableOp", "tensorscope_freeze/" + variable.replace(':', '_'), graph.baseScope())
                    .addInput(op.output(0)).setAttr("dtype", dtype.getType()).build().name();
        }
        try (Result result = bundle.session().runner().fetch(fetch).run()) {
            Tensor tensor = result.get(0);
            org.tensorflow.RawTensor raw = tensor.asRawTensor();
            byte[] bytes = new byte[(int) raw.numBytes()];
            raw.data().read(bytes);
            TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
            for (long d : raw.shape().asArray()) {
                shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
            }
            TensorProto value = TensorProto.newBuilder().setDtype(raw.dataType()).setTensorShape(shape)
                    .setTensorContent(ByteString.copyFrom(bytes)).build();
            cache.put(variable, value);
            return value;
        }
    }

    private static NodeDef constant(String name, TensorProto value) {
        return NodeDef.newBuilder().setName(name).setOp("Const")
                .putAttr("dtype", AttrValue.newBuilder().setType(value.getDtype()).build())
                .putAttr("value", AttrValue.newBuilder().setTensor(value).build()).build();
    }

    /** Keeps only what the signatures' outputs depend on (drops savers, initialisers, unused handles). */
    private static GraphDef prune(GraphDef graph, MetaGraphDef meta) {
        Map<String, NodeDef> byName = new HashMap<>();
        graph.getNodeList().forEach(n -> byName.put(n.getName(), n));
        Set<String> keep = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        for (SignatureDef signature : meta.getSignatureDefMap().values()) {
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
        if (keep.isEmpty()) {
            return graph;
        }
        GraphDef.Builder pruned = graph.toBuilder().clearNode();
        graph.getNodeList().stream().filter(n -> keep.contains(n.getName())).forEach(pruned::addNode);
        return pruned.build();
    }
}
