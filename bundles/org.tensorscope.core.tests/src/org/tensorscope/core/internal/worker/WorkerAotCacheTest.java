package org.tensorscope.core.internal.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inference worker's AOT cache: made by a worker that had none, in the background and under a
 * private name until complete; used by the next; one per plan and Java; never offered without the
 * launch script's folder or on a Java before 25.
 */
class WorkerAotCacheTest {

    @TempDir
    Path temporary;

    private Path folder;
    private Path framework;

    @BeforeEach
    void folder() throws Exception {
        folder = Files.createDirectories(temporary.resolve("aot"));
        framework = Files.writeString(temporary.resolve("org.eclipse.osgi.jar"), "framework");
        System.setProperty(WorkerAotCache.PROP_FOLDER, folder.toString());
    }

    @AfterEach
    void noFolder() {
        System.clearProperty(WorkerAotCache.PROP_FOLDER);
    }

    @Test
    void aWorkerWithoutACacheRecordsOneThatIsAssembledAfterItEndedAndUsedByTheNext() throws Exception {
        if (!cachesPossible()) {
            return; // checked by aJavaBefore25GetsNoCache
        }
        Path java = fakeJava();
        List<String> command = command(java.toString());
        WorkerAotCache first = WorkerAotCache.forWorker(command, plan("a"));
        assertNotNull(first);
        assertTrue(first.recording());
        String configuration = option(first.options(), "-XX:AOTConfiguration=");
        assertTrue(configuration.startsWith(folder.toString()) && configuration.contains("%p"),
                "the recording is not named after the worker's process in the cache folder: " + configuration);
        assertTrue(first.options().contains("-XX:AOTMode=record"), first.options().toString());
        assertTrue(first.options().contains("-XX:+DisplayVMOutputToStderr"),
                "the JVM's note that it recorded would reach standard output: " + first.options());

        Process worker = new ProcessBuilder("sleep", "1").start();
        Path recorded = Path.of(configuration.replace("%p", "pid" + worker.pid()));
        Files.writeString(recorded, "recorded classes"); // as the worker's JVM writes at its exit
        first.assembleAfter(worker, command);
        Path cache = awaitCache();
        assertEquals("assembled recorded classes", Files.readString(cache).strip());
        assertEquals(List.of(cache), files(), "the recording or the private name was left behind");

        WorkerAotCache second = WorkerAotCache.forWorker(command, plan("a"));
        assertFalse(second.recording(), "the next worker records again instead of using the cache");
        assertEquals(cache.toString(), option(second.options(), "-XX:AOTCache="));
        assertTrue(second.options().contains("-Xlog:aot*=off"), "a cache the JVM refuses would be reported on stdout");
    }

    @Test
    void onceACacheIsMadeOnlyTheNewestFewOfEarlierBuildsOfItsInstallationStay() throws Exception {
        if (!cachesPossible()) {
            return; // checked by aJavaBefore25GetsNoCache
        }
        List<String> command = command(fakeJava().toString());
        String installation = WorkerAotCache.installation(framework.toString());
        for (int i = 0; i < 5; i++) { // caches and framework copies of earlier builds, the oldest first
            for (String name : List.of("worker-" + installation + "-old" + i + ".aot",
                    "framework-" + installation + "-old" + i + ".jar", "worker-0ther-other" + i + ".aot",
                    "framework-0ther-other" + i + ".jar")) {
                Path file = Files.writeString(folder.resolve(name), "earlier build");
                Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(
                        System.currentTimeMillis() - (10 - i) * 3_600_000L));
            }
        }
        WorkerAotCache aot = WorkerAotCache.forWorker(command, plan("a"));
        Process worker = new ProcessBuilder("sleep", "1").start();
        Files.writeString(Path.of(option(aot.options(), "-XX:AOTConfiguration=").replace("%p", "pid" + worker.pid())),
                "recorded classes");
        aot.assembleAfter(worker, command);
        List<String> kept = List.of("framework-" + installation + "-old2.jar", "framework-" + installation + "-old3.jar",
                "framework-" + installation + "-old4.jar", "worker-" + installation + "-old3.aot",
                "worker-" + installation + "-old4.aot");
        Path cache = null;
        // the clean-up deletes one file after another, in the background: wait for it to end (on a loaded machine too)
        for (int wait = 0; wait < 200 && (cache == null || !kept.equals(earlierLeft("old"))); wait++) {
            Thread.sleep(100);
            cache = files().stream()
                    .filter(f -> f.getFileName().toString().matches("worker-" + installation + "-[0-9a-f]+\\.aot"))
                    .findFirst().orElse(null);
        }
        assertTrue(cache != null && Files.isRegularFile(cache), "the new cache is made and kept: " + files());
        assertEquals(kept, earlierLeft("old"), "the newest three of each kind stay, the new cache among them");
        assertEquals(10, earlierLeft("other").size(), "another installation's caches and copies were pruned");
    }

    /** The files of earlier builds still in the cache folder, by name. */
    private List<String> earlierLeft(String marked) throws Exception {
        return files().stream().map(f -> f.getFileName().toString()).filter(name -> name.contains(marked)).sorted().toList();
    }

    @Test
    void aWorkerThatEndedWithoutRecordingLeavesNoCache() throws Exception {
        if (!cachesPossible()) {
            return; // checked by aJavaBefore25GetsNoCache
        }
        List<String> command = command(fakeJava().toString());
        WorkerAotCache aot = WorkerAotCache.forWorker(command, plan("a"));
        Process killed = new ProcessBuilder("sleep", "1").start();
        aot.assembleAfter(killed, command);
        killed.destroyForcibly().waitFor();
        Thread.sleep(3_000);
        assertEquals(List.of(), files(), "something was made from no recording");
        assertTrue(WorkerAotCache.forWorker(command, plan("a")).recording());
    }

    /**
     * Commands run one after another (a script's loop) while the first worker's recording is assembled: they neither
     * record nor start assemblies of their own, dozens of JVMs at once; a recording of long ago does not stop them.
     */
    @Test
    void aWorkerStartedWhileARecordingIsAssembledRecordsNothing() throws Exception {
        if (!cachesPossible()) {
            return; // checked by aJavaBefore25GetsNoCache
        }
        List<String> command = command("java");
        String stem = "worker-" + WorkerAotCache.installation(framework.toString()) + "-"
                + WorkerAotCache.key(command, plan("a"));
        Path pending = Files.writeString(folder.resolve(stem + ".pid97.aotconf"), "recorded");
        assertNull(WorkerAotCache.forWorker(command, plan("a")), "a second recording while the first is assembled");
        Files.setLastModifiedTime(pending, FileTime.from(Instant.now().minus(Duration.ofMinutes(20))));
        assertTrue(WorkerAotCache.forWorker(command, plan("a")).recording(), "an assembly stopped long ago");
    }

    @Test
    void anotherPlanJavaCommandOrFrameworkJarHasItsOwnCache() throws Exception {
        if (!cachesPossible()) {
            return; // checked by aJavaBefore25GetsNoCache
        }
        List<String> command = command("java");
        String key = WorkerAotCache.key(command, plan("a"));
        assertEquals(key, WorkerAotCache.key(command, plan("a")));
        assertNotEquals(key, WorkerAotCache.key(command, plan("b")), "another bundle list");
        assertNotEquals(key, WorkerAotCache.key(command("/other/java"), plan("a")), "another Java");
        assertNotEquals(key, WorkerAotCache.key(List.of("java", "-Xmx2g", "-cp", framework.toString(), "Main"), plan("a")),
                "other VM options");
        Path started = Files.writeString(temporary.resolve("framework-copy.jar"), "copy");
        List<String> fromCopy = List.of("java", "-Xmx1g", "-Djava.awt.headless=true", "-cp", started.toString(),
                "org.eclipse.core.runtime.adaptor.EclipseStarter");
        String copyKey = WorkerAotCache.key(fromCopy, plan("a"));
        Files.setLastModifiedTime(started, FileTime.from(Instant.now().plus(Duration.ofMinutes(2))));
        assertNotEquals(copyKey, WorkerAotCache.key(fromCopy, plan("a")), "the jar started replaced by another copy");
        Files.setLastModifiedTime(framework, FileTime.from(Instant.now().plus(Duration.ofMinutes(1))));
        assertNotEquals(key, WorkerAotCache.key(command, plan("a")), "a framework jar replaced in place");
    }

    @Test
    void noCacheWithoutTheScriptsFolderOrWithTheUsersOwnAotOptions() {
        if (!cachesPossible()) {
            return; // checked by aJavaBefore25GetsNoCache
        }
        assertNotNull(WorkerAotCache.forWorker(command("java"), plan("a")));
        assertNull(WorkerAotCache.forWorker(List.of("java", "-XX:AOTCache=mine.aot", "-cp", "x.jar", "Main"), plan("a")));
        System.clearProperty(WorkerAotCache.PROP_FOLDER);
        assertNull(WorkerAotCache.forWorker(command("java"), plan("a")));
        System.setProperty(WorkerAotCache.PROP_FOLDER, temporary.resolve("missing").toString());
        assertNull(WorkerAotCache.forWorker(command("java"), plan("a")));
    }

    @Test
    void leftoversOfStoppedRunsAreDeletedWhenANewRecordingStarts() throws Exception {
        onlyOldLeftoversGoWhenAWorkerStarts(false);
    }

    @Test
    void leftoversOfStoppedRunsAreDeletedAlsoWhenAWorkerUsesACache() throws Exception {
        // a workbench killed while its worker recorded leaves the recording; once a cache exists no worker records again
        onlyOldLeftoversGoWhenAWorkerStarts(true);
    }

    private void onlyOldLeftoversGoWhenAWorkerStarts(boolean cacheMade) throws Exception {
        if (!cachesPossible()) {
            return; // checked by aJavaBefore25GetsNoCache
        }
        List<String> command = command("java");
        if (cacheMade) {
            Files.writeString(folder.resolve("worker-" + WorkerAotCache.installation(framework.toString()) + "-"
                    + WorkerAotCache.key(command, plan("a")) + ".aot"), "cache");
        }
        Path old = Files.writeString(folder.resolve("worker-1.pid99.aotconf"), "half");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path recent = Files.writeString(folder.resolve("worker-1.pid98.aotconf"), "being written");
        assertEquals(!cacheMade, WorkerAotCache.forWorker(command, plan("a")).recording(), "records only without a cache");
        assertFalse(Files.exists(old), "an old recording was kept");
        assertTrue(Files.exists(recent), "a recording under way was deleted");
    }

    @Test
    void theWorkersFrameworkIsACopyOfItsJarWithoutTheSignatureMadeOnce() throws Exception {
        if (!cachesPossible()) {
            return; // checked by aJavaBefore25GetsNoCache
        }
        Path signed = jar(temporary.resolve("org.eclipse.osgi_3.24.jar"), "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n",
                "META-INF/ECLIPSE_.SF", "signature", "META-INF/ECLIPSE_.RSA", "certificate",
                "META-INF/services/org.osgi.framework.launch.FrameworkFactory", "factory",
                "org/eclipse/osgi/launch/Equinox.class", "classes");
        Path copy = WorkerAotCache.framework(signed);
        assertEquals(folder, copy.getParent(), "the copy is not in the cache folder");
        try (ZipFile zip = new ZipFile(copy.toFile())) {
            assertEquals(List.of("META-INF/MANIFEST.MF", "META-INF/services/org.osgi.framework.launch.FrameworkFactory",
                    "org/eclipse/osgi/launch/Equinox.class"), Collections.list(zip.entries()).stream().map(ZipEntry::getName).toList());
            assertEquals("classes", new String(zip.getInputStream(zip.getEntry("org/eclipse/osgi/launch/Equinox.class"))
                    .readAllBytes(), StandardCharsets.UTF_8));
        }
        Files.writeString(copy, "the copy made before");
        assertEquals(copy, WorkerAotCache.framework(signed));
        assertEquals("the copy made before", Files.readString(copy), "the copy was made again");
        assertEquals(List.of(copy), files(), "a temporary copy was left");
        System.clearProperty(WorkerAotCache.PROP_FOLDER);
        assertEquals(signed, WorkerAotCache.framework(signed), "without a cache folder the worker starts the jar itself");
    }

    @Test
    void aFrameworkWithoutSignatureIsStartedAsItIs() throws Exception {
        if (!cachesPossible()) {
            return; // checked by aJavaBefore25GetsNoCache
        }
        Path unsigned = jar(temporary.resolve("org.eclipse.osgi_3.24.jar"), "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n",
                "org/eclipse/osgi/launch/Equinox.class", "classes");
        assertEquals(unsigned, WorkerAotCache.framework(unsigned), "an unsigned framework was copied");
        assertEquals(List.of(), files(), "the cache folder got a copy");
    }

    @Test
    void aJavaBefore25GetsNoCache() throws Exception {
        assertEquals(cachesPossible(), WorkerAotCache.forWorker(command("java"), plan("a")) != null,
                "Java " + Runtime.version().feature());
        Path jar = Files.writeString(temporary.resolve("signed.jar"), "not even a jar");
        if (!cachesPossible()) {
            assertEquals(jar, WorkerAotCache.framework(jar), "a Java without caches got a copy of the framework");
        }
    }

    /** Java 25+ (AOT caches) on a system with a shell (which assembles them). */
    private static boolean cachesPossible() {
        return Runtime.version().feature() >= 25 && Files.isExecutable(Path.of("/bin/sh"));
    }

    private List<String> command(String java) {
        return List.of(java, "-Xmx1g", "-Djava.awt.headless=true", "-cp", framework.toString(),
                "org.eclipse.core.runtime.adaptor.EclipseStarter");
    }

    private Properties plan(String bundles) {
        Properties plan = new Properties();
        plan.setProperty("osgi.bundles", bundles);
        plan.setProperty(LaunchedWorker.PROP_FRAMEWORK, framework.toString());
        return plan;
    }

    /** A "java" that, asked to create a cache, writes it from the recording, half first, as a JVM would. */
    private Path fakeJava() throws Exception {
        Path java = temporary.resolve("java");
        Files.writeString(java, """
                #!/bin/sh
                for arg in "$@"; do
                  case "$arg" in
                    -XX:AOTConfiguration=*) conf=${arg#-XX:AOTConfiguration=} ;;
                    -XX:AOTCache=*) cache=${arg#-XX:AOTCache=} ;;
                  esac
                done
                printf 'assembled ' > "$cache"; sleep 1; cat "$conf" >> "$cache"
                """);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
        return java;
    }

    private Path awaitCache() throws Exception {
        for (int i = 0; i < 100; i++) {
            try (Stream<Path> files = Files.list(folder)) {
                List<Path> made = files.filter(f -> f.getFileName().toString().endsWith(".aot")).toList();
                if (!made.isEmpty()) {
                    Thread.sleep(300); // its leftovers are deleted just after the rename
                    return made.get(0);
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no cache was assembled: " + files());
    }

    /** A jar of these entries: each name followed by its content. */
    private static Path jar(Path file, String... namesAndContents) throws Exception {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                out.putNextEntry(new ZipEntry(namesAndContents[i]));
                out.write(namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return file;
    }

    private List<Path> files() throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.sorted().toList();
        }
    }

    private static String option(List<String> options, String prefix) {
        return options.stream().filter(o -> o.startsWith(prefix)).map(o -> o.substring(prefix.length())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + prefix + " in " + options));
    }
}
