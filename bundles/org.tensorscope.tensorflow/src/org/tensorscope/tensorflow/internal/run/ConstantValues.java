package org.tensorscope.tensorflow.internal.run;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.tensorflow.proto.DataType;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.tensor.TensorData;

/**
 * The float32 values a Const node holds, read from its TensorProto as TensorFlow reads them: the raw little-endian
 * content, or the listed values with the last one repeated up to the shape's size. A health pass checks its constants
 * from these, with no run of probes (whose first run costs what building an executor over every constant costs).
 */
final class ConstantValues {

    /** The largest constant read here, in elements: a larger one is left to a probe. */
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE / Float.BYTES;

    private ConstantValues() {
    }

    /** The values of {@code node}'s output as {@code tensor}; null when it is not a float32 constant read this way. */
    static TensorData float32(String tensor, NodeDef node) {
        if (!node.getOp().equals("Const") || !node.containsAttr("value")) {
            return null;
        }
        TensorProto proto = node.getAttrOrThrow("value").getTensor();
        TensorShapeProto shape = proto.getTensorShape();
        if (proto.getDtype() != DataType.DT_FLOAT || shape.getUnknownRank()) {
            return null;
        }
        long[] dims = new long[shape.getDimCount()];
        long elements = 1;
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shape.getDim(i).getSize();
            if (dims[i] < 0) {
                return null;
            }
            elements *= dims[i];
            if (elements > MAX_ELEMENTS) {
                return null;
            }
        }
        if (!proto.getTensorContent().isEmpty()) {
            return proto.getTensorContent().size() == elements * Float.BYTES
                    ? new TensorData(tensor, DType.FLOAT32, new Shape(dims), proto.getTensorContent().asReadOnlyByteBuffer())
                    : null;
        }
        int listed = proto.getFloatValCount();
        if (listed > elements) {
            return null;
        }
        ByteBuffer values = ByteBuffer.allocate((int) elements * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < elements; i++) {
            values.putFloat(listed == 0 ? 0f : proto.getFloatVal(Math.min(i, listed - 1)));
        }
        return new TensorData(tensor, DType.FLOAT32, new Shape(dims), values.flip());
    }
}
