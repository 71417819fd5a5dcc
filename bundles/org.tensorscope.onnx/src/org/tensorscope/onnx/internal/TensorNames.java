package org.tensorscope.onnx.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * ONNX names tensors freely ("conv1.weight", "save_infer_model/scale_0.tmp_0") and often leaves
 * nodes unnamed, while Tensorscope names a tensor "op:k". This maps one to the other: every tensor
 * to its ONNX name, and the main graph's ONNX names to their tensors (a subgraph's names are only
 * unique within the subgraph's scope: see {@link org.tensorscope.onnx.internal.load.ScopedGraph}).
 */
public final class TensorNames {

    private final Map<String, String> byOnnxName = new HashMap<>();
    private final Map<String, String> byTensorName = new HashMap<>();

    /** A value of the main graph. */
    public void put(String onnxName, String tensorName) {
        byOnnxName.put(onnxName, tensorName);
        byTensorName.put(tensorName, onnxName);
    }

    /** A value defined inside a subgraph. */
    public void putInner(String onnxName, String tensorName) {
        byTensorName.put(tensorName, onnxName);
    }

    /** "op:k" of an ONNX tensor name of the main graph. */
    public Optional<String> tensorName(String onnxName) {
        return Optional.ofNullable(byOnnxName.get(onnxName));
    }

    /** The ONNX tensor name of "op:k" (or of an op name, meaning its first output). */
    public Optional<String> onnxName(String tensorOrOp) {
        return Optional.ofNullable(byTensorName.get(org.tensorscope.core.model.TensorSpec.tensorName(tensorOrOp)));
    }
}
