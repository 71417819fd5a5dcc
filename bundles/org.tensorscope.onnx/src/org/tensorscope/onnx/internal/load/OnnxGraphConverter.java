package org.tensorscope.onnx.internal.load;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.OpRole;
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
 * <p>
 * The nodes of subgraphs (If branches, Loop and Scan bodies) are listed too, named under their
 * parent ("If_0/then_branch/Mul") and placed just before it: the parent's outputs are computed from
 * them, so the first non-finite op in this order is still where a NaN or infinity starts. A
 * subgraph's inputs (a Loop's iteration number and carried values) become ops of type
 * {@value #SUBGRAPH_INPUT_TYPE}; values of enclosing graphs that subgraph nodes read are their
 * inputs like any other. The parent's inputs are its own only, not its subgraphs' outputs: a branch
 * not taken has no values, and the NaN trace fetches an op's inputs to explain it.
 */
public final class OnnxGraphConverter {

    public static final String INPUT_TYPE = "Input";
    public static final String INITIALIZER_TYPE = "Initializer";
    public static final String CONSTANT_TYPE = "Constant";
    public static final String SUBGRAPH_INPUT_TYPE = "SubgraphInput";
    /** The one signature of an ONNX model: its graph inputs and outputs. */
    public static final String SIGNATURE_KEY = "main";

    /**
     * What the conversion yields besides the graph.
     *
     * @param storedTensors the tensors whose values are in the file, by tensor name ("op:k")
     */
    public record Converted(ModelGraph graph, TensorNames names, Map<String, StoredTensor> storedTensors,
            ScopedGraph main) {
    }

    private final byte[] bytes;
    private final OnnxModelFile model;
    private final TensorNames names = new TensorNames();
    private final Set<String> opNames = new HashSet<>();
    private final Map<String, DType> dtypes = new HashMap<>();
    private final Map<String, Shape> shapes = new HashMap<>();
    private final Map<String, StoredTensor> stored = new LinkedHashMap<>();
    /** The values visible where a node is converted, innermost graph first. */
    private final Deque<Map<String, TensorSpec>> scopes = new ArrayDeque<>();
    private final Map<String, TensorSpec> byTensorName = new HashMap<>();
    private final List<OpNode> ops = new ArrayList<>();
    private final List<WeightInfo> weights = new ArrayList<>();
    private final List<SignatureTensor> signatureInputs = new ArrayList<>();

    private OnnxGraphConverter(byte[] bytes, OnnxModelFile model) {
        this.bytes = bytes;
        this.model = model;
    }

    public static Converted convert(Path source, String format, byte[] bytes, OnnxModelFile model) throws IOException {
        return new OnnxGraphConverter(bytes, model).convert(source, format);
    }

    private Converted convert(Path source, String format) throws IOException {
        ScopedGraph main = convertGraph(model.graph(), "", "");
        List<SignatureTensor> signatureOutputs = new ArrayList<>();
        for (int i = 0; i < model.graph().outputs().size(); i++) {
            String tensor = main.outputs().get(i);
            signatureOutputs.add(new SignatureTensor(model.graph().outputs().get(i).name(), spec(tensor)));
        }
        Signature signature = new Signature(SIGNATURE_KEY, signatureInputs, signatureOutputs);
        ModelGraph modelGraph = new ModelGraph(source, format, ops, List.of(signature), weights);
        return new Converted(modelGraph, names, stored, main);
    }

    private TensorSpec spec(String tensor) {
        return byTensorName.get(tensor);
    }

    /**
     * Adds the ops of one graph, its subgraphs' before the node holding them.
     *
     * @param parentOp  the op holding the graph, empty for the main graph
     * @param attribute the attribute holding it, empty for the main graph
     */
    private ScopedGraph convertGraph(OnnxGraph graph, String parentOp, String attribute) throws IOException {
        boolean main = parentOp.isEmpty();
        String prefix = main ? "" : parentOp + "/" + attribute + "/";
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
        scopes.push(new LinkedHashMap<>());
        Set<String> initialized = new HashSet<>();
        graph.initializers().forEach(t -> initialized.add(t.name()));
        for (OnnxValueInfo input : graph.inputs()) {
            if (initialized.contains(input.name())) {
                continue; // an initializer listed as input (IR < 4): a weight with a default, not a feed
            }
            TensorSpec spec = define(uniqueOpName(prefix + input.name()), 0, input.name(), DType.OTHER);
            ops.add(main ? new OpNode(spec.opName(), INPUT_TYPE, "", Map.of(), List.of(), List.of(spec), OpRole.INPUT, "")
                    : new OpNode(spec.opName(), SUBGRAPH_INPUT_TYPE, "", Map.of(), List.of(), List.of(spec),
                            OpRole.COMPUTATION, ""));
            if (main) {
                signatureInputs.add(new SignatureTensor(input.name(), spec));
            }
        }
        for (StoredTensor initializer : graph.initializers()) {
            TensorSpec spec = defineStored(uniqueOpName(prefix + initializer.name()), initializer);
            ops.add(new OpNode(spec.opName(), INITIALIZER_TYPE, "", Map.of(), List.of(), List.of(spec), OpRole.WEIGHT, ""));
            weights.add(weight(spec, initializer));
        }
        List<String> nodeOpNames = new ArrayList<>();
        List<Map<String, ScopedGraph>> subgraphs = new ArrayList<>();
        for (int i = 0; i < graph.nodes().size(); i++) {
            OnnxNode node = graph.nodes().get(i);
            String preferred = !node.name().isEmpty() ? node.name()
                    : node.outputs().stream().filter(o -> !o.isEmpty()).findFirst().orElse(node.opType() + "_" + i);
            String opName = uniqueOpName(prefix + preferred);
            Map<String, ScopedGraph> nested = new LinkedHashMap<>();
            for (Map.Entry<String, OnnxGraph> subgraph : node.subgraphs().entrySet()) {
                nested.put(subgraph.getKey(), convertGraph(subgraph.getValue(), opName, subgraph.getKey()));
            }
            ops.add(convertNode(node, opName, nested));
            nodeOpNames.add(opName);
            subgraphs.add(nested);
        }
        List<String> outputs = new ArrayList<>();
        for (OnnxValueInfo output : graph.outputs()) {
            TensorSpec spec = lookup(output.name());
            if (spec == null) {
                throw new IOException((main ? "graph output '" : "output '") + output.name() + "' of "
                        + (main ? "the graph" : "the " + attribute + " of '" + parentOp + "'")
                        + " is produced by no node");
            }
            outputs.add(spec.name());
        }
        Map<String, TensorSpec> defined = scopes.pop();
        Map<String, String> tensors = new LinkedHashMap<>();
        defined.forEach((onnxName, spec) -> tensors.put(onnxName, spec.name()));
        return new ScopedGraph(parentOp, attribute, graph, nodeOpNames, tensors, outputs, subgraphs);
    }

    private TensorSpec lookup(String onnxName) {
        for (Map<String, TensorSpec> scope : scopes) {
            TensorSpec spec = scope.get(onnxName);
            if (spec != null) {
                return spec;
            }
        }
        return null;
    }

    private OpNode convertNode(OnnxNode node, String opName, Map<String, ScopedGraph> subgraphs) throws IOException {
        Set<String> inputs = new LinkedHashSet<>();
        List<DType> inputTypes = new ArrayList<>();
        for (String input : node.inputs()) {
            if (input.isEmpty()) {
                continue; // a left-out optional input
            }
            TensorSpec spec = lookup(input);
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
                DType inferred = subgraphs.isEmpty() ? OutputTypeInference.infer(node, k, inputTypes)
                        : controlFlowOutputType(node, k, subgraphs);
                outputs.add(define(opName, k, output, inferred));
            }
        }
        return new OpNode(opName, node.opType(), "", attributes, List.copyOf(inputs), outputs,
                OnnxOpVocabulary.role(node.domain(), node.opType()),
                OnnxOpVocabulary.canonicalType(node.domain(), node.opType(), inputTypes.size()));
    }

    /** An If output has its branches' type; a Loop's or Scan's, the type of the body output it collects. */
    private DType controlFlowOutputType(OnnxNode node, int k, Map<String, ScopedGraph> subgraphs) {
        List<String> candidates = new ArrayList<>();
        if (node.opType().equals("If")) {
            subgraphs.values().stream().filter(g -> k < g.outputs().size()).forEach(g -> candidates.add(g.outputs().get(k)));
        } else {
            // a Loop body returns its condition first
            int offset = node.opType().equals("Loop") ? 1 : 0;
            subgraphs.values().stream().filter(g -> k + offset < g.outputs().size())
                    .forEach(g -> candidates.add(g.outputs().get(k + offset)));
        }
        return candidates.stream().map(t -> spec(t).dtype()).filter(d -> d != DType.OTHER).findFirst()
                .orElse(DType.OTHER);
    }

    private TensorSpec define(String opName, int index, String onnxName, DType inferred) {
        TensorSpec spec = new TensorSpec(opName + ":" + index, dtypes.getOrDefault(onnxName, inferred),
                shapes.getOrDefault(onnxName, Shape.unknownRank()));
        register(onnxName, spec);
        return spec;
    }

    private TensorSpec defineStored(String opName, StoredTensor tensor) {
        TensorSpec spec = new TensorSpec(opName + ":0", OnnxDataTypes.dtype(tensor.dataType()), Shape.of(tensor.dims()));
        register(tensor.name(), spec);
        stored.put(spec.name(), tensor);
        return spec;
    }

    private void register(String onnxName, TensorSpec spec) {
        if (scopes.size() == 1) {
            names.put(onnxName, spec.name());
        } else {
            names.putInner(onnxName, spec.name());
        }
        scopes.peek().put(onnxName, spec);
        byTensorName.put(spec.name(), spec);
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
