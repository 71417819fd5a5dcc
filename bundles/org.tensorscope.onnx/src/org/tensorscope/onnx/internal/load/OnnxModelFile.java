package org.tensorscope.onnx.internal.load;

import java.util.Map;

/**
 * A ModelProto as read from a file.
 *
 * @param irVersion ONNX IR version
 * @param producer  the tool that wrote it ("pytorch", "paddle2onnx"...), may be empty
 * @param opsets    operator set version by domain; the default domain is ""
 * @param graph     the main graph
 */
public record OnnxModelFile(long irVersion, String producer, Map<String, Long> opsets, OnnxGraph graph) {

    public OnnxModelFile {
        opsets = Map.copyOf(opsets);
    }

    /** The version of the default ("ai.onnx") operator set, 0 when the file does not import it. */
    public long defaultOpset() {
        return opsets.getOrDefault("", opsets.getOrDefault("ai.onnx", 0L));
    }
}
