package org.tensorscope.core.internal.worker;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.StringJoiner;

import org.eclipse.core.runtime.FileLocator;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.namespace.HostNamespace;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

/**
 * The command that starts an inference worker: a second OSGi framework with the loaders' and
 * backends' bundles of this one and what they are wired to (so installed extensions come along,
 * the workbench's UI does not), in a JVM of the same Java with the same memory settings.
 */
final class WorkerLaunch {

    static final String PROP_PORT = "tensorscope.worker.port";
    static final String PROP_TOKEN = "tensorscope.worker.token";
    static final String PROP_LOADERS = "tensorscope.worker.loaders";
    static final String PROP_BACKENDS = "tensorscope.worker.backends";
    /** The shared-memory folder holding the two {@link SharedArea}s, when there is one. */
    static final String PROP_SHARED = "tensorscope.worker.shared";
    static final String REQUESTS_AREA = "requests";
    static final String REPLIES_AREA = "replies";

    /** JVM options of this process that the worker takes over. */
    private static final List<String> INHERITED_OPTIONS = List.of("-Xmx", "-Xms", "-Xss", "--sun-misc-unsafe-memory-access",
            "--add-opens", "--enable-native-access", "-Dtensorscope.", "-Dorg.bytedeco.", "-Djava.io.tmpdir");

    private WorkerLaunch() {
    }

    /**
     * Writes the worker framework's configuration into {@code area} and returns the command that
     * starts it.
     *
     * @param shared the folder of the shared areas, or null to send tensors through the socket
     */
    static List<String> prepare(BundleContext context, WorkerPlan plan, Path area, Path shared, int port, String token)
            throws IOException {
        Properties config = new Properties();
        config.setProperty("osgi.bundles", bundles(context, plan.bundles()));
        config.setProperty("osgi.bundles.defaultStartLevel", "4");
        config.setProperty("eclipse.ignoreApp", "true");
        config.setProperty("osgi.noShutdown", "true");
        config.setProperty("osgi.clean", "true");
        config.setProperty("osgi.framework.activeThreadType", "normal");
        config.setProperty("osgi.compatibility.bootdelegation", "true");
        config.setProperty(PROP_PORT, Integer.toString(port));
        config.setProperty(PROP_TOKEN, token);
        config.setProperty(PROP_LOADERS, Integer.toString(plan.loaders()));
        config.setProperty(PROP_BACKENDS, Integer.toString(plan.backends()));
        if (shared != null) {
            config.setProperty(PROP_SHARED, shared.toString());
        }
        Path configuration = Files.createDirectories(area.resolve("configuration"));
        try (OutputStream out = Files.newOutputStream(configuration.resolve("config.ini"))) {
            config.store(out, "Tensorscope inference worker");
        }
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(inheritedOptions());
        command.add("-Djava.awt.headless=true");
        // the Equinox launcher jar grants this to the main JVM in its manifest; JavaCPP needs it for TensorFlow
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(frameworkJar().toString());
        command.add("org.eclipse.core.runtime.adaptor.EclipseStarter");
        command.add("-configuration");
        command.add(configuration.toUri().toString());
        return command;
    }

    private static String bundles(BundleContext context, Set<String> started) {
        StringJoiner list = new StringJoiner(",");
        for (Bundle bundle : needed(context, started)) {
            String host = bundle.getHeaders("").get(Constants.FRAGMENT_HOST);
            if (host != null && (host.startsWith(Constants.SYSTEM_BUNDLE_SYMBOLICNAME) || host.startsWith("org.eclipse.osgi"))) {
                continue; // the framework and its extensions come with the framework jar
            }
            File file;
            try {
                file = FileLocator.getBundleFile(bundle);
            } catch (IOException e) {
                continue; // not on disk (e.g. installed from a stream): the worker does without it
            }
            String entry = "reference:" + file.toURI();
            if (host == null && started.contains(bundle.getSymbolicName())) {
                entry += "@start";
            }
            list.add(entry);
        }
        return list.toString();
    }

    /**
     * The started bundles and everything they are wired to here, with their fragments: what the
     * worker needs, and not the workbench's UI.
     */
    private static Set<Bundle> needed(BundleContext context, Set<String> started) {
        Set<Bundle> needed = new LinkedHashSet<>();
        Deque<Bundle> pending = new ArrayDeque<>();
        for (Bundle bundle : context.getBundles()) {
            if (started.contains(bundle.getSymbolicName())) {
                pending.add(bundle);
            }
        }
        while (!pending.isEmpty()) {
            Bundle bundle = pending.removeFirst();
            if (bundle.getBundleId() == 0 || !needed.add(bundle)) {
                continue;
            }
            BundleWiring wiring = bundle.adapt(BundleWiring.class);
            if (wiring == null) {
                continue;
            }
            for (BundleWire wire : wiring.getRequiredWires(null)) {
                pending.add(wire.getProviderWiring().getBundle());
            }
            for (BundleWire wire : wiring.getProvidedWires(HostNamespace.HOST_NAMESPACE)) {
                pending.add(wire.getRequirerWiring().getBundle());
            }
        }
        return needed;
    }

    private static Path frameworkJar() throws IOException {
        try {
            return Path.of(Bundle.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            throw new IOException("cannot find the OSGi framework's jar to start the inference worker", e);
        }
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static List<String> inheritedOptions() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(option -> INHERITED_OPTIONS.stream().anyMatch(option::startsWith))
                .filter(option -> !option.startsWith("-D" + WorkerMode.PROPERTY + "="))
                .toList();
    }
}
