package org.tensorscope.ui.internal.session;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The session services this bundle registers (its DS components), for the code of this bundle that
 * is not yet handed them by injection or by its view site. One tracker per service type, opened on
 * first use and kept for the bundle's life.
 */
final class SessionServices {

    private static final Map<Class<?>, ServiceTracker<?, ?>> TRACKERS = new ConcurrentHashMap<>();

    private SessionServices() {
    }

    /** The component registered as {@code service}, as its implementation class. */
    static <T> T get(Class<?> service, Class<T> implementation) {
        ServiceTracker<?, ?> tracker = TRACKERS.computeIfAbsent(service, type -> {
            BundleContext context = FrameworkUtil.getBundle(SessionServices.class).getBundleContext();
            if (context == null) {
                throw new IllegalStateException("org.tensorscope.ui is not started");
            }
            ServiceTracker<?, ?> opened = new ServiceTracker<>(context, type.getName(), null);
            opened.open();
            return opened;
        });
        Object found = tracker.getService();
        if (found == null) {
            throw new IllegalStateException(service.getName() + " is not registered: is the OSGi component runtime (SCR) started?");
        }
        return implementation.cast(found);
    }
}
