package org.tensorscope.tensorflow.internal.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Table {@code Buffer}: a constant's raw little-endian bytes, inside the flatbuffer or (schema 3c) after it. */
final class TfliteBuffer extends FlatTable {

    TfliteBuffer(ByteBuffer file, int position) {
        super(file, position);
    }

    ByteBuffer data() {
        long offset = int64(1, 0);
        long size = int64(2, 0);
        if (offset > 1) {
            ByteBuffer file = file();
            if (size < 0 || offset + size > file.limit()) {
                throw new IllegalArgumentException("a buffer stored after the flatbuffer runs past the end of the file");
            }
            return file.slice((int) offset, (int) size).order(ByteOrder.LITTLE_ENDIAN);
        }
        return bytes(0);
    }
}
