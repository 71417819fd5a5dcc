package org.tensorscope.tensorflow.internal.keras;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.tensorflow.proto.GraphDef;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.SignatureTensor;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.tensorflow.internal.TfModel;
import org.tensorscope.tensorflow.internal.keras.KerasGraphBuilder.Dialect;
import org.tensorscope.tensorflow.internal.load.GraphDefConverter;

import com.google.gson.JsonObject;

/** What the three Keras containers share: topology and weights to a TensorFlow model with one signature. */
final class KerasModels {

    private KerasModels() {
    }

    /**
     * @param what how the file is named in messages ("TF.js layers model", "Keras HDF5 model")
     * @param modelConfig {@code {"class_name": ..., "config": ...}}
     */
    /** The model a Keras config describes, refused when it has nothing to run. */
    static KerasTopology.Model topology(Path path, String what, JsonObject modelConfig) throws ModelLoadException {
        KerasTopology.Model model;
        try {
            model = KerasTopology.model(modelConfig);
        } catch (IllegalStateException | IllegalArgumentException | NullPointerException | ClassCastException
                | UnsupportedOperationException | IndexOutOfBoundsException e) {
            throw new ModelLoadException(path, "the Keras model config cannot be read: " + KerasGraphBuilder.message(e), e);
        }
        if (model.layers().isEmpty() || model.inputs().isEmpty() || model.outputs().isEmpty()) {
            throw new ModelLoadException(path, what + " with no layers, inputs or outputs: nothing to run");
        }
        return model;
    }

    /**
     * @param what how the file is named in messages ("TF.js layers model", "Keras HDF5 model")
     */
    static TfModel build(Path path, String format, String what, KerasTopology.Model model, Dialect dialect,
            LayerWeights weights) throws ModelLoadException {
        KerasGraphBuilder.Result built;
        try {
            built = new KerasGraphBuilder(dialect, weights).build(model);
        } catch (IllegalStateException | IllegalArgumentException | NullPointerException | ClassCastException
                | UnsupportedOperationException | IndexOutOfBoundsException e) {
            throw new ModelLoadException(path, what + ": " + KerasGraphBuilder.message(e), e);
        }
        GraphDef graphDef = built.graph();
        ModelGraph converted = GraphDefConverter.convert(path, format, graphDef, List.of());
        Signature signature = new Signature(Signature.DEFAULT_KEY, tensors(built.inputs(), converted),
                tensors(built.outputs(), converted));
        // the format line is what `info` and the workbench show first: a layer that cannot run is named there
        String shownFormat = built.unsupported().isEmpty() ? format
                : format + "; cannot run: " + String.join("; ", built.unsupported());
        ModelGraph graph = new ModelGraph(path, shownFormat, converted.ops(), List.of(signature), converted.weights());
        String cannotRun = built.unsupported().isEmpty() ? null
                : what + " with " + String.join("; ", built.unsupported())
                        + " (the rest of the model opens for info and its graph)";
        return new TfModel(graphDef, graph, cannotRun);
    }

    private static List<SignatureTensor> tensors(Map<String, String> named, ModelGraph graph) {
        List<SignatureTensor> tensors = new ArrayList<>();
        named.forEach((key, tensor) -> {
            String op = tensor.substring(0, tensor.lastIndexOf(':'));
            graph.op(op).flatMap(o -> o.outputs().stream().filter(t -> t.name().equals(tensor)).findFirst())
                    .ifPresent((TensorSpec t) -> tensors.add(new SignatureTensor(key, t)));
        });
        return tensors;
    }
}
