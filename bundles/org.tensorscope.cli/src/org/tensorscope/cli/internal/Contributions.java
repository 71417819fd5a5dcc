package org.tensorscope.cli.internal;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;
import org.tensorscope.core.service.InferenceBackend;

/**
 * The contributed services the commands use, tracked while the command runs.
 */
public final class Contributions implements AutoCloseable {

    /** How long to wait for Declarative Services to register the first backend at start-up. */
    private static final long START_UP_WAIT_MILLIS = 30_000;

    private final ServiceTracker<InferenceBackend, InferenceBackend> backends;

    public Contributions(BundleContext context) {
        backends = new ServiceTracker<>(context, InferenceBackend.class, null);
        backends.open();
    }

    /** Every backend installed, sorted by id; waits for the first one to register. */
    public List<InferenceBackend> backends() {
        try {
            backends.waitForService(START_UP_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        InferenceBackend[] all = backends.getServices(new InferenceBackend[0]);
        return Arrays.stream(all).sorted(Comparator.comparing(InferenceBackend::id)).toList();
    }

    @Override
    public void close() {
        backends.close();
    }
}
