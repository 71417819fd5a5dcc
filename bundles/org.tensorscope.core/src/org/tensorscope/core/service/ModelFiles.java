package org.tensorscope.core.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reading model files with one wording, for every loader, of what goes wrong. */
public final class ModelFiles {

    private ModelFiles() {
    }

    /** The whole file; an unreadable or empty file is a {@link ModelLoadException} naming it. */
    public static byte[] readNonEmpty(Path file) throws ModelLoadException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ModelLoadException(file, "cannot be read: " + e.getMessage(), e);
        }
        if (bytes.length == 0) {
            throw new ModelLoadException(file, "the file is empty");
        }
        return bytes;
    }

    /**
     * What a file no installed loader reads is, when it is a model format Tensorscope knows of but does not read,
     * e.g. "a TensorFlow Lite model (.tflite flatbuffer)"; empty otherwise.
     */
    public static Optional<String> unsupportedFormat(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        byte[] head = new byte[8];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, head.length) < head.length) {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        // a flatbuffer's file identifier follows its 4-byte root offset; TFLite's is "TFL3"
        if (new String(head, 4, 4, StandardCharsets.US_ASCII).equals("TFL3")) {
            return Optional.of("a TensorFlow Lite model (.tflite flatbuffer)");
        }
        return Optional.empty();
    }
}
