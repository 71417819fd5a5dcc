package org.tensorscope.onnx.internal.load;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.SignatureTensor;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.model.WeightInfo;
import org.tensorscope.onnx.internal.TensorNames;


/**
 * Turns a read ONNX model into Tensorscope's graph. Graph inputs become ops of type
 * {@value #INPUT_TYPE}, initializers ops of type {@value #INITIALIZER_TYPE}; a node keeps its
 * name, or takes the name of its first output when it has none, as exporters often leave nodes
 * unnamed but always name tensors.
 */
public final class OnnxGraphConverter {

    public static final String INPUT_TYPE = "Input";
    public static final String INITIALIZER_TYPE = "Initializer";
    public static final String CONSTANT_TYPE = "Constant";
    /** The one signature of an ONNX model: its graph inputs and outputs. */
    public static final String SIGNATURE_KEY = "main";

    /** What the conversion yields besides the graph. */
    public record Converted(ModelGraph graph, TensorNames names, Map<String, StoredTensor> storedTensors) {
    }

    private final byte[] bytes;
    private final OnnxModelFile model;
    private final TensorNames names = new TensorNames();
    private final Set<String> opNames = new HashSet<>();
    private final Map<String, DType> dtypes = new HashMap<>();
    private final Map<String, Shape> shapes = new HashMap<>();
    private final Map<String, StoredTensor> stored = new LinkedHashMap<>();
    private final Map<String, TensorSpec> specs = new HashMap<>();

    private OnnxGraphConverter(byte[] bytes, OnnxModelFile model) {
        this.bytes = bytes;
        this.model = model;
    }

    public static Converted convert(Path source, String format, byte[] bytes, OnnxModelFile model) throws IOException {
        return new OnnxGraphConverter(bytes, model).convert(source, format);
    }

    private Converted convert(Path source, String format) throws IOException {
        OnnxGraph graph = model.graph();
        for (List<OnnxValueInfo> infos : List.of(graph.valueInfos(), graph.outputs(), graph.inputs())) {
            for (OnnxValueInfo info : infos) {
                if (info.elemType() != 0) {
                    dtypes.put(info.name(), OnnxDataTypes.dtype(info.elemType()));
                }
                if (info.shape().hasKnownRank()) {
                    shapes.put(info.name(), info.shape());
                }
            }
        }
        List<OpNode> ops = new ArrayList<>();
        List<WeightInfo> weights = new ArrayList<>();
        Set<String> initialized = new HashSet<>();
        graph.initializers().forEach(t -> initialized.add(t.name()));
        List<SignatureTensor> signatureInputs = new ArrayList<>();
        for (OnnxValueInfo input : graph.inputs()) {
            if (initialized.contains(input.name())) {
                continue; // an initializer listed as input (IR < 4): a weight with a default, not a feed
            }
            TensorSpec spec = define(uniqueOpName(input.name()), 0, input.name(), DType.OTHER);
            ops.add(new OpNode(spec.opName(), INPUT_TYPE, "", Map.of(), List.of(), List.of(spec)));
            signatureInputs.add(new SignatureTensor(input.name(), spec));
        }
        for (StoredTensor initializer : graph.initializers()) {
            TensorSpec spec = defineStored(uniqueOpName(initializer.name()), initializer);
            ops.add(new OpNode(spec.opName(), INITIALIZER_TYPE, "", Map.of(), List.of(), List.of(spec)));
            weights.add(weight(spec, initializer));
        }
        for (int i = 0; i < graph.nodes().size(); i++) {
            OnnxNode node = graph.nodes().get(i);
            ops.add(convertNode(node, i, weights));
        }
        List<SignatureTensor> signatureOutputs = new ArrayList<>();
        for (OnnxValueInfo output : graph.outputs()) {
            TensorSpec spec = specs.get(output.name());
            if (spec == null) {
                throw new IOException("graph output '" + output.name() + "' is produced by no node");
            }
            signatureOutputs.add(new SignatureTensor(output.name(), spec));
        }
        Signature signature = new Signature(SIGNATURE_KEY, signatureInputs, signatureOutputs);
        ModelGraph modelGraph = new ModelGraph(source, format, ops, List.of(signature), weights);
        return new Converted(modelGraph, names, stored);
    }

    private OpNode convertNode(OnnxNode node, int index, List<WeightInfo> weights) throws IOException {
        String preferred = !node.name().isEmpty() ? node.name()
                : node.outputs().stream().filter(o -> !o.isEmpty()).findFirst().orElse(node.opType() + "_" + index);
        String opName = uniqueOpName(preferred);
        List<String> inputs = new ArrayList<>();
        List<DType> inputTypes = new ArrayList<>();
        for (String input : node.inputs()) {
            if (input.isEmpty()) {
                continue; // a left-out optional input
            }
            TensorSpec spec = specs.get(input);
            if (spec == null) {
                throw new IOException("node '" + opName + "' (" + node.opType() + ") reads '" + input
                        + "', which no earlier node, input or initializer produces");
            }
            inputs.add(spec.name());
            inputTypes.add(spec.dtype());
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        if (!node.domain().isEmpty() && !node.domain().equals("ai.onnx")) {
            attributes.put("domain", node.domain());
        }
        StoredTensor value = null;
        for (OnnxAttribute attribute : node.attributes()) {
            attributes.put(attribute.name(), attribute.summary());
            if (node.opType().equals(CONSTANT_TYPE) && attribute.name().equals("value")) {
                value = attribute.tensor();
            }
        }
        List<TensorSpec> outputs = new ArrayList<>();
        for (int k = 0; k < node.outputs().size(); k++) {
            String output = node.outputs().get(k);
            if (output.isEmpty()) {
                continue; // an optional output the model does not use
            }
            if (value != null && k == 0) {
                TensorSpec spec = defineStored(opName, value.named(output));
                outputs.add(spec);
                weights.add(weight(spec, value));
            } else {
                outputs.add(define(opName, k, output, OutputTypeInference.infer(node, k, inputTypes)));
            }
        }
        return new OpNode(opName, node.opType(), "", attributes, inputs, outputs);
    }

    private TensorSpec define(String opName, int index, String onnxName, DType inferred) {
        TensorSpec spec = new TensorSpec(opName + ":" + index, dtypes.getOrDefault(onnxName, inferred),
                shapes.getOrDefault(onnxName, Shape.unknownRank()));
        names.put(onnxName, spec.name());
        specs.put(onnxName, spec);
        return spec;
    }

    private TensorSpec defineStored(String opName, StoredTensor tensor) {
        TensorSpec spec = new TensorSpec(opName + ":0", OnnxDataTypes.dtype(tensor.dataType()), Shape.of(tensor.dims()));
        names.put(tensor.name(), spec.name());
        specs.put(tensor.name(), spec);
        stored.put(tensor.name(), tensor);
        return spec;
    }

    private WeightInfo weight(TensorSpec spec, StoredTensor tensor) throws IOException {
        long elements = spec.shape().numElements();
        long bytesUsed = spec.dtype().byteSize() < 0 ? -1 : elements * spec.dtype().byteSize();
        return new WeightInfo(spec.opName(), spec.dtype(), spec.shape(), bytesUsed,
                TensorProtoDecoder.nonFiniteCount(bytes, tensor));
    }

    /**
     * ONNX node names need not be unique, nor distinct from tensor names; Tensorscope's op names
     * must be, and must not contain the ':' of "op:k" (tf2onnx keeps TensorFlow's "x:0" names).
     */
    private String uniqueOpName(String onnxName) {
        String preferred = onnxName.replace(':', '_');
        String name = preferred;
        for (int i = 1; !opNames.add(name); i++) {
            name = preferred + "_" + i;
        }
        return name;
    }
}
