package org.tensorscope.core.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Reading model files with one wording, for every loader, of what goes wrong. A model from a
 * stranger may name any path: the files it refers to must stay inside its folder, be regular files
 * (no FIFO, device or directory) and have the size it declares, all checked before a byte is read.
 */
public final class ModelFiles {

    /** The largest model file read into memory: a Java array holds a little under 2 GiB. */
    public static final long MODEL_FILE_LIMIT = Integer.MAX_VALUE - 8;

    private ModelFiles() {
    }

    /** The whole file; an unreadable, irregular, oversized or empty file is a {@link ModelLoadException} naming it. */
    public static byte[] readNonEmpty(Path file) throws ModelLoadException {
        byte[] bytes = readRegularFile(file, -1, MODEL_FILE_LIMIT);
        if (bytes.length == 0) {
            throw new ModelLoadException(file, "the file is empty");
        }
        return bytes;
    }

    /**
     * The real path of a file a model refers to, relative to the model's folder. Refused: absolute
     * paths, paths that leave the folder ({@code ../}, or a symbolic link pointing outside) and missing files.
     */
    public static Path confined(Path modelFolder, String relativePath) throws ModelLoadException {
        Path folder = modelFolder.toAbsolutePath().normalize();
        Path reference;
        try {
            reference = Path.of(relativePath);
        } catch (InvalidPathException e) {
            throw new ModelLoadException(folder, "the model refers to an invalid file name '" + relativePath + "'");
        }
        if (reference.isAbsolute() || relativePath.startsWith("/") || relativePath.startsWith("\\")) {
            throw new ModelLoadException(reference, "refused: an absolute path; a model may only refer to files in its folder "
                    + folder);
        }
        Path resolved = folder.resolve(reference).normalize();
        if (!resolved.startsWith(folder)) {
            throw new ModelLoadException(resolved, "refused: outside the model folder " + folder);
        }
        Path realFolder;
        Path real;
        try {
            realFolder = folder.toRealPath();
            real = resolved.toRealPath();
        } catch (NoSuchFileException e) {
            throw new ModelLoadException(resolved, "missing (the model refers to it)");
        } catch (IOException e) {
            throw new ModelLoadException(resolved, "cannot be read: " + e.getMessage(), e);
        }
        if (!real.startsWith(realFolder)) {
            throw new ModelLoadException(resolved, "refused: a link to " + real + ", outside the model folder " + folder);
        }
        return real;
    }

    /**
     * The bytes of a regular file, its size checked before reading: {@code expectedSize} (or -1 for
     * any) is the size the model declares, {@code limit} the most that may be read.
     */
    public static byte[] readRegularFile(Path file, long expectedSize, long limit) throws ModelLoadException {
        long size = checkedSize(file, expectedSize, limit);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) size);
            if (bytes.length != size || in.read() != -1) {
                throw new ModelLoadException(file, "changed size while being read (" + size + " bytes expected)");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new ModelLoadException(file, "no such file");
        } catch (IOException e) {
            throw new ModelLoadException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    /** The size of a regular file, checked against the declared size and the limit, without reading it. */
    public static long checkedSize(Path file, long expectedSize, long limit) throws ModelLoadException {
        String kind = irregularKind(file);
        if (kind != null) {
            throw new ModelLoadException(file, kind);
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new ModelLoadException(file, "cannot be read: " + e.getMessage(), e);
        }
        if (expectedSize >= 0 && size != expectedSize) {
            throw new ModelLoadException(file, "has " + size + " bytes, the model declares " + expectedSize
                    + (size < expectedSize ? " (truncated?)" : " (wrong or corrupt file?)"));
        }
        if (size > limit) {
            throw new ModelLoadException(file, "is " + sizeText(size) + ", more than the " + sizeText(limit)
                    + " that can be read");
        }
        return size;
    }

    /** Why a path is not a readable regular file ("no such file", "a directory, not a file", ...), or null when it is. */
    public static String irregularKind(Path file) {
        if (Files.isRegularFile(file)) {
            return isSpecialFileSystem(file) ? "refused: a file of the system's /proc or /sys, not a model file" : null;
        }
        if (!Files.exists(file)) {
            return Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? "a broken symbolic link" : "no such file";
        }
        if (Files.isDirectory(file)) {
            return "a directory, not a file";
        }
        return "not a regular file (a pipe, socket or device); refused";
    }

    private static boolean isSpecialFileSystem(Path file) {
        try {
            Path real = file.toRealPath();
            return real.startsWith("/proc") || real.startsWith("/sys");
        } catch (IOException e) {
            return false;
        }
    }

    /** A byte count for people: "3.0 GiB", "512 bytes". */
    public static String sizeText(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        String[] units = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /**
     * What a file no installed loader reads is and what to do about it, when it is a model format Tensorscope knows
     * of: an ONNX model (the extension is not installed), a TFLite one (no TFLite loader installed); empty otherwise.
     */
    public static Optional<String> unsupportedFormat(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx")) {
            return Optional.of("an ONNX model: ONNX support is an extension, installed with Help > Install New"
                    + " Software in the workbench (see the README's \"ONNX models\")");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4096);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (isWeightsManifest(file, head)) {
            return Optional.of("a TF.js weights manifest: it lists a model's weights but not the network that uses"
                    + " them, which is in the program that loads them (as in face-api.js); open the model.json or"
                    + " tensorflowjs_model.pb that goes with it");
        }
        if (head.length < 8) {
            return Optional.empty();
        }
        // a flatbuffer's file identifier follows its 4-byte root offset; TFLite's is "TFL3"
        if (new String(head, 4, 4, StandardCharsets.US_ASCII).equals("TFL3")) {
            return Optional.of("a TensorFlow Lite model (.tflite flatbuffer), which Tensorscope cannot read yet");
        }
        return Optional.empty();
    }

    /** A JSON list of weight groups, each with its weights and its shards' paths, as TF.js writes them. */
    private static boolean isWeightsManifest(Path file, byte[] head) {
        String text = new String(head, StandardCharsets.UTF_8).replaceAll("\\s", "");
        return file.getFileName().toString().endsWith(".json")
                && (text.startsWith("[{\"weights\"") || text.startsWith("[{\"paths\"")) && text.contains("\"dtype\"");
    }
}
