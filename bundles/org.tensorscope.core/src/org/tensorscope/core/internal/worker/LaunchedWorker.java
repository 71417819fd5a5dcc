package org.tensorscope.core.internal.worker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A worker JVM that was started and has not connected yet: its process, the socket it connects
 * back to with its token, its temporary folder, its shared-memory folder (the two area files
 * created, not mapped), its console's last lines, and what to do once it has ended (for a worker
 * recording an AOT cache, see {@link WorkerAotCache}; else null). Made from the worker's planned
 * configuration (the bundles to start and the services to wait for, see {@link WorkerLaunch#planned}).
 * <p>
 * Uses nothing but the JDK: {@link EarlyWorker} starts a worker with it before any OSGi framework
 * exists, in the launcher's class loader, and hands it over as a map of JDK objects.
 */
record LaunchedWorker(Process process, ServerSocket server, String token, Path area, Path sharedFolder,
        Deque<String> lines, Properties planned, Runnable afterEnd) {

    static final String PROP_PORT = "tensorscope.worker.port";
    static final String PROP_TOKEN = "tensorscope.worker.token";
    /** The shared-memory folder holding the two {@link SharedArea}s, when there is one. */
    static final String PROP_SHARED = "tensorscope.worker.shared";
    /** In the planned configuration only: the OSGi framework's jar, which the worker's JVM starts. */
    static final String PROP_FRAMEWORK = "tensorscope.worker.framework";
    static final String REQUESTS_AREA = "requests";
    static final String REPLIES_AREA = "replies";

    /** JVM options of this process that the worker takes over (so a command line's worker also compiles as it does). */
    private static final List<String> INHERITED_OPTIONS = List.of("-Xmx", "-Xms", "-Xss", "-XX:TieredStopAtLevel", "--sun-misc-unsafe-memory-access",
            "--add-opens", "--enable-native-access", "-Dtensorscope.", "-Dorg.bytedeco.", "-Djava.io.tmpdir");

    /** Options among those that concern this process only. */
    private static final List<String> NOT_INHERITED = List.of("-D" + WorkerMode.PROPERTY + "=", "-D" + EarlyWorker.PROP_PLAN + "=",
            "-D" + WorkerAotCache.PROP_FOLDER + "=");

    /**
     * Starts a worker JVM with the planned configuration.
     *
     * @param shared whether large tensors may go through shared memory (when this machine has it)
     */
    static LaunchedWorker start(Properties planned, boolean shared) throws IOException {
        Path area = WorkerAreas.create(Path.of(System.getProperty("java.io.tmpdir")));
        Path sharedFolder = shared ? SharedArea.createFolder().orElse(null) : null;
        ServerSocket server = null;
        try {
            if (sharedFolder != null) {
                try {
                    Files.createFile(sharedFolder.resolve(REQUESTS_AREA));
                    Files.createFile(sharedFolder.resolve(REPLIES_AREA));
                } catch (IOException e) {
                    WorkerAreas.delete(sharedFolder); // tensors go through the socket
                    sharedFolder = null;
                }
            }
            server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
            List<String> java = java(planned);
            WorkerAotCache aot = WorkerAotCache.forWorker(java, planned);
            List<String> command = new ArrayList<>(java);
            if (aot != null) {
                command.addAll(command.indexOf("-cp"), aot.options());
            }
            command.addAll(configuration(planned, area, sharedFolder, server.getLocalPort(), token));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            Deque<String> lines = new ArrayDeque<>();
            Thread console = new Thread(() -> passOn(process, lines), "Tensorscope worker console");
            console.setDaemon(true);
            console.start();
            Runnable afterEnd = aot != null && aot.recording() ? () -> aot.assembleAfter(process, java) : null;
            return new LaunchedWorker(process, server, token, area, sharedFolder, lines, planned, afterEnd);
        } catch (IOException | RuntimeException e) {
            close(server);
            WorkerAreas.delete(area);
            if (sharedFolder != null) {
                WorkerAreas.delete(sharedFolder);
            }
            throw e;
        }
    }

    /** The Java, its options, class path and main class that start a worker with the plan: the same for every worker. */
    private static List<String> java(Properties planned) throws IOException {
        String framework = planned.getProperty(PROP_FRAMEWORK);
        if (framework == null) {
            throw new IOException("the worker's plan names no OSGi framework");
        }
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(inheritedOptions());
        command.add("-Djava.awt.headless=true");
        // a crash in native code writes its report here, not into the folder the user started Tensorscope in
        command.add("-XX:ErrorFile=" + Path.of(System.getProperty("java.io.tmpdir"), "tensorscope-worker-crash-%p.log"));
        // the Equinox launcher jar grants this to the main JVM in its manifest; JavaCPP needs it for TensorFlow
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(WorkerAotCache.framework(Path.of(framework)).toString());
        command.add("org.eclipse.core.runtime.adaptor.EclipseStarter");
        return command;
    }

    /** Writes the worker framework's configuration into {@code area} and returns the arguments that name it. */
    private static List<String> configuration(Properties planned, Path area, Path sharedFolder, int port, String token)
            throws IOException {
        Properties config = new Properties();
        config.putAll(planned);
        config.remove(PROP_FRAMEWORK);
        config.setProperty(PROP_PORT, Integer.toString(port));
        config.setProperty(PROP_TOKEN, token);
        if (sharedFolder != null) {
            config.setProperty(PROP_SHARED, sharedFolder.toString());
        }
        Path configuration = Files.createDirectories(area.resolve("configuration"));
        try (OutputStream out = Files.newOutputStream(configuration.resolve("config.ini"))) {
            config.store(out, "Tensorscope inference worker");
        }
        return List.of("-configuration", configuration.toUri().toString());
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static List<String> inheritedOptions() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(option -> INHERITED_OPTIONS.stream().anyMatch(option::startsWith))
                .filter(option -> NOT_INHERITED.stream().noneMatch(option::startsWith))
                .toList();
    }

    /** Passes the worker's console output on to ours, keeping its last lines to explain a crash. */
    private static void passOn(Process process, Deque<String> lines) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            WorkerConsole.passOn(reader, System.err, lines);
        } catch (IOException e) {
            // the worker is gone
        }
    }

    /** Stops the worker and deletes what it was given; for a worker nobody will use. */
    void discard() {
        process.destroyForcibly();
        close(server);
        try {
            process.waitFor(5, TimeUnit.SECONDS); // it may still write into its folder until it has ended
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        WorkerAreas.delete(area);
        if (sharedFolder != null) {
            WorkerAreas.delete(sharedFolder);
        }
    }

    private static void close(ServerSocket server) {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                // nothing connects to it any more
            }
        }
    }

    /** This worker as JDK objects only, to cross from one class loader's copy of this class to another's. */
    Map<String, Object> toMap() {
        Map<String, Object> map = new HashMap<>();
        map.put("process", process);
        map.put("server", server);
        map.put("token", token);
        map.put("area", area);
        map.put("sharedFolder", sharedFolder);
        map.put("lines", lines);
        map.put("planned", planned);
        map.put("afterEnd", afterEnd);
        return map;
    }

    @SuppressWarnings("unchecked")
    static LaunchedWorker fromMap(Map<String, Object> map) {
        return new LaunchedWorker((Process) map.get("process"), (ServerSocket) map.get("server"),
                (String) map.get("token"), (Path) map.get("area"), (Path) map.get("sharedFolder"),
                (Deque<String>) map.get("lines"), (Properties) map.get("planned"), (Runnable) map.get("afterEnd"));
    }
}
