package org.tensorscope.tensorflow.internal.load;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.osgi.service.component.annotations.Component;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.FunctionDefLibrary;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorscope.core.Tensorscope;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.SignatureTensor;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.service.ModelFiles;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.core.service.ModelLoader;
import org.tensorscope.tensorflow.internal.ModelReading;
import org.tensorscope.tensorflow.internal.TfModel;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * Reads a TF.js graph model: {@code model.json} (a GraphDef in proto3 JSON plus a weights
 * manifest) and its binary weight shards.
 */
@Component(service = ModelLoader.class, property = { Tensorscope.PROP_FORMAT + "=" + TfjsGraphModelLoader.FORMAT,
        Tensorscope.PROP_FILE_PATTERNS + "=*.json" })
public class TfjsGraphModelLoader implements ModelLoader {

    public static final String FORMAT = "TF.js graph model";

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public boolean canLoad(Path path) {
        if (!Files.isRegularFile(path) || !path.getFileName().toString().endsWith(".json")) {
            return false;
        }
        try (InputStream in = Files.newInputStream(path)) {
            String head = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
            return (head.contains("\"modelTopology\"") || head.contains("\"format\"") || head.contains("\"weightsManifest\""))
                    && !org.tensorscope.tensorflow.internal.keras.TfjsLayersModelLoader.isLayersModel(head);
        } catch (IOException e) {
            return false;
        }
    }

    private record Read(JsonObject json, JsonObject topology, Map<String, TensorProto> weights) {
    }

    /** The model's JSON and weights, checked for the shape a graph model has: Java only (see {@link ModelReading}). */
    private static Read read(Path path) throws ModelLoadException {
        JsonObject json = parse(path);
        if (!json.has("modelTopology") || !json.get("modelTopology").isJsonObject()) {
            throw new ModelLoadException(path, "not a TF.js graph model: no modelTopology");
        }
        JsonObject topology = json.getAsJsonObject("modelTopology");
        if (!topology.has("node")) {
            // older converters write no "format"; their layers models hold a Keras model_config instead of nodes
            boolean layers = json.has("format") ? "\"layers-model\"".equals(json.get("format").toString())
                    : topology.has("model_config") || topology.has("class_name");
            throw new ModelLoadException(path, layers
                    ? "a TF.js layers model (Keras layers), not a graph model: Tensorscope reads graph models"
                    : "not a TF.js graph model: modelTopology has no nodes");
        }
        if (!topology.get("node").isJsonArray()) {
            throw new ModelLoadException(path, "modelTopology.node should be a list, not " + TfjsJson.kind(topology.get("node")));
        }
        if (json.has("weightsManifest") && !json.get("weightsManifest").isJsonArray()) {
            throw new ModelLoadException(path, "weightsManifest should be a list, not " + TfjsJson.kind(json.get("weightsManifest")));
        }
        Map<String, TensorProto> weights;
        try {
            weights = TfjsWeights.read(path,
                    json.has("weightsManifest") ? json.getAsJsonArray("weightsManifest") : new com.google.gson.JsonArray());
        } catch (RuntimeException e) {
            throw new ModelLoadException(path, "the weights manifest cannot be read: " + TfjsJson.wrongShape(e), e);
        }
        return new Read(json, topology, weights);
    }

    @Override
    public TfModel load(Path path, IProgressMonitor monitor) throws ModelLoadException {
        SubMonitor progress = SubMonitor.convert(monitor, "Reading " + path.getFileName(), 4);
        Read read = ModelReading.alongsideNatives(() -> read(path));
        JsonObject json = read.json();
        JsonObject topology = read.topology();
        Map<String, TensorProto> weights = read.weights();
        progress.split(2);
        GraphDef.Builder graph = GraphDef.newBuilder();
        int index = 0;
        try {
            for (JsonElement element : topology.getAsJsonArray("node")) {
                index++;
                graph.addAllNode(withWeights(TfjsJson.node(element.getAsJsonObject()), weights, path));
            }
        } catch (IllegalArgumentException | IllegalStateException | NullPointerException | ClassCastException
                | UnsupportedOperationException e) {
            throw new ModelLoadException(path, "the model topology cannot be read: modelTopology.node[" + (index - 1) + "]: "
                    + TfjsJson.wrongShape(e), e);
        }
        if (topology.has("library")) {
            graph.setLibrary(library(path, topology.get("library"), weights));
        }
        GraphDef graphDef = runnable(graph.build());
        progress.split(1);
        ModelGraph converted = GraphDefConverter.convert(path, FORMAT, graphDef, List.of());
        List<Signature> signatures;
        try {
            signatures = signatures(json, converted);
        } catch (IllegalStateException | NullPointerException | ClassCastException | UnsupportedOperationException e) {
            throw new ModelLoadException(path, "the signature cannot be read: " + TfjsJson.wrongShape(e), e);
        }
        // the guard sees what the library's functions would run, as for a frozen GraphDef
        ModelGraph model = (signatures.isEmpty() ? converted
                : new ModelGraph(path, FORMAT, converted.ops(), signatures, converted.weights()))
                .withLibraryOps(FunctionBodies.of(graphDef));
        progress.split(1);
        return new TfModel(graphDef, model);
    }

    /**
     * A node as the TF.js converter wrote it, made runnable by TensorFlow: a constant with its value from the weights,
     * an op of TF.js's own as TensorFlow ops, no device.
     */
    static List<NodeDef> withWeights(NodeDef written, Map<String, TensorProto> weights, Path path)
            throws ModelLoadException {
        NodeDef node = written.toBuilder().clearDevice().build();
        if (node.getOp().equals("Const")) {
            node = withValue(node, weights, path);
        }
        return TfjsOnlyOps.isTfjsOnly(node) ? TfjsOnlyOps.rewrite(node) : List.of(node);
    }

    /** The converter's graph with its dangling control inputs dropped, its constants retyped and its calls inlined. */
    static GraphDef runnable(GraphDef written) {
        GraphDef graphDef = ConstantRetyper.retype(withoutDanglingControlInputs(written)).graph();
        return FunctionInliner.hasCalls(graphDef) ? new FunctionInliner(graphDef).inline(graphDef) : graphDef;
    }

    /** The functions of {@code modelTopology.library}, their constants' values taken from the weights. */
    private static FunctionDefLibrary library(Path path, JsonElement json, Map<String, TensorProto> weights)
            throws ModelLoadException {
        FunctionDefLibrary library;
        try {
            if (!json.isJsonObject()) {
                throw new IllegalStateException("it should be an object, not " + TfjsJson.kind(json));
            }
            library = TfjsJson.library(json.getAsJsonObject());
        } catch (IllegalArgumentException | IllegalStateException | NullPointerException | ClassCastException
                | UnsupportedOperationException e) {
            throw new ModelLoadException(path, "the model topology cannot be read: modelTopology.library: "
                    + TfjsJson.wrongShape(e), e);
        }
        FunctionDefLibrary.Builder withValues = library.toBuilder();
        for (FunctionDef.Builder function : withValues.getFunctionBuilderList()) {
            for (NodeDef.Builder node : function.getNodeDefBuilderList()) {
                TensorProto value = weights.get(node.getName());
                boolean hasValue = node.containsAttr("value") && hasContent(node.getAttrOrThrow("value").getTensor());
                if (node.getOp().equals("Const") && value != null && !hasValue) {
                    node.putAttr("value", AttrValue.newBuilder().setTensor(value).build())
                            .putAttr("dtype", AttrValue.newBuilder().setType(value.getDtype()).build());
                }
            }
        }
        return withValues.build();
    }

    /** The TF.js converter drops nodes but may leave control inputs ("^name") pointing at them. */
    private static GraphDef withoutDanglingControlInputs(GraphDef graph) {
        java.util.Set<String> names = new java.util.HashSet<>();
        graph.getNodeList().forEach(n -> names.add(n.getName()));
        GraphDef.Builder cleaned = graph.toBuilder().clearNode();
        for (NodeDef node : graph.getNodeList()) {
            List<String> inputs = node.getInputList().stream()
                    .filter(i -> !i.startsWith("^") || names.contains(i.substring(1))).toList();
            cleaned.addNode(inputs.size() == node.getInputCount() ? node
                    : node.toBuilder().clearInput().addAllInput(inputs).build());
        }
        return cleaned.build();
    }

    private static JsonObject parse(Path path) throws ModelLoadException {
        try {
            JsonElement root = JsonParser.parseString(new String(ModelFiles.readNonEmpty(path), StandardCharsets.UTF_8));
            if (!root.isJsonObject()) {
                throw new ModelLoadException(path, "not a TF.js model: the JSON is not an object");
            }
            return root.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new ModelLoadException(path, "not valid JSON (truncated or corrupt): " + TfjsJson.syntaxProblem(e), e);
        }
    }

    private static NodeDef withValue(NodeDef node, Map<String, TensorProto> weights, Path path) throws ModelLoadException {
        TensorProto value = weights.get(node.getName());
        if (value == null) {
            if (node.containsAttr("value") && hasContent(node.getAttrOrThrow("value").getTensor())) {
                return node;
            }
            throw new ModelLoadException(path, "constant " + node.getName() + " has no entry in the weights manifest");
        }
        return node.toBuilder().putAttr("value", AttrValue.newBuilder().setTensor(value).build())
                .putAttr("dtype", AttrValue.newBuilder().setType(value.getDtype()).build()).build();
    }

    private static boolean hasContent(TensorProto t) {
        return !t.getTensorContent().isEmpty() || t.getFloatValCount() + t.getIntValCount() + t.getInt64ValCount()
                + t.getBoolValCount() + t.getStringValCount() > 0;
    }

    /** The signature from {@code signature} or {@code userDefinedMetadata.signature}; empty when absent. */
    private static List<Signature> signatures(JsonObject json, ModelGraph graph) {
        JsonObject signature = json.has("signature") ? json.getAsJsonObject("signature")
                : json.has("userDefinedMetadata") && json.getAsJsonObject("userDefinedMetadata").has("signature")
                        ? json.getAsJsonObject("userDefinedMetadata").getAsJsonObject("signature")
                        : null;
        if (signature == null) {
            return List.of();
        }
        List<SignatureTensor> inputs = tensors(signature.getAsJsonObject("inputs"), graph);
        List<SignatureTensor> outputs = tensors(signature.getAsJsonObject("outputs"), graph);
        if (inputs.isEmpty() && outputs.isEmpty()) {
            return List.of();
        }
        // some converters write only the outputs (faceboxes): TF.js then takes the placeholders as inputs
        Signature inferred = graph.defaultSignature().orElse(null);
        if (inferred != null && inputs.isEmpty()) {
            inputs = inferred.inputs();
        }
        if (inferred != null && outputs.isEmpty()) {
            outputs = inferred.outputs();
        }
        return List.of(new Signature(Signature.DEFAULT_KEY, inputs, outputs));
    }

    private static List<SignatureTensor> tensors(JsonObject entries, ModelGraph graph) {
        List<SignatureTensor> tensors = new ArrayList<>();
        if (entries == null) {
            return tensors;
        }
        for (Map.Entry<String, JsonElement> entry : entries.entrySet()) {
            JsonObject info = entry.getValue().getAsJsonObject();
            String tensorName = info.has("name") ? info.get("name").getAsString() : entry.getKey();
            if (!tensorName.contains(":")) {
                tensorName += ":0";
            }
            String key = entry.getKey().endsWith(":0") ? entry.getKey().substring(0, entry.getKey().length() - 2)
                    : entry.getKey();
            String op = tensorName.substring(0, tensorName.lastIndexOf(':'));
            String wanted = tensorName;
            graph.op(op).flatMap(o -> o.outputs().stream().filter(t -> t.name().equals(wanted)).findFirst())
                    .ifPresent((TensorSpec t) -> tensors.add(new SignatureTensor(key, t)));
        }
        return tensors;
    }
}
