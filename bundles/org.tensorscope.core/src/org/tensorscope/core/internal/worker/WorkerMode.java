package org.tensorscope.core.internal.worker;

import org.osgi.framework.BundleContext;

/**
 * Whether models load and run in a worker process ({@code -Dtensorscope.worker=process}, what the
 * launchers set) or in this JVM (the default, e.g. for tests of a backend).
 */
public final class WorkerMode {

    public static final String PROPERTY = "tensorscope.worker";

    private WorkerMode() {
    }

    public static boolean inProcess(BundleContext context) {
        return !"process".equals(context.getProperty(PROPERTY));
    }
}
