package org.tensorscope.core.internal.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;

/**
 * The temporary folders of inference workers (their framework's configuration). A folder names the
 * process that made it, so that the folders of a Tensorscope that was killed, or crashed with its
 * worker, are found and deleted by the next one instead of filling the temporary folder.
 */
final class WorkerAreas {

    static final String PREFIX = "tensorscope-worker";
    private static final String OWNER_FILE = "owner";
    /** A folder without an owner is left alone this long: it may be one being made right now. */
    private static final Duration UNOWNED_GRACE = Duration.ofHours(1);

    private WorkerAreas() {
    }

    /** A new folder for a worker, naming this process as its owner. */
    static Path create(Path parent) throws IOException {
        Path area = Files.createTempDirectory(parent, PREFIX);
        Files.writeString(area.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()), StandardCharsets.US_ASCII);
        return area;
    }

    /** Deletes the worker folders in {@code parent} whose owner no longer runs; returns how many. */
    static int deleteStale(Path parent) {
        int deleted = 0;
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(parent, PREFIX + "*")) {
            for (Path folder : folders) {
                if (Files.isDirectory(folder, java.nio.file.LinkOption.NOFOLLOW_LINKS) && isStale(folder)) {
                    delete(folder);
                    deleted++;
                }
            }
        } catch (IOException | RuntimeException e) {
            // leaving old folders is harmless; failing to start a worker over them is not
        }
        return deleted;
    }

    private static boolean isStale(Path folder) throws IOException {
        Optional<Long> owner = owner(folder);
        if (owner.isPresent()) {
            return owner.get() != ProcessHandle.current().pid() && ProcessHandle.of(owner.get()).map(p -> !p.isAlive()).orElse(true);
        }
        return Files.getLastModifiedTime(folder).toInstant().isBefore(Instant.now().minus(UNOWNED_GRACE));
    }

    private static Optional<Long> owner(Path folder) {
        try {
            return Optional.of(Long.parseLong(Files.readString(folder.resolve(OWNER_FILE), StandardCharsets.US_ASCII).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    static void delete(Path folder) {
        try (var files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
