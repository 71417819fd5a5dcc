package org.tensorscope.core.compare;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.OpRole;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.SignatureTensor;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.model.WeightInfo;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.tensor.TensorData;

/**
 * A model given as a table of ops and the values they compute (no arithmetic): for tests of how two graphs are
 * paired, where only op types, shapes, edges and values matter.
 */
final class TableRun {

    private final String file;
    private final List<OpNode> ops = new ArrayList<>();
    private final Map<String, TensorData> values = new LinkedHashMap<>();
    private final List<SignatureTensor> inputs = new ArrayList<>();
    private final List<SignatureTensor> outputs = new ArrayList<>();
    private final List<WeightInfo> weights = new ArrayList<>();

    TableRun(String file) {
        this.file = file;
    }

    /** An op with one float32 output of the given static shape, computing {@code values} of shape {@code shape}. */
    TableRun op(String name, String type, OpRole role, List<String> inputs, Shape staticShape, Shape shape,
            float... values) {
        ops.add(new OpNode(name, type, "", Map.of(), inputs,
                List.of(new TensorSpec(name + ":0", DType.FLOAT32, staticShape)), role));
        this.values.put(name + ":0", TensorData.ofFloats(name + ":0", shape, values));
        if (role.isStored()) {
            weights.add(new WeightInfo(name, DType.FLOAT32, shape, values.length * 4L, -1));
        }
        return this;
    }

    TableRun op(String name, String type, List<String> inputs, Shape shape, float... values) {
        return op(name, type, OpRole.COMPUTATION, inputs, shape, shape, values);
    }

    /** The last op added, computing what {@code canonicalType} names in core's vocabulary (an ONNX op's). */
    TableRun computing(String canonicalType) {
        OpNode last = ops.remove(ops.size() - 1);
        ops.add(new OpNode(last.name(), last.type(), last.device(), last.attributes(), last.inputs(), last.outputs(),
                last.role(), canonicalType));
        return this;
    }

    TableRun input(String key, String op) {
        inputs.add(new SignatureTensor(key, spec(op)));
        return this;
    }

    TableRun output(String key, String op) {
        outputs.add(new SignatureTensor(key, spec(op)));
        return this;
    }

    private TensorSpec spec(String op) {
        return ops.stream().filter(o -> o.name().equals(op)).findFirst().orElseThrow().outputs().get(0);
    }

    ComparedRun run() {
        // one format per extension: a.onnx against b.tflite is a model against its conversion
        ModelGraph graph = new ModelGraph(Path.of(file), "Table " + file.substring(file.lastIndexOf('.') + 1), ops,
                List.of(new Signature("serving_default", inputs, outputs)), weights);
        Map<String, TensorData> feeds = new LinkedHashMap<>();
        inputs.forEach(i -> feeds.put(i.tensor().name(), values.get(i.tensor().name())));
        return new ComparedRun(graph, graph.defaultSignature().orElseThrow(), session(), feeds, List.of());
    }

    private InferenceSession session() {
        return new FetchOnlySession(tensors -> {
            Map<String, TensorData> fetched = new LinkedHashMap<>();
            tensors.forEach(t -> fetched.put(t, values.get(t)));
            return fetched;
        });
    }
}
