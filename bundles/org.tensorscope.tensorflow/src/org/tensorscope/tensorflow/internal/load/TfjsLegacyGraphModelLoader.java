package org.tensorscope.tensorflow.internal.load;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.osgi.service.component.annotations.Component;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorscope.core.Tensorscope;
import org.tensorscope.core.service.ModelFiles;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.core.service.ModelLoader;
import org.tensorscope.tensorflow.internal.ModelReading;
import org.tensorscope.tensorflow.internal.TfModel;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * Reads a TF.js graph model as converters before TF.js 1.0 wrote it: a binary GraphDef
 * ({@code tensorflowjs_model.pb}) whose constants hold no values, and beside it {@code weights_manifest.json}
 * (the list of weight groups a {@code model.json} holds as {@code weightsManifest}) with its shards. The model is
 * opened by its folder, its GraphDef or its manifest.
 */
@Component(service = ModelLoader.class, property = { Tensorscope.PROP_FORMAT + "=" + TfjsLegacyGraphModelLoader.FORMAT,
        Tensorscope.PROP_FILE_PATTERNS + "=" + TfjsLegacyGraphModelLoader.GRAPH,
        Tensorscope.PROP_FILE_PATTERNS + "=" + TfjsLegacyGraphModelLoader.MANIFEST })
public class TfjsLegacyGraphModelLoader implements ModelLoader {

    public static final String FORMAT = "TF.js graph model (converter 0.x)";

    static final String GRAPH = "tensorflowjs_model.pb";

    static final String MANIFEST = "weights_manifest.json";

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public boolean canLoad(Path path) {
        return graphFile(path) != null;
    }

    /**
     * The GraphDef of the model {@code path} names (its folder, its GraphDef, its manifest), or null when it is not
     * one: the converter's GraphDef by its name (its manifest may be missing, which loading then says), or any other
     * {@code .pb} but a SavedModel's with a weights manifest beside it.
     */
    static Path graphFile(Path path) {
        if (Files.isDirectory(path)) {
            Path graph = path.resolve(GRAPH);
            return Files.isRegularFile(graph) ? graph : null;
        }
        if (!Files.isRegularFile(path)) {
            return null;
        }
        String name = path.getFileName().toString();
        if (name.equals(MANIFEST)) {
            Path graph = path.resolveSibling(GRAPH);
            return Files.isRegularFile(graph) ? graph : null;
        }
        boolean graph = name.equals(GRAPH)
                || name.endsWith(".pb") && !name.equals("saved_model.pb")
                        && Files.isRegularFile(path.resolveSibling(MANIFEST));
        return graph ? path : null;
    }

    private record Read(GraphDef graph, Map<String, TensorProto> weights) {
    }

    @Override
    public TfModel load(Path path, IProgressMonitor monitor) throws ModelLoadException {
        Path graphFile = graphFile(path);
        if (graphFile == null) {
            throw new ModelLoadException(path, "not a TF.js graph model of converter 0.x: it needs " + GRAPH + " and "
                    + MANIFEST + " in one folder");
        }
        SubMonitor progress = SubMonitor.convert(monitor, "Reading " + graphFile.getFileName(), 3);
        Path manifest = graphFile.resolveSibling(MANIFEST);
        Read read = ModelReading.alongsideNatives(
                () -> new Read(FrozenGraphLoader.graphDef(graphFile), weights(manifest)));
        progress.split(1);
        GraphDef.Builder graph = read.graph().toBuilder().clearNode();
        GraphDef graphDef;
        try {
            for (NodeDef node : read.graph().getNodeList()) {
                graph.addAllNode(TfjsGraphModelLoader.withWeights(node, read.weights(), graphFile));
            }
            graphDef = TfjsGraphModelLoader.runnable(graph.build());
        } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
            throw new ModelLoadException(graphFile, "the graph cannot be read: " + FrozenGraphLoader.oneLine(
                    e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
        progress.split(1);
        TfModel model = new TfModel(graphDef, GraphDefConverter.convert(graphFile, FORMAT, graphDef, List.of())
                .withLibraryOps(FunctionBodies.of(graphDef)));
        progress.split(1);
        return model;
    }

    private static Map<String, TensorProto> weights(Path manifest) throws ModelLoadException {
        JsonElement root;
        try {
            root = JsonParser.parseString(new String(ModelFiles.readNonEmpty(manifest), StandardCharsets.UTF_8));
        } catch (JsonParseException e) {
            throw new ModelLoadException(manifest, "not valid JSON (truncated or corrupt): " + TfjsJson.syntaxProblem(e),
                    e);
        }
        if (!root.isJsonArray()) {
            throw new ModelLoadException(manifest, "the weights manifest should be a list of weight groups, not "
                    + TfjsJson.kind(root));
        }
        try {
            return TfjsWeights.read(manifest, (JsonArray) root);
        } catch (RuntimeException e) {
            throw new ModelLoadException(manifest, "the weights manifest cannot be read: " + TfjsJson.wrongShape(e), e);
        }
    }
}
