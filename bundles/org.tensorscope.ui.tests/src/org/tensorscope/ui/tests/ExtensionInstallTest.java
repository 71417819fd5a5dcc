package org.tensorscope.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.IWorkbenchPage;
import org.eclipse.ui.PartInitException;
import org.eclipse.ui.PlatformUI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.tensorscope.ui.internal.extension.ExtensionInstallException;
import org.tensorscope.ui.internal.extension.ExtensionInstaller;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.service.InstalledContribution;
import org.tensorscope.ui.TensorscopeViews;
import org.tensorscope.ui.internal.session.DebugSession;
import org.tensorscope.ui.internal.session.SteppingFocus;
import org.tensorscope.ui.internal.session.Demo;
import org.tensorscope.ui.internal.session.UiContributions;
import org.tensorscope.ui.internal.views.ShownInViews;
import org.tensorscope.ui.internal.views.TensorInspectorView;

/** Extensions installed into the running workbench appear and disappear without a restart. */
class ExtensionInstallTest {

    private static final String SPARSITY_BUNDLE = "org.tensorscope.examples.sparsity";

    private final BundleContext context = FrameworkUtil.getBundle(ExtensionInstallTest.class).getBundleContext();
    private final ExtensionInstaller installer = new ExtensionInstaller(context);

    /** The example's jar as the build made it; the root pom builds the example before this fragment. */
    private static Path sparsityJar() {
        String jar = System.getProperty("tensorscope.exampleJar");
        assertTrue(jar != null && Files.isRegularFile(Path.of(jar)),
                "the example bundle's jar is missing (build examples/" + SPARSITY_BUNDLE + " first): " + jar);
        return Path.of(jar);
    }

    @Test
    void sparsityTabAppearsWhenTheExampleIsInstalledAndGoesWhenUninstalled() throws Exception {
        Display display = Display.getCurrent();
        // the Inspector has its tabs once it shows a tensor
        DebugSession session = TestServices.get(DebugSession.class);
        session.closeModel();
        Demo.open(session);
        TensorInspectorView view = showTensorInspector();
        assertTrue(UiWait.until(display, () -> !view.isShowingEmptyState(), 120_000), view.getEmptyStateText());
        assertEquals("Values", ShownInViews.tabTitles(view).get(0));
        assertFalse(ShownInViews.tabTitles(view).contains("Sparsity"), ShownInViews.tabTitles(view).toString());

        Bundle bundle = installer.install(sparsityJar());
        try {
            assertEquals(SPARSITY_BUNDLE, bundle.getSymbolicName());
            assertEquals(Bundle.ACTIVE, bundle.getState());
            assertTrue(UiWait.until(display, () -> ShownInViews.tabTitles(view).contains("Sparsity"), 30_000),
                    "no Sparsity tab after installing: " + ShownInViews.tabTitles(view));
            assertTrue(TestServices.get(UiContributions.class).contributions().installed().contains(new InstalledContribution(
                    InstalledContribution.Kind.INSPECTOR, "Sparsity", SPARSITY_BUNDLE, bundle.getVersion().toString())),
                    TestServices.get(UiContributions.class).contributions().installed().toString());
        } finally {
            installer.uninstall(bundle);
        }
        assertEquals(Bundle.UNINSTALLED, bundle.getState());
        assertTrue(UiWait.until(display, () -> !ShownInViews.tabTitles(view).contains("Sparsity"), 30_000),
                "the Sparsity tab stayed after uninstalling: " + ShownInViews.tabTitles(view));
        assertEquals(List.of("Values", "Image"), ShownInViews.tabTitles(view));
        assertTrue(TestServices.get(UiContributions.class).contributions().installed().stream().noneMatch(c -> c.bundleSymbolicName().equals(SPARSITY_BUNDLE)));
        assertFalse(installedSymbolicNames().contains(SPARSITY_BUNDLE));
        session.closeModel();
    }

    @Test
    void sparsityTabShowsTheZeroFractionOfEachChannelOfTheFocusedTensor() throws Exception {
        Display display = Display.getCurrent();
        DebugSession session = TestServices.get(DebugSession.class);
        session.closeModel();
        Object before = session.outcome().orElse(null);
        Demo.open(TestServices.get(DebugSession.class));
        Bundle bundle = null;
        try {
            assertTrue(UiWait.until(display, () -> session.outcome().orElse(null) != before
                && session.outcome().isPresent(), 120_000), "the demo's trace did not finish");
            TensorInspectorView view = showTensorInspector();
            String op = TestServices.get(SteppingFocus.class).focusOp().orElseThrow();
            TensorSpec output = session.graph().flatMap(g -> g.op(op)).orElseThrow().outputs().get(0);
            bundle = installer.install(sparsityJar());
            assertTrue(UiWait.until(display, () -> ShownInViews.inspectionText(view, "Sparsity").size() > 1, 60_000),
                    "Sparsity shows no table: " + ShownInViews.inspectionText(view, "Sparsity"));
            List<String> shown = ShownInViews.inspectionText(view, "Sparsity");
            long channels = output.shape().dim(output.shape().rank() - 1);
            assertEquals("Zeros per channel of " + output.name(), shown.get(0));
            assertEquals(channels, shown.size() - 1, shown.toString());
            assertTrue(shown.get(1).matches("0 \\| \\d+ \\| \\d+ \\| \\d+\\.\\d %"), shown.get(1));
        } finally {
            if (bundle != null) {
                installer.uninstall(bundle);
            }
            session.closeModel();
        }
    }

    @Test
    void aJarImportingAMissingPackageIsRefusedNamingThePackageAndLeavesNothingBehind(@TempDir Path folder)
            throws IOException {
        Path jar = folder.resolve("needs-foo.jar");
        writeBundleJar(jar, "org.tensorscope.tests.needsfoo", "com.example.foo;version=\"[1.0,2.0)\"");
        List<String> before = installedSymbolicNames();

        ExtensionInstallException e = assertThrows(ExtensionInstallException.class, () -> installer.install(jar));

        assertEquals("Missing: package com.example.foo [1.0.0,2.0.0)", e.problem());
        assertTrue(e.getMessage().startsWith("needs-foo.jar: "), e.getMessage());
        assertEquals(before, installedSymbolicNames());
    }

    @Test
    void aFileThatIsNotABundleIsRefused(@TempDir Path folder) throws IOException {
        Path jar = folder.resolve("plain.jar");
        writeBundleJar(jar, null, null);
        List<String> before = installedSymbolicNames();

        ExtensionInstallException e = assertThrows(ExtensionInstallException.class, () -> installer.install(jar));

        assertTrue(e.problem().startsWith("not an OSGi bundle"), e.problem());
        assertEquals(before, installedSymbolicNames());
    }

    private static TensorInspectorView showTensorInspector() throws PartInitException {
        IWorkbenchPage page = PlatformUI.getWorkbench().getActiveWorkbenchWindow().getActivePage();
        return (TensorInspectorView) page.showView(TensorscopeViews.TENSOR_INSPECTOR);
    }

    private List<String> installedSymbolicNames() {
        return Arrays.stream(context.getBundles()).map(b -> b.getSymbolicName() + " " + b.getVersion()).sorted().toList();
    }

    /** A jar holding only a manifest; without a symbolic name it is a plain jar, not a bundle. */
    private static void writeBundleJar(Path jar, String symbolicName, String importPackage) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (symbolicName != null) {
            main.putValue("Bundle-ManifestVersion", "2");
            main.putValue("Bundle-SymbolicName", symbolicName);
            main.putValue("Bundle-Version", "1.0.0");
            main.putValue("Import-Package", importPackage);
        }
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream stream = new JarOutputStream(out, manifest)) {
            stream.flush();
        }
    }
}
