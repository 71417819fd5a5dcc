package org.tensorscope.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Where the fuzz targets find the real models and write the files they parse. */
public final class Scratch {

    private Scratch() {
    }

    /** The repository's testdata/ folder (set by the build; tests run from the module's folder otherwise). */
    public static Path testdata() {
        return Path.of(System.getProperty("tensorscope.testdata", "../../testdata")).toAbsolutePath().normalize();
    }

    public static Path testdata(String relative) {
        return testdata().resolve(relative);
    }

    /** An empty folder of this run, under target/ (removed by mvn clean). */
    public static Path folder(String name) {
        try {
            Path folder = Path.of("target", "fuzz-scratch", name + "-" + ProcessHandle.current().pid()).toAbsolutePath();
            if (Files.exists(folder)) {
                try (Stream<Path> files = Files.walk(folder)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            return Files.createDirectories(folder).toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies a file or folder of testdata/ into the folder, under the same name. */
    public static void copy(String relative, Path folder) {
        Path from = testdata(relative);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path to = folder.resolve(from.getFileName().toString()).resolve(from.relativize(file).toString()).normalize();
                if (Files.isDirectory(file)) {
                    Files.createDirectories(to);
                } else {
                    Files.createDirectories(to.getParent());
                    Files.copy(file, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path write(Path file, byte[] bytes) {
        try {
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
