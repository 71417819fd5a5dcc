package org.tensorscope.tensorflow.internal.tflite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.osgi.service.component.annotations.Component;
import org.tensorflow.proto.GraphDef;
import org.tensorscope.core.Tensorscope;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.SignatureTensor;
import org.tensorscope.core.service.ModelFiles;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.core.service.ModelLoader;
import org.tensorscope.tensorflow.internal.ModelReading;
import org.tensorscope.tensorflow.internal.TfModel;
import org.tensorscope.tensorflow.internal.load.FunctionInliner;
import org.tensorscope.tensorflow.internal.load.GraphDefConverter;

/**
 * Reads a TensorFlow Lite flatbuffer ({@code .tflite}) and converts its main subgraph into a
 * TensorFlow graph that the TensorFlow backend runs and traces like any other. What the conversion
 * changes is said in the model's format line (see {@link #describe}): float16 weights widened,
 * integer kernels run in float, operators TensorFlow cannot compute.
 */
@Component(service = ModelLoader.class, property = { Tensorscope.PROP_FORMAT + "=" + TfliteLoader.FORMAT,
        Tensorscope.PROP_FILE_PATTERNS + "=*.tflite" })
public class TfliteLoader implements ModelLoader {

    public static final String FORMAT = "TFLite flatbuffer";

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public boolean canLoad(Path path) {
        if (!Files.isRegularFile(path)) {
            return false;
        }
        if (path.getFileName().toString().endsWith(".tflite")) {
            return true;
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] head = in.readNBytes(8);
            return head.length == 8 && new String(head, 4, 4, StandardCharsets.ISO_8859_1).equals(TfliteModel.IDENTIFIER);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public TfModel load(Path path, IProgressMonitor monitor) throws ModelLoadException {
        SubMonitor progress = SubMonitor.convert(monitor, "Reading " + path.getFileName(), 3);
        Built built = ModelReading.alongsideNatives(() -> built(path));
        progress.split(1);
        TfliteModel model = built.model();
        TfliteSubGraph main = built.main();
        TfliteGraphBuilder builder = built.builder();
        GraphDef graphDef = built.graphDef();
        String format;
        try {
            if (FunctionInliner.hasCalls(graphDef)) {
                graphDef = new FunctionInliner(graphDef).inline(graphDef);
            }
            // describe reads tensors the build did not (a tensor no operator uses), whose tables may be broken too
            format = describe(model, main, builder);
        } catch (IllegalArgumentException | IndexOutOfBoundsException | BufferUnderflowException | ArithmeticException
                | NegativeArraySizeException e) {
            throw new ModelLoadException(path, problem(e), e);
        }
        progress.split(1);
        ModelGraph converted = GraphDefConverter.convert(path, format, graphDef, List.of());
        List<Signature> signatures;
        try {
            signatures = signatures(model, main, builder, converted);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new ModelLoadException(path, problem(e), e);
        }
        progress.split(1);
        return new TfModel(graphDef, new ModelGraph(path, converted.format(), converted.ops(), signatures,
                converted.weights()));
    }

    private record Built(TfliteModel model, TfliteSubGraph main, TfliteGraphBuilder builder, GraphDef graphDef) {
    }

    /** The flatbuffer read and its main subgraph built into a GraphDef: Java only (see {@link ModelReading}). */
    private static Built built(Path path) throws ModelLoadException {
        ByteBuffer file = ByteBuffer.wrap(ModelFiles.readNonEmpty(path));
        try {
            TfliteModel model = TfliteModel.of(file);
            if (model.subgraphCount() == 0) {
                throw new ModelLoadException(path, "the TFLite model has no subgraph");
            }
            TfliteSubGraph main = model.subgraph(0);
            TfliteGraphBuilder builder = new TfliteGraphBuilder(model, main, true);
            return new Built(model, main, builder, builder.build());
        } catch (IllegalArgumentException | IndexOutOfBoundsException | BufferUnderflowException | ArithmeticException
                | NegativeArraySizeException e) {
            throw new ModelLoadException(path, problem(e), e);
        }
    }

    private static String problem(RuntimeException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (message.startsWith("not a TFLite flatbuffer")) {
            return message;
        }
        return "the TFLite flatbuffer cannot be read (truncated or corrupt?): " + message;
    }

    /**
     * The format with what a user must know about the conversion: "TFLite flatbuffer (float16
     * weights widened to float32)", integer kernels run in float, operators that cannot run.
     */
    static String describe(TfliteModel model, TfliteSubGraph main, TfliteGraphBuilder builder) {
        List<String> notes = new ArrayList<>();
        boolean halfWeights = false;
        boolean integerKernels = false;
        for (int i = 0; i < main.tensorCount(); i++) {
            TfliteTensor t = builder.tflite(i);
            boolean constant = builder.isConstant(i);
            halfWeights |= constant && t.type() == TfliteTensor.FLOAT16;
            integerKernels |= !constant && builder.isQuantized(i);
        }
        if (halfWeights) {
            notes.add("float16 weights widened to float32");
        }
        if (integerKernels) {
            notes.add("integer-quantized: run dequantized, so values are float approximations of what TFLite's "
                    + "integer kernels compute");
        }
        if (!builder.notRunnable().isEmpty()) {
            notes.add("cannot run " + String.join(", ", builder.notRunnable())
                    + "; info and graph only for what depends on them");
        }
        if (model.subgraphCount() > 1) {
            notes.add("subgraph 0 of " + model.subgraphCount());
        }
        return notes.isEmpty() ? FORMAT : FORMAT + " (" + String.join("; ", notes) + ")";
    }

    /** The SignatureDefs of the main subgraph; without any, its inputs and outputs under "serving_default". */
    private static List<Signature> signatures(TfliteModel model, TfliteSubGraph main, TfliteGraphBuilder builder,
            ModelGraph graph) {
        List<Signature> signatures = new ArrayList<>();
        for (int s = 0; s < model.signatureDefCount(); s++) {
            TfliteSignatureDef def = model.signatureDef(s);
            if (def.subgraphIndex() != 0) {
                continue;
            }
            String key = def.key() == null || def.key().isEmpty() ? Signature.DEFAULT_KEY : def.key();
            signatures.add(new Signature(key, tensors(def.inputs(), builder::placeholder, graph),
                    tensors(def.outputs(), builder::tensor, graph)));
        }
        if (signatures.isEmpty()) {
            Map<String, Integer> inputs = new LinkedHashMap<>();
            for (int i : main.inputs()) {
                inputs.put(builder.tflite(i).name(), i);
            }
            Map<String, Integer> outputs = new LinkedHashMap<>();
            for (int i : main.outputs()) {
                outputs.put(builder.tflite(i).name(), i);
            }
            signatures.add(new Signature(Signature.DEFAULT_KEY, tensors(inputs, builder::placeholder, graph),
                    tensors(outputs, builder::tensor, graph)));
        }
        return signatures;
    }

    private static List<SignatureTensor> tensors(Map<String, Integer> keyToIndex, IntFunction<String> tfTensor,
            ModelGraph graph) {
        List<SignatureTensor> tensors = new ArrayList<>();
        keyToIndex.forEach((key, index) -> {
            String tensor = tfTensor.apply(index);
            if (tensor == null) {
                throw new IllegalArgumentException("signature entry " + key + " names tensor " + index
                        + ", which is not an input of the main subgraph");
            }
            String op = tensor.substring(0, tensor.lastIndexOf(':'));
            graph.op(op).flatMap(o -> o.outputs().stream().filter(t -> t.name().equals(tensor)).findFirst())
                    .ifPresent(t -> tensors.add(new SignatureTensor(key, t)));
        });
        return tensors;
    }
}
