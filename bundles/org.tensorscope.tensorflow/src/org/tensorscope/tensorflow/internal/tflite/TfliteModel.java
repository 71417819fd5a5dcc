package org.tensorscope.tensorflow.internal.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The root table {@code Model} of a TFLite flatbuffer. Field numbers follow TFLite's
 * {@code schema.fbs}, schema version 3 with its compatible revisions 3a (32-bit builtin codes),
 * 3b (SignatureDef field names) and 3c (buffers outside the flatbuffer, for models over 2 GB).
 */
final class TfliteModel extends FlatTable {

    static final String IDENTIFIER = "TFL3";

    private TfliteModel(ByteBuffer file, int position) {
        super(file, position);
    }

    /**
     * @throws IllegalArgumentException when the file is not a TFLite flatbuffer or its root lies outside it
     */
    static TfliteModel of(ByteBuffer file) {
        ByteBuffer bb = file.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (bb.limit() < 8) {
            throw new IllegalArgumentException("the file is too short for a flatbuffer (" + bb.limit() + " bytes)");
        }
        byte[] id = new byte[4];
        bb.get(4, id);
        String identifier = new String(id, StandardCharsets.ISO_8859_1);
        if (!identifier.equals(IDENTIFIER)) {
            throw new IllegalArgumentException("not a TFLite flatbuffer: its file identifier is not " + IDENTIFIER);
        }
        long root = Integer.toUnsignedLong(bb.getInt(0));
        if (root > bb.limit() - 4L) {
            throw new IllegalArgumentException("the model's root lies past the end of the file");
        }
        return new TfliteModel(bb, (int) root);
    }

    long version() {
        return Integer.toUnsignedLong(int32(0, 0));
    }

    int operatorCodeCount() {
        return length(1, 4);
    }

    TfliteOperatorCode operatorCode(int i) {
        return new TfliteOperatorCode(file(), table(1, i));
    }

    int subgraphCount() {
        return length(2, 4);
    }

    TfliteSubGraph subgraph(int i) {
        return new TfliteSubGraph(file(), table(2, i));
    }

    String description() {
        return string(3);
    }

    int bufferCount() {
        return length(4, 4);
    }

    TfliteBuffer buffer(int i) {
        return new TfliteBuffer(file(), table(4, i));
    }

    int signatureDefCount() {
        return length(7, 4);
    }

    TfliteSignatureDef signatureDef(int i) {
        return new TfliteSignatureDef(file(), table(7, i));
    }
}
