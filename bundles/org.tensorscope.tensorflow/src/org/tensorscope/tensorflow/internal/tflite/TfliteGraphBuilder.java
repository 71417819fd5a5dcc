package org.tensorscope.tensorflow.internal.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.FunctionDefLibrary;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

import com.google.protobuf.ByteString;

/**
 * Builds a TensorFlow GraphDef from one TFLite subgraph: its inputs become placeholders, its
 * constants Const nodes (made when first read), its operators plain TensorFlow ops through
 * {@link OperatorConverter}. Every TFLite tensor maps to one TensorFlow tensor name. A subgraph that
 * WHILE or IF calls is built the same way into a FunctionDef of the graph's library
 * ({@link TfliteFunctions}), its inputs the function's arguments.
 */
final class TfliteGraphBuilder {

    private final TfliteModel model;
    private final TfliteSubGraph subgraph;
    private final boolean dequantize;
    private final TfNames names = new TfNames();
    private final List<NodeDef> nodes = new ArrayList<>();
    private final TfliteTensor[] tensors;
    /** TFLite tensor index to TensorFlow tensor ("op:k"). */
    private final Map<Integer, String> produced = new HashMap<>();
    /** Outputs of a DEQUANTIZE of a constant: read as a float32 constant of the quantized one's value. */
    private final Map<Integer, Integer> dequantizedConstants = new HashMap<>();
    /** Outputs of a DENSIFY of a sparse constant: read as the dense constant itself, as TFLite computes it once. */
    private final Map<Integer, Integer> densifiedConstants = new HashMap<>();
    private final Set<String> notRunnable = new LinkedHashSet<>();
    /** TFLite input tensor index to its placeholder's tensor. */
    private final Map<Integer, String> placeholders = new HashMap<>();

    private final TfliteFunctions functions;

    TfliteGraphBuilder(TfliteModel model, TfliteSubGraph subgraph, boolean dequantize) {
        this(model, subgraph, dequantize, null);
    }

    TfliteGraphBuilder(TfliteModel model, TfliteSubGraph subgraph, boolean dequantize, TfliteFunctions functions) {
        this.model = model;
        this.subgraph = subgraph;
        this.dequantize = dequantize;
        this.tensors = new TfliteTensor[subgraph.tensorCount()];
        this.functions = functions != null ? functions : new TfliteFunctions(model, dequantize);
    }

    /** The GraphDef of the whole subgraph, with the functions its WHILE and IF operators call. */
    GraphDef build() {
        for (int input : subgraph.inputs()) {
            addPlaceholder(input);
        }
        convertOperators();
        for (int output : subgraph.outputs()) {
            tensor(output);
        }
        GraphDef.Builder graph = GraphDef.newBuilder().addAllNode(nodes);
        if (!functions.library().isEmpty()) {
            graph.setLibrary(FunctionDefLibrary.newBuilder().addAllFunction(functions.library()));
        }
        return graph.build();
    }

    /** The subgraph as a function: its inputs the arguments, its outputs the results, in the file's order. */
    FunctionDef buildFunction(String functionName) {
        OpDef.Builder signature = OpDef.newBuilder().setName(functionName);
        for (int input : subgraph.inputs()) {
            String arg = unique("arg_" + input);
            signature.addInputArg(OpDef.ArgDef.newBuilder().setName(arg).setType(dtype(input)));
            produced.put(input, arg + ":0");
        }
        convertOperators();
        FunctionDef.Builder function = FunctionDef.newBuilder();
        int[] outputs = subgraph.outputs();
        for (int k = 0; k < outputs.length; k++) {
            String result = "output_" + k;
            signature.addOutputArg(OpDef.ArgDef.newBuilder().setName(result).setType(dtype(outputs[k])));
            function.putRet(result, tensor(outputs[k]));
        }
        return function.setSignature(signature).addAllNodeDef(nodes).build();
    }

    /** The function computing subgraph {@code index}, converted on first use. */
    String function(int index) {
        return functions.function(index);
    }

    private void convertOperators() {
        OperatorConverter converter = new OperatorConverter(this);
        List<TfliteOperator> operators = new ArrayList<>();
        for (int i = 0; i < subgraph.operatorCount(); i++) {
            TfliteOperator op = subgraph.operator(i);
            operators.add(op);
            boolean ofConstant = op.inputs().length == 1 && isConstant(op.inputs()[0]) && op.outputs().length == 1;
            if (code(op) == OperatorConverter.DENSIFY && ofConstant) {
                densifiedConstants.put(op.outputs()[0], op.inputs()[0]);
            }
            if (code(op) == OperatorConverter.DEQUANTIZE && ofConstant) {
                dequantizedConstants.put(op.outputs()[0], valueOf(op.inputs()[0]));
            }
        }
        for (TfliteOperator op : operators) {
            int code = code(op);
            boolean folded = op.outputs().length == 1 && (code == OperatorConverter.DEQUANTIZE
                    && dequantizedConstants.containsKey(op.outputs()[0])
                    || code == OperatorConverter.DENSIFY && densifiedConstants.containsKey(op.outputs()[0]));
            if (folded) {
                continue;
            }
            converter.convert(op, code, customCode(op));
        }
    }

    /** Ops that could not be converted, here and in the subgraphs called, as "CUSTOM op 'name' (output tensor)". */
    Set<String> notRunnable() {
        Set<String> all = new LinkedHashSet<>(notRunnable);
        all.addAll(functions.notRunnable());
        return all;
    }

    /** Ops of this subgraph only that could not be converted. */
    Set<String> ownNotRunnable() {
        return notRunnable;
    }

    int code(TfliteOperator op) {
        long index = op.opcodeIndex();
        if (index >= model.operatorCodeCount()) {
            throw new IllegalArgumentException("an operator refers to operator code " + index + " of "
                    + model.operatorCodeCount());
        }
        return model.operatorCode((int) index).builtinCode();
    }

    private String customCode(TfliteOperator op) {
        String custom = model.operatorCode((int) op.opcodeIndex()).customCode();
        return custom == null ? "" : custom;
    }

    TfliteTensor tflite(int index) {
        if (index < 0 || index >= tensors.length) {
            throw new IllegalArgumentException("an operator refers to tensor " + index + " of " + tensors.length);
        }
        if (tensors[index] == null) {
            tensors[index] = subgraph.tensor(index);
        }
        return tensors[index];
    }

    boolean isConstant(int index) {
        if (index < 0) {
            return false;
        }
        if (densifiedConstants.containsKey(index)) {
            return true;
        }
        long buffer = tflite(index).buffer();
        return buffer != 0 && buffer < model.bufferCount() && model.buffer((int) buffer).data().remaining() > 0;
    }

    /** Whether this tensor holds integers standing for real numbers (quantization parameters with a scale). */
    boolean isQuantized(int index) {
        TfliteTensor t = tflite(index);
        TfliteQuantization q = t.quantization();
        return ConstTensors.isInteger(t.type()) && q != null && q.isQuantized();
    }

    /** The TensorFlow type this tensor has in the built graph. */
    DataType dtype(int index) {
        if (dequantizedConstants.containsKey(index)) {
            return DataType.DT_FLOAT;
        }
        TfliteTensor t = tflite(index);
        if (dequantize && isQuantized(index) || t.type() == TfliteTensor.FLOAT16 && isConstant(index)) {
            return DataType.DT_FLOAT;
        }
        return ConstTensors.tfType(t.type());
    }

    int[] shape(int index) {
        return tflite(index).shapeSignature();
    }

    /** The TensorFlow tensor holding TFLite tensor {@code index}, making its Const node on first use. */
    String tensor(int index) {
        String name = produced.get(index);
        if (name != null) {
            return name;
        }
        Integer quantized = dequantizedConstants.get(index);
        if (quantized != null) {
            return constant(index, quantized, true);
        }
        if (isConstant(index)) {
            return constant(index, valueOf(index), dequantize);
        }
        if (isEmpty(index)) {
            return emptyConstant(index);
        }
        throw new IllegalArgumentException("tensor " + index + " (" + tflite(index).name()
                + ") is read before any operator computes it");
    }

    /** Whether {@link #tensor} has a value for this tensor: computed, fed or constant (a variable's start is not). */
    boolean isAvailable(int index) {
        return index >= 0 && (produced.containsKey(index) || dequantizedConstants.containsKey(index) || isConstant(index)
                || isEmpty(index));
    }

    /**
     * Whether this tensor has no elements by its shape: such a constant has no bytes to hold, so converters leave
     * its buffer empty (a RESHAPE to a scalar reads its new shape from an int32[0]).
     */
    private boolean isEmpty(int index) {
        int[] shape = tflite(index).shape();
        return Arrays.stream(shape).anyMatch(d -> d == 0) && Arrays.stream(shape).noneMatch(d -> d < 0);
    }

    private String emptyConstant(int index) {
        return constNode(index, ConstTensors.of(tflite(index), ByteBuffer.allocate(0), dequantize));
    }

    /** The TensorFlow tensor a caller feeds for TFLite input {@code index}. */
    String placeholder(int index) {
        return placeholders.get(index);
    }

    /** The tensor holding the value of constant {@code index}: itself, or the sparse constant it densifies. */
    private int valueOf(int index) {
        return densifiedConstants.getOrDefault(index, index);
    }

    /** @param dequantized whether integer values become real ones: in dequantized mode, or for a folded DEQUANTIZE */
    private String constant(int index, int valueOf, boolean dequantized) {
        TfliteTensor source = tflite(valueOf);
        // a DEQUANTIZE of a constant is folded whatever the mode: TFLite computes it once, in float
        return constNode(index, ConstTensors.of(source, model.buffer((int) source.buffer()).data(), dequantized));
    }

    private String constNode(int index, TensorProto value) {
        String name = names.fromTensor(tflite(index).name(), "const_" + index);
        add(name, "Const", List.of(), Map.of("dtype", type(value.getDtype()), "value",
                AttrValue.newBuilder().setTensor(value).build()));
        produced.put(index, name + ":0");
        return name + ":0";
    }

    private void addPlaceholder(int index) {
        TfliteTensor t = tflite(index);
        DataType type = ConstTensors.tfType(t.type());
        if (type == DataType.DT_INVALID) {
            throw new IllegalArgumentException("input " + t.name() + " is of type " + TfliteTensor.typeName(t.type())
                    + ", which TensorFlow has no type for");
        }
        String name = names.fromTensor(t.name(), "input_" + index);
        add(name, "Placeholder", List.of(), Map.of("dtype", type(type), "shape",
                AttrValue.newBuilder().setShape(ConstTensors.shape(t.shapeSignature())).build()));
        String value = name + ":0";
        placeholders.put(index, value);
        if (dequantize && isQuantized(index)) {
            // the model's integer input, then its real value: the rest of the graph computes in float
            TfliteQuantization q = t.quantization();
            String cast = add(unique(name + "/dequantize/Cast"), "Cast", List.of(value),
                    Map.of("SrcT", type(type), "DstT", type(DataType.DT_FLOAT)));
            String zero = scalar(name + "/dequantize/zero_point", q.zeroPoint().length == 0 ? 0f : q.zeroPoint()[0]);
            String sub = add(unique(name + "/dequantize/Sub"), "Sub", List.of(cast, zero), Map.of("T", floatType()));
            String scale = scalar(name + "/dequantize/scale", q.scale()[0]);
            value = add(unique(name + "/dequantize"), "Mul", List.of(sub, scale), Map.of("T", floatType()));
        }
        produced.put(index, value);
    }

    /** A unique op name derived from the TFLite tensor an operator computes. */
    String nameFor(int tensorIndex) {
        return names.fromTensor(tflite(tensorIndex).name(), "op_" + tensorIndex);
    }

    String unique(String name) {
        return names.unique(name);
    }

    /** Adds a node (its name must come from {@link #unique} or {@link #nameFor}); returns its first output "name:0". */
    String add(String name, String op, List<String> inputs, Map<String, AttrValue> attrs) {
        nodes.add(NodeDef.newBuilder().setName(name).setOp(op).addAllInput(inputs).putAllAttr(attrs).build());
        return name + ":0";
    }

    void addControlled(String name, String op, List<String> inputs, String controlledBy, Map<String, AttrValue> attrs) {
        nodes.add(NodeDef.newBuilder().setName(name).setOp(op).addAllInput(inputs).addInput("^" + controlledBy)
                .putAllAttr(attrs).build());
    }

    String scalar(String name, float value) {
        return add(unique(name), "Const", List.of(), Map.of("dtype", floatType(), "value", AttrValue.newBuilder()
                .setTensor(TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
                        .setTensorShape(TensorShapeProto.getDefaultInstance()).addFloatVal(value))
                .build()));
    }

    String ints(String name, int... values) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            bytes.putInt(v);
        }
        return add(unique(name), "Const", List.of(), Map.of("dtype", type(DataType.DT_INT32), "value",
                AttrValue.newBuilder().setTensor(ConstTensors.proto(DataType.DT_INT32, new int[] { values.length },
                        bytes.flip())).build()));
    }

    String intScalar(String name, int value) {
        return add(unique(name), "Const", List.of(), Map.of("dtype", type(DataType.DT_INT32), "value",
                AttrValue.newBuilder().setTensor(TensorProto.newBuilder().setDtype(DataType.DT_INT32)
                        .setTensorShape(TensorShapeProto.getDefaultInstance()).addIntVal(value)).build()));
    }

    String string(String name, String value) {
        return add(unique(name), "Const", List.of(), Map.of("dtype", type(DataType.DT_STRING), "value",
                AttrValue.newBuilder().setTensor(TensorProto.newBuilder().setDtype(DataType.DT_STRING)
                        .setTensorShape(TensorShapeProto.getDefaultInstance())
                        .addStringVal(ByteString.copyFrom(value, StandardCharsets.UTF_8))).build()));
    }

    /** Records that TFLite tensor {@code index} is TensorFlow tensor {@code tfTensor}. */
    void produce(int index, String tfTensor) {
        produced.put(index, tfTensor);
    }

    void markNotRunnable(String description) {
        notRunnable.add(description);
    }

    boolean dequantizes() {
        return dequantize;
    }

    static AttrValue type(DataType type) {
        return AttrValue.newBuilder().setType(type).build();
    }

    static AttrValue floatType() {
        return type(DataType.DT_FLOAT);
    }
}
