package org.tensorscope.tensorflow.internal.keras;

import org.tensorflow.proto.TensorShapeProto;

/**
 * Shapes as protos, touching no TensorFlow class but its protos, so that the weights can be read while the natives
 * load (see {@link org.tensorscope.tensorflow.internal.ModelReading}).
 */
final class ProtoShapes {

    private ProtoShapes() {
    }

    static TensorShapeProto of(long[] dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
        }
        return shape.build();
    }
}
