package org.tensorscope.onnx.internal;

import java.util.Map;
import java.util.Optional;

import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.onnx.internal.load.OnnxModelFile;
import org.tensorscope.onnx.internal.load.ScopedGraph;
import org.tensorscope.onnx.internal.load.StoredTensor;

/**
 * A model read by the ONNX loader: the file's bytes (ONNX Runtime is given them, rewritten, to
 * open a session), what was read from them, and the framework-free graph.
 */
public final class OnnxModel implements LoadedModel {

    private final byte[] bytes;
    private final OnnxModelFile file;
    private final ModelGraph graph;
    private final TensorNames names;
    private final Map<String, StoredTensor> storedTensors;
    private final ScopedGraph mainGraph;

    /**
     * @param storedTensors the tensors whose values are in the file (initializers, Constant values), by
     *                      tensor name ("op:k")
     * @param mainGraph     the main graph with its subgraphs, as named in the model graph
     */
    public OnnxModel(byte[] bytes, OnnxModelFile file, ModelGraph graph, TensorNames names,
            Map<String, StoredTensor> storedTensors, ScopedGraph mainGraph) {
        this.bytes = bytes;
        this.file = file;
        this.graph = graph;
        this.names = names;
        this.storedTensors = Map.copyOf(storedTensors);
        this.mainGraph = mainGraph;
    }

    /** The tensor ("op:k") whose values the file holds, if it is one. */
    public Optional<StoredTensor> storedTensor(String tensorName) {
        return Optional.ofNullable(storedTensors.get(org.tensorscope.core.model.TensorSpec.tensorName(tensorName)));
    }

    /** The main graph and, inside it, the subgraphs of If, Loop and Scan nodes. */
    public ScopedGraph mainGraph() {
        return mainGraph;
    }

    /** The model file as read; not to be modified. */
    public byte[] bytes() {
        return bytes;
    }

    public OnnxModelFile file() {
        return file;
    }

    @Override
    public ModelGraph graph() {
        return graph;
    }

    public TensorNames names() {
        return names;
    }

    @Override
    public String backendId() {
        return OnnxBackend.ID;
    }

    @Override
    public void close() {
        // only heap memory: nothing to free
    }
}
