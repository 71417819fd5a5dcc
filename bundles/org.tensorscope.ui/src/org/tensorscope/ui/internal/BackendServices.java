package org.tensorscope.ui.internal;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.tensorscope.core.service.InferenceBackend;

/**
 * The inference backends currently installed. Tracked, so a backend installed or removed at
 * runtime shows up on the next call. Call it from a job: the first call may wait for start-up.
 */
public final class BackendServices {

    private static final long START_UP_WAIT_MILLIS = 20_000;

    private static ServiceTracker<InferenceBackend, InferenceBackend> tracker;

    private BackendServices() {
    }

    public static synchronized List<InferenceBackend> backends() {
        if (tracker == null) {
            BundleContext context = FrameworkUtil.getBundle(BackendServices.class).getBundleContext();
            tracker = new ServiceTracker<>(context, InferenceBackend.class, null);
            tracker.open();
        }
        try {
            tracker.waitForService(START_UP_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Arrays.stream(tracker.getServices(new InferenceBackend[0]))
                .sorted(Comparator.comparing(InferenceBackend::id)).toList();
    }
}
