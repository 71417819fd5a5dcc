package org.tensorscope.core.internal.worker;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The inference worker's AOT cache (Java 25+, JEP 483 and 515): the JDK classes a worker's start
 * loads and links, and their profiles, kept in Tensorscope's own cache folder so that later workers
 * start with less CPU. Used only when the launch script names that folder in {@value #PROP_FOLDER}
 * (it does on Java 25+ unless the user chose AOT options of their own).
 * <p>
 * A worker without a cache records what it loads ({@code -XX:AOTMode=record}) into a file named
 * after its process; when it has ended, a background process assembles the cache from that file
 * under a private name and renames it into place. So no command waits for the assembly, and no
 * worker ever meets a partial cache. There is one cache per Java, worker command and plan (the
 * bundles it starts): the JVM refuses a cache made with another Java or class path, and then runs
 * without any class-data sharing at all, slower than with no cache.
 */
final class WorkerAotCache {

    /** The folder holding the caches, set by the launch script. */
    static final String PROP_FOLDER = "tensorscope.aot.folder";

    /** The JVM's notes about its cache (refused, classes skipped) are not for users. */
    private static final List<String> QUIET = List.of("-Xlog:aot*=off", "-Xlog:cds*=off");
    /** Files of recordings and assemblies this old were left by a run that was stopped. */
    private static final Duration STALE = Duration.ofHours(1);
    /** How long the assembly waits for the recording worker to end before giving up on it. */
    private static final int WAIT_SECONDS = 120;
    private static final String SHELL = "/bin/sh";

    /**
     * Waits for the worker ($1) to end (and ends it if it hangs, as Tensorscope would have), assembles
     * its recording ($2) into $3 with the command that follows and renames that to $4.
     */
    private static final String ASSEMBLE = """
            waited=0
            while kill -0 "$1" 2>/dev/null; do
              [ "$waited" -ge %d ] && { kill -9 "$1"; rm -f "$2"; exit 1; }
              sleep 1; waited=$((waited + 1))
            done
            conf=$2 made=$3 cache=$4; shift 4
            [ -s "$conf" ] && nice -n 19 "$@" && [ -s "$made" ] && mv -f "$made" "$cache"
            rm -f "$conf" "$made"
            """.formatted(WAIT_SECONDS);

    private final Path cache;
    private final boolean recording;

    private WorkerAotCache(Path cache, boolean recording) {
        this.cache = cache;
        this.recording = recording;
    }

    /**
     * The cache for a worker started with {@code command} (the Java, its options, class path and main
     * class, nothing that changes from one worker to the next) and the plan; null when there is none
     * to use or make.
     */
    static WorkerAotCache forWorker(List<String> command, Properties planned) {
        String folder = System.getProperty(PROP_FOLDER);
        if (folder == null || Runtime.version().feature() < 25 || !new File(SHELL).canExecute()) {
            return null;
        }
        Path dir = Path.of(folder);
        if (!Files.isDirectory(dir) || !Files.isWritable(dir) || command.stream().anyMatch(o -> o.startsWith("-XX:AOT"))) {
            return null;
        }
        Path cache = dir.resolve("worker-" + key(command, planned) + ".aot");
        try {
            if (Files.size(cache) > 0) {
                return new WorkerAotCache(cache, false);
            }
        } catch (IOException e) {
            // none yet: this worker records one
        }
        deleteStale(dir);
        return new WorkerAotCache(cache, true);
    }

    /** Whether this worker records its classes for a cache (there is none yet) rather than using one. */
    boolean recording() {
        return recording;
    }

    /** The JVM options that use the cache, or record for it. */
    List<String> options() {
        List<String> options = new ArrayList<>();
        if (recording) {
            options.add("-XX:AOTMode=record");
            options.add("-XX:AOTConfiguration=" + recordingPattern());
            // the JVM prints a line to its standard output when it has recorded; Tensorscope drops it there
            options.add("-XX:+DisplayVMOutputToStderr");
        } else {
            options.add("-XX:AOTCache=" + cache);
        }
        options.addAll(QUIET);
        return options;
    }

    /**
     * For a recording worker, starts the process that waits for it to end and assembles the cache:
     * {@code command} is the one the worker was started with, without {@link #options()}. It outlives
     * this JVM and writes nothing but the cache folder's files.
     */
    void assembleAfter(Process worker, List<String> command) {
        if (!recording) {
            return;
        }
        String pid = Long.toString(worker.pid());
        Path recorded = Path.of(recordingPattern().replace("%p", "pid" + pid));
        Path made = cache.resolveSibling(cache.getFileName() + "." + pid + ".tmp");
        List<String> assemble = new ArrayList<>(List.of(SHELL, "-c", ASSEMBLE, "sh", pid, recorded.toString(), made.toString(),
                cache.toString()));
        int main = mainClassIndex(command);
        assemble.addAll(command.subList(0, main - 2)); // the Java and its options, before -cp
        assemble.add("-XX:AOTMode=create");
        assemble.add("-XX:AOTConfiguration=" + recorded);
        assemble.add("-XX:AOTCache=" + made);
        assemble.addAll(QUIET);
        assemble.addAll(command.subList(main - 2, main + 1)); // -cp, the class path and the main class
        try {
            new ProcessBuilder(assemble).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            // no cache this time; the next worker records again
        }
    }

    /** Where a recording worker writes what it loaded: %p is its process id, as the JVM spells it ("pid123"). */
    private String recordingPattern() {
        String name = cache.getFileName().toString();
        return cache.resolveSibling(name.substring(0, name.length() - ".aot".length()) + ".%p.aotconf").toString();
    }

    private static int mainClassIndex(List<String> command) {
        int cp = command.indexOf("-cp");
        if (cp < 1 || cp + 2 >= command.size()) {
            throw new IllegalArgumentException("the worker's command has no class path: " + command);
        }
        return cp + 2;
    }

    /**
     * The cache's key: the Java (its build too), the worker's command and plan, and the framework jar
     * as it is on disk (the JVM checks its class path's jars against the cache).
     */
    static String key(List<String> command, Properties planned) {
        StringBuilder text = new StringBuilder();
        text.append(System.getProperty("java.home")).append('\n')
                .append(Runtime.version()).append('\n')
                .append(System.getProperty("java.vm.version")).append('\n');
        command.forEach(option -> text.append(option).append('\n'));
        new TreeMap<>(planned).forEach((name, value) -> text.append(name).append('=').append(value).append('\n'));
        String framework = planned.getProperty(LaunchedWorker.PROP_FRAMEWORK);
        if (framework != null) {
            try {
                Path jar = Path.of(framework);
                text.append(Files.size(jar)).append(' ').append(Files.getLastModifiedTime(jar).toMillis()).append('\n');
            } catch (IOException | RuntimeException e) {
                text.append("no framework jar\n");
            }
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every Java has SHA-256
        }
    }

    /** Deletes the recordings and half-made caches of runs that were stopped (not those being made now). */
    private static void deleteStale(Path dir) {
        Instant before = Instant.now().minus(STALE);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.{aotconf,tmp}")) {
            for (Path file : files) {
                if (Files.getLastModifiedTime(file).toInstant().isBefore(before)) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException | RuntimeException e) {
            // old leftovers only take room
        }
    }
}
