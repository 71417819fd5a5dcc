package org.tensorscope.tensorflow.internal.tflite;

import java.nio.ByteBuffer;

/** Table {@code Operator}: the operator code's index, input and output tensors (-1: an optional input left out), options. */
final class TfliteOperator extends FlatTable {

    TfliteOperator(ByteBuffer file, int position) {
        super(file, position);
    }

    long opcodeIndex() {
        return Integer.toUnsignedLong(int32(0, 0));
    }

    int[] inputs() {
        return ints(1);
    }

    int[] outputs() {
        return ints(2);
    }

    /** The {@code BuiltinOptions} union's type (fields 3 and 4); 0 when the operator has no options. */
    int optionsType() {
        return Byte.toUnsignedInt(int8(3, (byte) 0));
    }

    /** The options table, or an empty one (every field at its default) when absent. */
    TfliteOptions options() {
        int at = table(4);
        return at == 0 ? TfliteOptions.NONE : new TfliteOptions(file(), at);
    }

    boolean hasCustomOptions() {
        return length(5, 1) > 0;
    }

    ByteBuffer customOptions() {
        return bytes(5);
    }
}
