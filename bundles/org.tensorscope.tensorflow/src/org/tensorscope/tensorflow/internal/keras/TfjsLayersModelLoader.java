package org.tensorscope.tensorflow.internal.keras;

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
import org.tensorflow.proto.TensorProto;
import org.tensorscope.core.Tensorscope;
import org.tensorscope.core.service.ModelFiles;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.core.service.ModelLoader;
import org.tensorscope.tensorflow.internal.ModelReading;
import org.tensorscope.tensorflow.internal.TfModel;
import org.tensorscope.tensorflow.internal.keras.KerasGraphBuilder.Dialect;
import org.tensorscope.tensorflow.internal.load.TfjsWeights;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * Reads a TF.js layers model: {@code model.json} holding a Keras topology ({@code modelTopology}, the
 * {@code model_config} Keras writes, or the model config itself when TF.js saved the model) and a weights
 * manifest whose weights are named {@code <layer>/<variable>}.
 */
@Component(service = ModelLoader.class, property = { Tensorscope.PROP_FORMAT + "=" + TfjsLayersModelLoader.FORMAT,
        Tensorscope.PROP_FILE_PATTERNS + "=*.json" })
public class TfjsLayersModelLoader implements ModelLoader {

    public static final String FORMAT = "TF.js layers model";

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
            return isLayersModel(new String(in.readNBytes(4096), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the start of a model.json is that of a layers model rather than a graph model. */
    public static boolean isLayersModel(String head) {
        return head.contains("\"modelTopology\"") && (head.contains("\"layers-model\"") || head.contains("\"model_config\"")
                || head.contains("\"class_name\"") && !head.contains("\"node\""));
    }

    @Override
    public TfModel load(Path path, IProgressMonitor monitor) throws ModelLoadException {
        SubMonitor progress = SubMonitor.convert(monitor, "Reading " + path.getFileName(), 3);
        Read read = ModelReading.alongsideNatives(() -> read(path));
        progress.split(2);
        TfModel model = KerasModels.build(path, FORMAT, FORMAT, read.topology(), Dialect.TFJS,
                new NamedWeights(read.order(), read.values()));
        progress.split(1);
        return model;
    }

    private record Read(KerasTopology.Model topology, List<String> order, Map<String, TensorProto> values) {
    }

    /** The model's JSON, topology and weights: Java only (see {@link ModelReading}). */
    private static Read read(Path path) throws ModelLoadException {
        JsonObject json = parse(path);
        JsonElement topology = json.get("modelTopology");
        if (topology == null || !topology.isJsonObject()) {
            throw new ModelLoadException(path, "not a TF.js layers model: no modelTopology object");
        }
        JsonObject modelConfig = topology.getAsJsonObject().has("model_config")
                ? asObject(topology.getAsJsonObject().get("model_config"), path)
                : topology.getAsJsonObject();
        if (!modelConfig.has("class_name")) {
            throw new ModelLoadException(path, "not a TF.js layers model: modelTopology holds no Keras model (class_name)");
        }
        KerasTopology.Model topologyModel = KerasModels.topology(path, FORMAT, modelConfig);
        JsonElement manifest = json.get("weightsManifest");
        if (manifest != null && !manifest.isJsonArray()) {
            throw new ModelLoadException(path, "weightsManifest should be a list");
        }
        JsonArray groups = manifest == null ? new JsonArray() : manifest.getAsJsonArray();
        Map<String, TensorProto> values;
        try {
            values = TfjsWeights.read(path, groups);
        } catch (RuntimeException e) {
            throw new ModelLoadException(path, "the weights manifest cannot be read: " + KerasGraphBuilder.message(e), e);
        }
        List<String> order = new ArrayList<>();
        for (JsonElement group : groups) {
            group.getAsJsonObject().getAsJsonArray("weights")
                    .forEach(w -> order.add(w.getAsJsonObject().get("name").getAsString()));
        }
        return new Read(topologyModel, order, values);
    }

    private static JsonObject asObject(JsonElement e, Path path) throws ModelLoadException {
        if (!e.isJsonObject()) {
            throw new ModelLoadException(path, "modelTopology.model_config should be an object");
        }
        return e.getAsJsonObject();
    }

    private static JsonObject parse(Path path) throws ModelLoadException {
        try {
            JsonElement root = JsonParser.parseString(new String(ModelFiles.readNonEmpty(path), StandardCharsets.UTF_8));
            if (!root.isJsonObject()) {
                throw new ModelLoadException(path, "not a TF.js model: the JSON is not an object");
            }
            return root.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new ModelLoadException(path, "not valid JSON (truncated or corrupt): " + KerasGraphBuilder.message(e), e);
        }
    }

    /** Weights named {@code <layer>/<variable>}, or {@code <model>/<layer>/<variable>} inside nested models. */
    static final class NamedWeights implements LayerWeights {
        private final List<String> order;
        private final Map<String, TensorProto> values;

        NamedWeights(List<String> order, Map<String, TensorProto> values) {
            this.order = order;
            this.values = values;
        }

        @Override
        public List<Weight> of(List<String> layerPath) {
            List<Weight> found = under(String.join("/", layerPath) + "/");
            return found.isEmpty() ? under(layerPath.get(layerPath.size() - 1) + "/") : found;
        }

        private List<Weight> under(String prefix) {
            List<Weight> found = new ArrayList<>();
            for (String name : order) {
                if (name.startsWith(prefix)) {
                    found.add(new Weight(name.substring(prefix.length()), values.get(name)));
                }
            }
            return found;
        }
    }
}
