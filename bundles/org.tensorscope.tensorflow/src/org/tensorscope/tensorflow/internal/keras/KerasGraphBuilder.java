package org.tensorscope.tensorflow.internal.keras;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.proto.GraphDef;
import org.tensorscope.tensorflow.internal.keras.KerasTopology.Layer;
import org.tensorscope.tensorflow.internal.keras.KerasTopology.Model;
import org.tensorscope.tensorflow.internal.keras.KerasTopology.TensorRef;

/**
 * Turns a Keras model (its topology and its weights) into a TensorFlow graph whose ops are named after the
 * layers ({@code conv2d_3/Conv2D}, {@code conv2d_3/BiasAdd}), so that the Explorer shows the layer tree.
 * Every weight becomes a Const under its layer ({@code conv2d_3/kernel}).
 *
 * <p>A layer that cannot be built here (a Lambda, a custom class) gets a stand-in placeholder named after it;
 * the layers after it are built when their shapes allow, and the model is marked as one that cannot run.
 */
public final class KerasGraphBuilder {

    /** Where the topology comes from: the few behaviours that differ between TF.js and the Keras versions. */
    public enum Dialect {
        TFJS, KERAS2, KERAS3
    }

    /** The built graph: its GraphDef, its inputs and outputs (key, tensor name) and the layers that could not be built. */
    public record Result(GraphDef graph, Map<String, String> inputs, Map<String, String> outputs, List<String> unsupported) {
    }

    /** A layer this builder cannot turn into ops; the message names the layer and its class. */
    static final class UnsupportedLayerException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnsupportedLayerException(String message) {
            super(message);
        }
    }

    private final Dialect dialect;
    private final LayerWeights weights;
    private final List<String> unsupported = new ArrayList<>();

    public KerasGraphBuilder(Dialect dialect, LayerWeights weights) {
        this.dialect = dialect;
        this.weights = weights;
    }

    public Result build(Model model) {
        try (Graph graph = new Graph()) {
            NamedGraph g = new NamedGraph(graph);
            Map<String, String> inputs = new LinkedHashMap<>();
            ModelScope scope = new ModelScope(g, model, "", List.of(), null);
            for (TensorRef in : model.inputs()) {
                inputs.put(in.layer(), scope.resolve(in).op().name() + ":0");
            }
            Map<String, String> outputs = new LinkedHashMap<>();
            for (TensorRef out : model.outputs()) {
                Output<?> o = scope.resolve(out);
                outputs.put(outputs.containsKey(out.layer()) ? out.layer() + "_" + out.tensor() : out.layer(),
                        o.op().name() + ":" + o.index());
            }
            return new Result(graph.toGraphDef(), inputs, outputs, List.copyOf(unsupported));
        }
    }

    /** One (possibly nested) model being built: its layers' outputs by call. */
    final class ModelScope {
        private final NamedGraph g;
        private final Model model;
        private final String prefix;
        private final List<String> path;
        private final List<Output<?>> given;
        private final Map<String, List<Output<?>>> built = new HashMap<>();
        /** The calls being built, to refuse inbound nodes that lead back to themselves. */
        private final java.util.Set<String> building = new java.util.HashSet<>();

        ModelScope(NamedGraph g, Model model, String prefix, List<String> path, List<Output<?>> given) {
            this.g = g;
            this.model = model;
            this.prefix = prefix;
            this.path = path;
            this.given = given;
        }

        Output<?> resolve(TensorRef ref) {
            List<Output<?>> outputs = call(model.layer(ref.layer()), ref.node());
            if (ref.tensor() >= outputs.size()) {
                throw new IllegalStateException("layer " + ref.layer() + " has no output " + ref.tensor());
            }
            return outputs.get(ref.tensor());
        }

        private List<Output<?>> call(Layer layer, int node) {
            String key = layer.name() + "#" + node;
            List<Output<?>> done = built.get(key);
            if (done != null) {
                return done;
            }
            List<Output<?>> outputs;
            if (layer.className().equals("InputLayer")) {
                outputs = List.of(input(layer));
            } else {
                if (node >= layer.calls().size()) {
                    throw new IllegalStateException("layer " + layer.name() + " has no call " + node);
                }
                if (!building.add(key)) {
                    throw new IllegalStateException("layer " + layer.name() + " takes its own output as input (its inbound nodes form a cycle)");
                }
                List<Output<?>> inputs = new ArrayList<>();
                for (TensorRef in : layer.calls().get(node)) {
                    inputs.add(resolve(in));
                }
                building.remove(key);
                String base = prefix + layer.name() + (node > 0 ? "_" + node : "");
                outputs = layerOutputs(layer, base, inputs);
            }
            built.put(key, outputs);
            return outputs;
        }

        private List<Output<?>> layerOutputs(Layer layer, String base, List<Output<?>> inputs) {
            List<String> layerPath = new ArrayList<>(path);
            layerPath.add(layer.name());
            boolean afterUnsupported = !unsupported.isEmpty();
            try {
                if (layer.isModel()) {
                    Model inner = KerasTopology.model(classAndConfig(layer));
                    ModelScope scope = new ModelScope(g, inner, base + "/", layerPath, inputs);
                    List<Output<?>> outs = new ArrayList<>();
                    for (TensorRef out : inner.outputs()) {
                        outs.add(scope.resolve(out));
                    }
                    return outs;
                }
                return new LayerOps(g, dialect, weights, layerPath, base, layer.className(),
                        new LayerConfig(layer.config())).build(inputs);
            } catch (UnsupportedLayerException e) {
                unsupported.add(e.getMessage());
                return List.of(standIn(layer, base));
            } catch (IllegalArgumentException | IllegalStateException | TensorFlowException | ArithmeticException
                    | UnsupportedOperationException | ClassCastException | NullPointerException
                    | IndexOutOfBoundsException e) {
                if (afterUnsupported) {
                    // its input comes from a layer that could not be built, whose shape is unknown
                    return List.of(standIn(layer, base));
                }
                throw new IllegalStateException("layer " + layer.name() + " (" + layer.className() + "): "
                        + message(e), e);
            }
        }

        private Output<?> standIn(Layer layer, String base) {
            return g.op("Placeholder", base).attr("dtype", org.tensorflow.proto.DataType.DT_FLOAT).out();
        }

        private Output<?> input(Layer layer) {
            int index = -1;
            for (int i = 0; i < model.inputs().size(); i++) {
                if (model.inputs().get(i).layer().equals(layer.name())) {
                    index = i;
                }
            }
            if (given != null) {
                if (index < 0 || index >= given.size()) {
                    throw new IllegalStateException("nested model " + model.name() + " has an input " + layer.name()
                            + " that is not fed");
                }
                return g.op("Identity", prefix + layer.name()).in(given.get(index)).out();
            }
            LayerConfig config = new LayerConfig(layer.config());
            long[] shape = config.has("batch_input_shape") ? config.list("batch_input_shape")
                    : config.has("batch_shape") ? config.list("batch_shape") : null;
            NamedGraph.Op placeholder = g.op("Placeholder", prefix + layer.name())
                    .attr("dtype", LayerOps.dataType(config.dtype("float32")));
            if (shape != null) {
                placeholder.attr("shape", org.tensorflow.proto.AttrValue.newBuilder()
                        .setShape(ProtoShapes.of(shape)).build());
            }
            return placeholder.out();
        }
    }

    private static com.google.gson.JsonObject classAndConfig(Layer layer) {
        com.google.gson.JsonObject json = new com.google.gson.JsonObject();
        json.addProperty("class_name", layer.className());
        json.add("config", layer.config());
        return json;
    }

    private static final java.util.regex.Pattern QUALIFIED_EXCEPTION = java.util.regex.Pattern
            .compile("(?:[a-z_][\\w]*\\.)+[A-Z][\\w$]*(?:Exception|Error):\\s*");

    /** An exception's message for a user: its first line, without Java class names. */
    static String message(RuntimeException e) {
        String m = e.getMessage();
        // the JVM's helpful messages of these two speak of Java classes and variables, not of the config
        if (e instanceof NullPointerException) {
            return "a required config value is missing";
        }
        if (e instanceof ClassCastException) {
            return "a config value has the wrong type";
        }
        if (m == null) {
            return e.getClass().getSimpleName().replace("Exception", "").toLowerCase();
        }
        m = QUALIFIED_EXCEPTION.matcher(m).replaceAll("");
        int newline = m.indexOf('\n');
        m = newline < 0 ? m : m.substring(0, newline);
        return m.length() > 240 ? m.substring(0, 240) + "..." : m;
    }
}
