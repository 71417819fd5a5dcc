package org.tensorscope.onnx.internal.run;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.core.trace.TensorHealth;
import org.tensorscope.core.trace.Trace;
import org.tensorscope.onnx.internal.OnnxModel;
import org.tensorscope.onnx.internal.OnnxRuntimeEnvironment;
import org.tensorscope.onnx.internal.load.OnnxGraphConverter;
import org.tensorscope.onnx.internal.load.OnnxNode;
import org.tensorscope.onnx.internal.load.OnnxValueInfo;
import org.tensorscope.onnx.internal.load.StoredTensor;
import org.tensorscope.onnx.internal.load.TensorProtoDecoder;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * One ONNX model opened in an ONNX Runtime session on one device. The session is created from the
 * model rewritten so that every node output is a graph output: one run yields every intermediate
 * tensor, whose health core then computes. Weights and fed inputs are answered without running.
 */
public final class OnnxSession implements InferenceSession {

    private final OnnxModel model;
    private final ModelGraph graph;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String deviceNote;
    private final String deviceName;
    /** ONNX names of the tensors ONNX Runtime computes, in graph order. */
    private final Set<String> computed = new LinkedHashSet<>();
    private final Map<String, TensorHealth> weightRows = new HashMap<>();

    /**
     * @param cuda whether to use the CUDA execution provider; when a GPU is asked for and CUDA is
     *             not available the session runs on the CPU and {@link #deviceNote()} says so
     */
    public OnnxSession(OnnxModel model, Device device, boolean cuda) throws BackendException {
        this.model = model;
        this.graph = model.graph();
        this.env = OnnxRuntimeEnvironment.get();
        this.deviceNote = device == Device.GPU && !cuda
                ? "No GPU is visible to " + OnnxRuntimeEnvironment.FRAMEWORK + ": running on the CPU."
                : "";
        this.deviceName = cuda ? "GPU:0" : "CPU:0";
        Set<String> declaredOutputs = new HashSet<>();
        model.file().graph().outputs().stream().map(OnnxValueInfo::name).forEach(declaredOutputs::add);
        List<String> extraOutputs = new ArrayList<>();
        for (OnnxNode node : model.file().graph().nodes()) {
            for (String output : node.outputs()) {
                if (!output.isEmpty() && model.storedTensor(output).isEmpty()) {
                    computed.add(output);
                    if (!declaredOutputs.contains(output)) {
                        extraOutputs.add(output);
                    }
                }
            }
        }
        byte[] rewritten;
        try {
            rewritten = GraphOutputsRewriter.withOutputs(model.bytes(), extraOutputs);
        } catch (IOException e) {
            throw new BackendException("Cannot prepare " + graph.source() + " for " + OnnxRuntimeEnvironment.FRAMEWORK
                    + ": " + e.getMessage(), e);
        }
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            // every op runs as written, so each tensor Tensorscope shows is the one the file names
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            if (cuda) {
                options.addCUDA(0);
            }
            this.session = env.createSession(rewritten, options);
        } catch (OrtException e) {
            throw new BackendException(OnnxRuntimeEnvironment.FRAMEWORK + " cannot open " + graph.source() + ": "
                    + OnnxRuntimeEnvironment.firstLine(e), e);
        }
    }

    @Override
    public String deviceNote() {
        return deviceNote;
    }

    @Override
    public Map<String, TensorData> fetch(Map<String, TensorData> feeds, List<String> tensors,
            Map<String, TensorData> overrides, IProgressMonitor monitor) throws BackendException {
        SubMonitor progress = SubMonitor.convert(monitor, "Running " + graph.source().getFileName(), 2);
        Map<String, TensorData> fed = fedByOnnxName(feeds, overrides);
        Map<String, String> onnxNames = new LinkedHashMap<>();
        for (String tensor : tensors) {
            onnxNames.put(TensorSpec.tensorName(tensor), onnxName(tensor));
        }
        Set<String> toRun = new LinkedHashSet<>();
        onnxNames.values().stream().filter(computed::contains).forEach(toRun::add);
        progress.split(1);
        Map<String, TensorData> fetched = new LinkedHashMap<>();
        try (Run run = new Run(fed, toRun)) {
            for (Map.Entry<String, String> entry : onnxNames.entrySet()) {
                String name = entry.getKey();
                String onnxName = entry.getValue();
                if (fed.containsKey(onnxName)) {
                    fetched.put(name, renamed(fed.get(onnxName), name));
                } else if (computed.contains(onnxName)) {
                    fetched.put(name, run.get(onnxName, name).orElseThrow(() -> new BackendException(
                            OnnxRuntimeEnvironment.FRAMEWORK + " returned no tensor for " + name)));
                } else {
                    fetched.put(name, stored(onnxName, name));
                }
            }
        }
        progress.split(1);
        return fetched;
    }

    @Override
    public Trace healthPass(Map<String, TensorData> feeds, List<String> outputs, HealthMode mode,
            Map<String, TensorData> overrides, IProgressMonitor monitor) throws BackendException {
        SubMonitor progress = SubMonitor.convert(monitor, "Checking every tensor of " + graph.source().getFileName(),
                1 + graph.ops().size());
        Map<String, TensorData> fed = fedByOnnxName(feeds, overrides);
        Set<String> toRun = new LinkedHashSet<>();
        for (OpNode op : graph.ops()) {
            for (TensorSpec output : op.outputs()) {
                String onnxName = onnxName(output.name());
                // an unknown type may still turn out to be float once computed
                boolean maybeFloat = output.dtype().isFloating() || output.dtype() == DType.OTHER;
                if (maybeFloat && computed.contains(onnxName)) {
                    toRun.add(onnxName);
                }
            }
        }
        List<TensorHealth> rows = new ArrayList<>();
        try (Run run = new Run(fed, toRun)) {
            progress.split(1);
            for (OpNode op : graph.ops()) {
                for (TensorSpec output : op.outputs()) {
                    String onnxName = onnxName(output.name());
                    Optional<TensorHealth> row;
                    if (fed.containsKey(onnxName)) {
                        row = healthOf(op, fed.get(onnxName), output.name());
                    } else if (toRun.contains(onnxName)) {
                        row = run.get(onnxName, output.name()).flatMap(data -> healthOf(op, data, output.name()));
                    } else if (model.storedTensor(onnxName).isPresent() && output.dtype().isFloating()) {
                        row = Optional.of(weightRow(op, onnxName, output.name()));
                    } else {
                        row = Optional.empty();
                    }
                    row.ifPresent(rows::add);
                }
                progress.split(1);
            }
        }
        return new Trace(graph, rows);
    }

    private Optional<TensorHealth> healthOf(OpNode op, TensorData data, String name) {
        return data.dtype().isFloating() ? Optional.of(HealthRows.of(name, op.type(), deviceName, data)) : Optional.empty();
    }

    /** Weights do not change between runs: their rows are computed once. */
    private TensorHealth weightRow(OpNode op, String onnxName, String name) throws BackendException {
        TensorHealth row = weightRows.get(name);
        if (row == null) {
            row = HealthRows.of(name, op.type(), deviceName, stored(onnxName, name));
            weightRows.put(name, row);
        }
        return row;
    }

    private TensorData stored(String onnxName, String name) throws BackendException {
        StoredTensor tensor = model.storedTensor(onnxName)
                .orElseThrow(() -> new BackendException("Input " + name + " of " + graph.source().getFileName()
                        + " is not fed: give it a value"));
        try {
            return TensorProtoDecoder.decode(model.bytes(), tensor, name);
        } catch (IOException e) {
            throw new BackendException("Cannot read " + name + " from " + graph.source() + ": " + e.getMessage(), e);
        }
    }

    private String onnxName(String tensor) throws BackendException {
        return model.names().onnxName(tensor).orElseThrow(() -> new BackendException(
                "The model has no tensor named '" + TensorSpec.tensorName(tensor) + "'"));
    }

    /** Feeds and overrides by ONNX name; ONNX Runtime can only be fed graph inputs. */
    private Map<String, TensorData> fedByOnnxName(Map<String, TensorData> feeds, Map<String, TensorData> overrides)
            throws BackendException {
        Map<String, TensorData> fed = new LinkedHashMap<>();
        for (Map.Entry<String, TensorData> feed : feeds.entrySet()) {
            fed.put(onnxName(feed.getKey()), feed.getValue());
        }
        for (Map.Entry<String, TensorData> override : overrides.entrySet()) {
            String onnxName = onnxName(override.getKey());
            if (!isGraphInput(onnxName)) {
                throw new BackendException(OnnxRuntimeEnvironment.FRAMEWORK + " cannot replace the intermediate tensor "
                        + TensorSpec.tensorName(override.getKey()) + ": only graph inputs can be changed");
            }
            fed.put(onnxName, override.getValue());
        }
        return fed;
    }

    private boolean isGraphInput(String onnxName) {
        return graph.ops().stream().anyMatch(op -> op.type().equals(OnnxGraphConverter.INPUT_TYPE)
                && op.outputs().get(0).name().equals(model.names().tensorName(onnxName).orElse("")));
    }

    private static TensorData renamed(TensorData data, String name) {
        return new TensorData(name, data.dtype(), data.shape(), data.bytes());
    }

    /** One ONNX Runtime run: its fed tensors and results, closed together. */
    private final class Run implements AutoCloseable {

        private final Map<String, OnnxTensor> inputs = new HashMap<>();
        private OrtSession.Result result;

        Run(Map<String, TensorData> fed, Set<String> outputs) throws BackendException {
            if (outputs.isEmpty()) {
                return;
            }
            try {
                for (Map.Entry<String, TensorData> feed : fed.entrySet()) {
                    inputs.put(feed.getKey(), OrtTensors.toTensor(env, feed.getValue()));
                }
                result = session.run(inputs, outputs);
            } catch (OrtException | IllegalArgumentException e) {
                close();
                throw new BackendException(OnnxRuntimeEnvironment.FRAMEWORK + " could not run " + graph.source() + ": "
                        + (e instanceof OrtException ort ? OnnxRuntimeEnvironment.firstLine(ort) : e.getMessage()), e);
            }
        }

        /** A copy of a computed tensor, named "op:k"; empty when it is not a tensor (a sequence or map). */
        Optional<TensorData> get(String onnxName, String name) throws BackendException {
            Optional<OnnxValue> value = result == null ? Optional.empty() : result.get(onnxName);
            if (value.isEmpty() || !(value.get() instanceof OnnxTensor tensor)) {
                return Optional.empty();
            }
            if (OrtTensors.dtype(tensor).byteSize() < 0) {
                return Optional.empty();
            }
            return Optional.of(OrtTensors.toData(name, tensor));
        }

        @Override
        public void close() {
            if (result != null) {
                result.close();
            }
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(OnnxRuntimeEnvironment.FRAMEWORK + " could not close the session of "
                    + graph.source() + ": " + OnnxRuntimeEnvironment.firstLine(e), e);
        }
    }
}
