package org.tensorscope.ui.internal.extension;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Namespace;
import org.osgi.resource.Requirement;

/**
 * Installs one extension bundle jar into the running framework, resolves and starts it, so its
 * services appear at once; uninstalls it again. An install that fails leaves the framework as it
 * was and says why, naming the missing requirements. The bundle lasts until the application
 * restarts; installing through p2 (Help > Install New Software) is what makes it permanent.
 */
public final class ExtensionInstaller {

    private static final long REFRESH_WAIT_SECONDS = 30;

    private final BundleContext context;
    private final FrameworkWiring wiring;

    public ExtensionInstaller(BundleContext context) {
        this.context = context;
        this.wiring = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
    }

    /** Installs, resolves and starts the bundle in the jar. */
    public Bundle install(Path jar) throws ExtensionInstallException {
        if (!Files.isRegularFile(jar)) {
            throw new ExtensionInstallException(jar, "no such file");
        }
        String location = jar.toAbsolutePath().toUri().toString();
        if (context.getBundle(location) != null) {
            throw new ExtensionInstallException(jar, "this jar is already installed");
        }
        requireBundleManifest(jar);
        Bundle bundle;
        try (InputStream in = Files.newInputStream(jar)) {
            bundle = context.installBundle(location, in);
        } catch (IOException e) {
            throw new ExtensionInstallException(jar, "cannot read it: " + e.getMessage(), e);
        } catch (BundleException e) {
            throw new ExtensionInstallException(jar, notInstallable(e), e);
        }
        if (!wiring.resolveBundles(List.of(bundle))) {
            String missing = missingRequirements(bundle);
            uninstall(bundle);
            throw new ExtensionInstallException(jar, missing);
        }
        try {
            bundle.start();
        } catch (BundleException e) {
            uninstall(bundle);
            throw new ExtensionInstallException(jar, "it does not start: " + e.getMessage(), e);
        }
        return bundle;
    }

    /** Uninstalls the bundle and waits until no other bundle is wired to it any more. */
    public void uninstall(Bundle bundle) throws ExtensionInstallException {
        try {
            bundle.uninstall();
        } catch (BundleException e) {
            throw new ExtensionInstallException(Path.of(bundle.getLocation()), "cannot uninstall: " + e.getMessage(), e);
        }
        CountDownLatch refreshed = new CountDownLatch(1);
        wiring.refreshBundles(List.of(bundle), event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                refreshed.countDown();
            }
        });
        try {
            refreshed.await(REFRESH_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Without a symbolic name the framework would take any jar as an old-style bundle. */
    private static void requireBundleManifest(Path jar) throws ExtensionInstallException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            if (manifest == null || manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME) == null) {
                throw new ExtensionInstallException(jar, "not an OSGi bundle: its manifest has no Bundle-SymbolicName");
            }
        } catch (IOException e) {
            throw new ExtensionInstallException(jar, "not a jar: " + e.getMessage(), e);
        }
    }

    private static String notInstallable(BundleException e) {
        return switch (e.getType()) {
            case BundleException.DUPLICATE_BUNDLE_ERROR -> "a bundle of the same name and version is already installed";
            case BundleException.MANIFEST_ERROR -> "not an OSGi bundle: " + e.getMessage();
            default -> e.getMessage();
        };
    }

    /** "Missing: package com.example.foo [1.0.0,2.0.0)", one line per requirement nothing provides. */
    private String missingRequirements(Bundle bundle) {
        List<Requirement> requirements = bundle.adapt(BundleRevision.class).getRequirements(null);
        String missing = requirements.stream()
                .filter(r -> !Namespace.RESOLUTION_OPTIONAL.equals(r.getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE)))
                .filter(r -> wiring.findProviders(r).isEmpty())
                .map(r -> "Missing: " + RequirementText.of(r))
                .collect(Collectors.joining("\n"));
        if (!missing.isEmpty()) {
            return missing;
        }
        // Everything is there but does not fit together (uses constraints, singletons): the
        // framework's own resolution report says how.
        try {
            bundle.start();
            return "it does not resolve";
        } catch (BundleException e) {
            return "it does not resolve: " + e.getMessage();
        }
    }
}
