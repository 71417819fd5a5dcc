package org.tensorscope.tensorflow.internal.tflite;

import java.nio.ByteBuffer;

/** Table {@code SubGraph}: tensors, inputs, outputs and operators in execution order. */
final class TfliteSubGraph extends FlatTable {

    TfliteSubGraph(ByteBuffer file, int position) {
        super(file, position);
    }

    int tensorCount() {
        return length(0, 4);
    }

    TfliteTensor tensor(int i) {
        return new TfliteTensor(file(), table(0, i));
    }

    int[] inputs() {
        return ints(1);
    }

    int[] outputs() {
        return ints(2);
    }

    int operatorCount() {
        return length(3, 4);
    }

    TfliteOperator operator(int i) {
        return new TfliteOperator(file(), table(3, i));
    }

    String name() {
        return string(4);
    }
}
