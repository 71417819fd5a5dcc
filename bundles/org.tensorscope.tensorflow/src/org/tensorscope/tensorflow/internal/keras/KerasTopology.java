package org.tensorscope.tensorflow.internal.keras;

import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Reads the JSON Keras writes for a model ({@code model_config} of an HDF5 file or a TF.js layers model,
 * {@code config.json} of a {@code .keras} file): functional models (Keras 2 {@code Model}, Keras 3
 * {@code Functional}) and {@code Sequential} ones, the latter turned into a chain of layers.
 */
public final class KerasTopology {

    /** A layer output: the layer, which of its calls ("inbound node"), which of that call's outputs. */
    public record TensorRef(String layer, int node, int tensor) {
    }

    /** One layer of a model: its class, its config, and the inputs of each of its calls. */
    public record Layer(String name, String className, JsonObject config, List<List<TensorRef>> calls) {

        public boolean isModel() {
            return config.has("layers") && (className.equals("Model") || className.equals("Functional")
                    || className.equals("Sequential"));
        }
    }

    /** A model: its layers in file order, its inputs and outputs. */
    public record Model(String name, List<Layer> layers, List<TensorRef> inputs, List<TensorRef> outputs) {

        public Layer layer(String name) {
            return layers.stream().filter(l -> l.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("the model refers to a layer " + name + " it does not define"));
        }
    }

    private KerasTopology() {
    }

    /** The model of {@code {"class_name": ..., "config": ...}}. */
    public static Model model(JsonObject json) {
        String className = string(json, "class_name");
        JsonElement config = json.get("config");
        if (className.equals("Sequential")) {
            return sequential(config);
        }
        if (!className.equals("Model") && !className.equals("Functional")) {
            throw new IllegalStateException("the model is a " + className + ", not a Keras Model, Functional or Sequential");
        }
        return functional(object(config, "config"));
    }

    private static Model functional(JsonObject config) {
        List<Layer> layers = new ArrayList<>();
        for (JsonElement element : array(config, "layers")) {
            JsonObject layer = object(element, "a layer");
            JsonObject layerConfig = layer.has("config") && layer.get("config").isJsonObject()
                    ? layer.getAsJsonObject("config") : new JsonObject();
            String name = layer.has("name") ? string(layer, "name") : string(layerConfig, "name");
            List<List<TensorRef>> calls = new ArrayList<>();
            if (layer.has("inbound_nodes")) {
                for (JsonElement node : array(layer, "inbound_nodes")) {
                    calls.add(call(node));
                }
            }
            layers.add(new Layer(name, string(layer, "class_name"), layerConfig, calls));
        }
        return new Model(config.has("name") ? config.get("name").getAsString() : "model", layers,
                refs(config.get("input_layers")), refs(config.get("output_layers")));
    }

    /** A Sequential model as a chain; Keras 2 has no InputLayer in its list, the first layer holds the input shape. */
    private static Model sequential(JsonElement config) {
        JsonArray list = config.isJsonArray() ? config.getAsJsonArray() : array(object(config, "config"), "layers");
        String name = config.isJsonObject() && config.getAsJsonObject().has("name")
                ? config.getAsJsonObject().get("name").getAsString() : "sequential";
        List<Layer> layers = new ArrayList<>();
        TensorRef previous = null;
        for (JsonElement element : list) {
            JsonObject layer = object(element, "a layer");
            JsonObject layerConfig = object(layer.get("config"), "a layer's config");
            String className = string(layer, "class_name");
            String layerName = layerConfig.has("name") ? string(layerConfig, "name") : className.toLowerCase() + "_" + layers.size();
            if (previous == null && !className.equals("InputLayer")) {
                JsonObject input = new JsonObject();
                JsonElement shape = layerConfig.has("batch_input_shape") ? layerConfig.get("batch_input_shape")
                        : layerConfig.get("batch_shape");
                if (shape == null && layerConfig.has("input_shape")) {
                    JsonArray batch = new JsonArray();
                    batch.add(com.google.gson.JsonNull.INSTANCE);
                    batch.addAll(layerConfig.getAsJsonArray("input_shape"));
                    shape = batch;
                }
                if (shape == null) {
                    throw new IllegalStateException("the Sequential model " + name + " does not say its input shape");
                }
                input.add("batch_input_shape", shape);
                if (layerConfig.has("dtype")) {
                    input.add("dtype", layerConfig.get("dtype"));
                }
                String inputName = layerName + "_input";
                layers.add(new Layer(inputName, "InputLayer", input, List.of()));
                previous = new TensorRef(inputName, 0, 0);
            }
            layers.add(new Layer(layerName, className, layerConfig, previous == null ? List.of() : List.of(List.of(previous))));
            previous = new TensorRef(layerName, 0, 0);
        }
        if (layers.isEmpty()) {
            throw new IllegalStateException("the Sequential model " + name + " has no layers");
        }
        return new Model(name, layers, List.of(new TensorRef(layers.get(0).name(), 0, 0)), List.of(previous));
    }

    /**
     * One call of a layer: Keras 2 writes {@code [[name, node, tensor, kwargs], ...]}, Keras 3
     * {@code {"args": [keras tensors or lists of them], "kwargs": {...}}}.
     */
    private static List<TensorRef> call(JsonElement node) {
        List<TensorRef> inputs = new ArrayList<>();
        if (node.isJsonObject()) {
            JsonObject call = node.getAsJsonObject();
            if (call.has("args")) {
                collectKerasTensors(call.get("args"), inputs);
            }
            return inputs;
        }
        for (JsonElement input : node.getAsJsonArray()) {
            inputs.add(ref(input.getAsJsonArray()));
        }
        return inputs;
    }

    private static void collectKerasTensors(JsonElement e, List<TensorRef> into) {
        if (e.isJsonArray()) {
            e.getAsJsonArray().forEach(x -> collectKerasTensors(x, into));
        } else if (e.isJsonObject()) {
            JsonObject o = e.getAsJsonObject();
            if ("__keras_tensor__".equals(o.has("class_name") ? o.get("class_name").getAsString() : "")) {
                into.add(ref(o.getAsJsonObject("config").getAsJsonArray("keras_history")));
            }
        }
    }

    /** {@code [[name, node, tensor], ...]}, or a single {@code [name, node, tensor]}. */
    private static List<TensorRef> refs(JsonElement e) {
        List<TensorRef> refs = new ArrayList<>();
        if (e == null || !e.isJsonArray()) {
            return refs;
        }
        JsonArray list = e.getAsJsonArray();
        if (!list.isEmpty() && list.get(0).isJsonPrimitive()) {
            refs.add(ref(list));
            return refs;
        }
        list.forEach(r -> refs.add(ref(r.getAsJsonArray())));
        return refs;
    }

    private static TensorRef ref(JsonArray r) {
        return new TensorRef(r.get(0).getAsString(), r.size() > 1 ? r.get(1).getAsInt() : 0,
                r.size() > 2 ? r.get(2).getAsInt() : 0);
    }

    private static String string(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonPrimitive()) {
            throw new IllegalStateException("a layer has no " + key);
        }
        return e.getAsString();
    }

    private static JsonObject object(JsonElement e, String what) {
        if (e == null || !e.isJsonObject()) {
            throw new IllegalStateException(what + " should be an object");
        }
        return e.getAsJsonObject();
    }

    private static JsonArray array(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonArray()) {
            throw new IllegalStateException("the model config has no list " + key);
        }
        return e.getAsJsonArray();
    }
}
