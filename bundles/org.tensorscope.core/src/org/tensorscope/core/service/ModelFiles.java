package org.tensorscope.core.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
}
