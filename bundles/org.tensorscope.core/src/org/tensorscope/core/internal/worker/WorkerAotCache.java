package org.tensorscope.core.internal.worker;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

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
 * without any class-data sharing at all, slower than with no cache. The worker's framework then
 * starts from a copy of its jar without the signature ({@link #framework}), whose classes the cache
 * can hold.
 */
final class WorkerAotCache {

    /** The folder holding the caches, set by the launch script. */
    static final String PROP_FOLDER = "tensorscope.aot.folder";

    /** The JVM's notes about its cache (refused, classes skipped) are not for users. */
    private static final List<String> QUIET = List.of("-Xlog:aot*=off", "-Xlog:cds*=off");
    /** Files of recordings and assemblies this old were left by a run that was stopped. */
    private static final Duration STALE = Duration.ofHours(1);
    /** How recent a recording must be to count as being assembled (an assembly takes seconds; a stopped one stays). */
    private static final Duration ASSEMBLING = Duration.ofMinutes(10);
    /** How long the assembly waits for the recording worker to end before giving up on it. */
    private static final int WAIT_SECONDS = 120;
    /** The worker caches (and framework copies) of an installation kept: its newest builds'. */
    private static final int KEPT = 3;
    private static final String SHELL = "/bin/sh";
    /** A jar's signature: the signers' files in META-INF (the manifest's digests alone sign nothing). */
    private static final Pattern SIGNATURE = Pattern.compile("META-INF/[^/]+\\.(SF|RSA|DSA|EC)", Pattern.CASE_INSENSITIVE);

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
            [ -s "$conf" ] && nice -n 19 "$@" && [ -s "$made" ] && mv -f "$made" "$cache" && {
              # the caches and framework copies of this installation's earlier builds are never used again:
              # the newest few stay
              dir=$(dirname "$cache") installation=${cache##*/worker-}; installation=${installation%%%%-*}
              for kind in "worker-$installation-*.aot" "framework-$installation-*.jar"; do
                ls -t "$dir"/$kind 2>/dev/null | tail -n +%d | while IFS= read -r old; do rm -f "$old"; done
              done
            }
            rm -f "$conf" "$made"
            """.formatted(WAIT_SECONDS, KEPT + 1);

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
        Path dir = folder();
        if (dir == null || command.stream().anyMatch(o -> o.startsWith("-XX:AOT"))) {
            return null;
        }
        Path cache = dir.resolve("worker-" + installation(planned.getProperty(LaunchedWorker.PROP_FRAMEWORK)) + "-"
                + key(command, planned) + ".aot");
        // also while a cache is used: a worker killed with its workbench while recording left its recording
        deleteStale(dir);
        try {
            if (Files.size(cache) > 0) {
                return new WorkerAotCache(cache, false);
            }
        } catch (IOException e) {
            // none yet: this worker records one, unless an earlier worker's recording is being assembled
        }
        return beingAssembled(cache) ? null : new WorkerAotCache(cache, true);
    }

    /**
     * Whether a worker that recorded for this cache in the last minutes has ended and its recording waits for, or is
     * in, its assembly: workers started one after another meanwhile (a script running commands in a loop) would
     * each record and start an assembly of their own.
     */
    private static boolean beingAssembled(Path cache) {
        String name = cache.getFileName().toString();
        String prefix = name.substring(0, name.length() - ".aot".length()) + ".";
        Instant since = Instant.now().minus(ASSEMBLING);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(cache.getParent(), prefix + "*.aotconf")) {
            for (Path file : files) {
                if (Files.getLastModifiedTime(file).toInstant().isAfter(since)) {
                    return true;
                }
            }
        } catch (IOException | RuntimeException e) {
            // none to be seen: record
        }
        return false;
    }

    /** The cache folder the launch script named, if this Java can have caches and the folder can be written. */
    private static Path folder() {
        String folder = System.getProperty(PROP_FOLDER);
        if (folder == null || Runtime.version().feature() < 25 || !new File(SHELL).canExecute()) {
            return null;
        }
        Path dir = Path.of(folder);
        return Files.isDirectory(dir) && Files.isWritable(dir) ? dir : null;
    }

    /**
     * The OSGi framework's jar for a worker with a cache: when the jar is signed, a copy without its
     * signature in the cache folder (made the first time), else the jar itself. The JVM checks a
     * signed jar on the class path at every start and cannot keep its classes in an AOT cache: the
     * copy starts the worker's framework with a third less CPU. Its classes are the jar's, byte for
     * byte. (The product's build removes the signature already; a framework updated by p2 has one.)
     */
    static Path framework(Path jar) {
        Path dir = folder();
        if (dir == null) {
            return jar;
        }
        try {
            String key = jar.toAbsolutePath() + "\n" + Files.size(jar) + "\n" + Files.getLastModifiedTime(jar).toMillis();
            Path copy = dir.resolve("framework-" + installation(jar.toString()) + "-"
                    + HexFormat.of().formatHex(sha256(key), 0, 8) + ".jar");
            // a copy there was made from this jar, signed: only a start without one opens the jar to look
            if (Files.isRegularFile(copy)) {
                return copy;
            }
            if (!signed(jar)) {
                return jar;
            }
            unsign(jar, copy);
            return copy;
        } catch (IOException | RuntimeException e) {
            return jar;
        }
    }

    private static boolean signed(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream().anyMatch(entry -> SIGNATURE.matcher(entry.getName()).matches());
        }
    }

    /** Copies a jar without its signature files, under a private name renamed into place once complete. */
    static void unsign(Path jar, Path copy) throws IOException {
        Path made = Files.createTempFile(copy.getParent(), "framework", ".tmp");
        try {
            try (ZipFile in = new ZipFile(jar.toFile());
                    ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(made))) {
                for (ZipEntry entry : Collections.list(in.entries())) {
                    if (SIGNATURE.matcher(entry.getName()).matches()) {
                        continue;
                    }
                    ZipEntry copied = new ZipEntry(entry.getName());
                    copied.setTime(entry.getTime());
                    out.putNextEntry(copied);
                    try (InputStream data = in.getInputStream(entry)) {
                        data.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
            Files.move(made, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(made);
        }
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
     * as it is on disk (the JVM checks its class path's jars against the cache, and refuses it for a
     * jar of another size or date).
     */
    static String key(List<String> command, Properties planned) {
        StringBuilder text = new StringBuilder();
        text.append(System.getProperty("java.home")).append('\n')
                .append(Runtime.version()).append('\n')
                .append(System.getProperty("java.vm.version")).append('\n');
        command.forEach(option -> text.append(option).append('\n'));
        new TreeMap<>(planned).forEach((name, value) -> text.append(name).append('=').append(value).append('\n'));
        // the jar planned and the one started (its unsigned copy), as they are on disk
        int cp = command.indexOf("-cp");
        for (String jar : new String[] { planned.getProperty(LaunchedWorker.PROP_FRAMEWORK),
                cp >= 0 && cp + 1 < command.size() ? command.get(cp + 1) : null }) {
            try {
                Path file = Path.of(jar);
                text.append(Files.size(file)).append(' ').append(Files.getLastModifiedTime(file).toMillis()).append('\n');
            } catch (IOException | RuntimeException e) {
                text.append("no jar\n");
            }
        }
        return HexFormat.of().formatHex(sha256(text.toString()), 0, 8);
    }

    /**
     * The number of the installation a framework jar is in (the folder above its plugins folder), which starts the
     * names of its caches and copies: installations used side by side each keep their newest few, where counting
     * them together would have each prune the other's, and every worker record again.
     */
    static String installation(String frameworkJar) {
        if (frameworkJar == null) {
            return "none";
        }
        Path jar = Path.of(frameworkJar).toAbsolutePath();
        Path home = jar.getParent() != null && jar.getParent().getParent() != null ? jar.getParent().getParent() : jar;
        return HexFormat.of().formatHex(sha256(home.toString()), 0, 4);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
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
