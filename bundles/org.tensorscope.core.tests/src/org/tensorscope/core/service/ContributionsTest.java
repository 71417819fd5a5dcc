package org.tensorscope.core.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Hashtable;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.core.runtime.IProgressMonitor;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceRegistration;
import org.tensorscope.core.Tensorscope;

/**
 * The workbench makes its contributions before its window shows: making them must not activate
 * every loader's component, only the first call that needs the loaders does.
 */
class ContributionsTest {

    @Test
    void aLoaderIsActivatedByTheFirstCallThatNeedsItNotByMakingTheContributions() {
        BundleContext context = FrameworkUtil.getBundle(Contributions.class).getBundleContext();
        AtomicInteger activations = new AtomicInteger();
        ModelLoader loader = new ModelLoader() {
            @Override
            public String format() {
                return "Lazy test format";
            }

            @Override
            public boolean canLoad(Path path) {
                return false;
            }

            @Override
            public LoadedModel load(Path path, IProgressMonitor monitor) throws ModelLoadException {
                throw new ModelLoadException(path, "a test loader loads nothing");
            }
        };
        ServiceFactory<ModelLoader> factory = new ServiceFactory<>() {
            @Override
            public ModelLoader getService(Bundle bundle, ServiceRegistration<ModelLoader> registration) {
                activations.incrementAndGet();
                return loader;
            }

            @Override
            public void ungetService(Bundle bundle, ServiceRegistration<ModelLoader> registration, ModelLoader service) {
            }
        };
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Tensorscope.PROP_FILE_PATTERNS, new String[] { "*.lazytest" });
        ServiceRegistration<?> registration = context.registerService(ModelLoader.class.getName(), factory, properties);
        try (Contributions contributions = new Contributions(context, false)) {
            assertEquals(0, activations.get(), "making the contributions activated the loader");
            assertTrue(contributions.filePatterns().contains("*.lazytest"), contributions.filePatterns().toString());
            assertEquals(0, activations.get(), "listing the file patterns activated the loader");

            assertTrue(contributions.loaders().contains(loader), contributions.loaders().toString());
            assertEquals(1, activations.get());
            contributions.loaders();
            assertEquals(1, activations.get(), "the loader is kept once got");
        } finally {
            registration.unregister();
        }
    }
}
