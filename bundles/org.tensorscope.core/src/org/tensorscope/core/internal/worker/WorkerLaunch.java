package org.tensorscope.core.internal.worker;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
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
 * What an inference worker starts: a second OSGi framework with the loaders' and backends' bundles
 * of this one and what they are wired to (so installed extensions come along, the workbench's UI
 * does not); {@link LaunchedWorker} starts it in a JVM of the same Java with the same memory settings.
 */
final class WorkerLaunch {

    static final String PROP_LOADERS = "tensorscope.worker.loaders";
    static final String PROP_BACKENDS = "tensorscope.worker.backends";

    private WorkerLaunch() {
    }

    /**
     * The worker framework's configuration for a plan, without the connection back to this one, and
     * the framework's jar ({@link LaunchedWorker#PROP_FRAMEWORK}): what {@link LaunchedWorker}
     * starts a worker with.
     */
    static Properties planned(BundleContext context, WorkerPlan plan) throws IOException {
        Properties config = new Properties();
        config.setProperty("osgi.bundles", bundles(context, plan.bundles()));
        config.setProperty("osgi.bundles.defaultStartLevel", "4");
        config.setProperty("eclipse.ignoreApp", "true");
        config.setProperty("osgi.noShutdown", "true");
        config.setProperty("osgi.clean", "true");
        config.setProperty("osgi.framework.activeThreadType", "normal");
        config.setProperty("osgi.compatibility.bootdelegation", "true");
        config.setProperty(PROP_LOADERS, Integer.toString(plan.loaders()));
        config.setProperty(PROP_BACKENDS, Integer.toString(plan.backends()));
        config.setProperty(LaunchedWorker.PROP_FRAMEWORK, frameworkJar().toString());
        return config;
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
}
