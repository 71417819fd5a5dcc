package org.tensorscope.tensorflow.internal.run;

import java.util.HashMap;
import java.util.Map;

import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorscope.core.model.Shape;

/**
 * The static shapes of a graph's tensors once its placeholders take the shapes of the tensors fed
 * to them, from TensorFlow's own shape inference: the graph is imported again with those shapes
 * pinned. Large constants stand in as placeholders of their shape, so the weights are not copied.
 */
final class PinnedShapes {

    /** Constants up to this size keep their values: shape inference reads small ones (a Reshape's shape). */
    private static final int KEPT_CONSTANT_BYTES = 4096;

    private PinnedShapes() {
    }

    /**
     * @return the shape of each tensor "op:k", or null when TensorFlow cannot build the graph with
     *         these shapes (the run will say why)
     */
    static Map<String, Shape> of(GraphDef frozenGraph, Map<String, Shape> placeholderShapes) {
        GraphDef.Builder pinned = frozenGraph.toBuilder();
        for (NodeDef.Builder node : pinned.getNodeBuilderList()) {
            Shape shape = placeholderShapes.get(node.getName());
            if (shape != null && node.getOp().equals("Placeholder")) {
                node.putAttr("shape", AttrValue.newBuilder().setShape(proto(shape)).build());
            } else if (node.getOp().equals("Const") && node.containsAttr("value")
                    && node.getAttrOrThrow("value").getTensor().getSerializedSize() > KEPT_CONSTANT_BYTES) {
                TensorProto value = node.getAttrOrThrow("value").getTensor();
                node.setOp("Placeholder").clearInput().clearAttr()
                        .putAttr("dtype", AttrValue.newBuilder().setType(value.getDtype()).build())
                        .putAttr("shape", AttrValue.newBuilder().setShape(value.getTensorShape()).build());
            }
        }
        try (Graph graph = new Graph()) {
            graph.importGraphDef(pinned.build());
            Map<String, Shape> shapes = new HashMap<>();
            for (NodeDef node : frozenGraph.getNodeList()) {
                GraphOperation op = graph.operation(node.getName());
                for (int i = 0; op != null && i < op.numOutputs(); i++) {
                    org.tensorflow.ndarray.Shape shape = op.output(i).shape();
                    shapes.put(node.getName() + ":" + i, shape.isUnknown() ? Shape.unknownRank() : Shape.of(shape.asArray()));
                }
            }
            return shapes;
        } catch (IllegalArgumentException | TensorFlowException e) {
            return null;
        }
    }

    private static TensorShapeProto proto(Shape shape) {
        TensorShapeProto.Builder proto = TensorShapeProto.newBuilder();
        for (long d : shape.dims()) {
            proto.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
        }
        return proto.build();
    }
}
