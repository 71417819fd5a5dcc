package org.tensorscope.onnx.internal.load;

import java.util.List;

/**
 * An AttributeProto, reduced to what Tensorscope shows and needs.
 *
 * @param name      attribute name
 * @param summary   the value as readable text, e.g. "[3, 3]" or "<subgraph: 12 nodes>"
 * @param tensor    the tensor value (attribute field t), or null
 * @param subgraphs the graphs it holds (If branches, Loop and Scan bodies)
 */
public record OnnxAttribute(String name, String summary, StoredTensor tensor, List<OnnxGraph> subgraphs) {

    public OnnxAttribute {
        subgraphs = List.copyOf(subgraphs);
    }
}
