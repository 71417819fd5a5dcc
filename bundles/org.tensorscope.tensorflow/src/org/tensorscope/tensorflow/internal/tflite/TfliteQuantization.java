package org.tensorscope.tensorflow.internal.tflite;

import java.nio.ByteBuffer;

/** Table {@code QuantizationParameters}: {@code real = scale * (q - zero_point)}, per tensor or per channel. */
final class TfliteQuantization extends FlatTable {

    TfliteQuantization(ByteBuffer file, int position) {
        super(file, position);
    }

    float[] scale() {
        return floats(2);
    }

    long[] zeroPoint() {
        return longs(3);
    }

    /** A custom quantization (the {@code details} union, fields 4 and 5), which the scale and zero point do not describe. */
    boolean hasDetails() {
        return int8(4, (byte) 0) != 0;
    }

    int quantizedDimension() {
        return int32(6, 0);
    }

    /** Whether there is a scale at all: converters write empty parameters on float tensors. */
    boolean isQuantized() {
        return scale().length > 0;
    }
}
