package org.tensorscope.core.internal.worker;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.util.tracker.ServiceTracker;
import org.tensorscope.core.service.Contributions;
import org.tensorscope.core.service.InferenceBackend;
import org.tensorscope.core.service.ModelLoader;

/**
 * Serves Tensorscope when this framework was started as its inference worker (the configuration
 * names a port to connect back to); does nothing otherwise. The worker exits when Tensorscope
 * closes the connection or goes away.
 */
@Component(immediate = true)
public final class WorkerServerStarter {

    private static final long SERVICES_WAIT_MILLIS = 30_000;

    @Activate
    void activate(BundleContext context) {
        String port = context.getProperty(LaunchedWorker.PROP_PORT);
        String token = context.getProperty(LaunchedWorker.PROP_TOKEN);
        if (port == null || token == null) {
            return;
        }
        Thread server = new Thread(() -> serve(context, Integer.parseInt(port), token), "Tensorscope worker");
        server.start();
    }

    private static void serve(BundleContext context, int port, String token) {
        int code = 0;
        awaitServices(context, ModelLoader.class, context.getProperty(WorkerLaunch.PROP_LOADERS));
        awaitServices(context, InferenceBackend.class, context.getProperty(WorkerLaunch.PROP_BACKENDS));
        SharedArea requests = null;
        SharedArea replies = null;
        String shared = context.getProperty(LaunchedWorker.PROP_SHARED);
        if (shared != null) {
            try {
                requests = SharedArea.open(Path.of(shared, LaunchedWorker.REQUESTS_AREA));
                replies = SharedArea.open(Path.of(shared, LaunchedWorker.REPLIES_AREA));
            } catch (IOException | RuntimeException e) {
                requests = null; // tensors go through the socket
                replies = null;
            }
        }
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
                Contributions contributions = new Contributions(context)) {
            socket.setTcpNoDelay(true);
            new WorkerServer(contributions, requests, replies).serve(socket, token);
        } catch (IOException e) {
            System.err.println("tensorscope worker: " + e.getMessage());
            code = 1;
        }
        Runtime.getRuntime().halt(code);
    }

    /** Waits until as many services of a kind are registered as Tensorscope has, for at most 30 s. */
    private static void awaitServices(BundleContext context, Class<?> type, String expected) {
        int count = expected == null ? 0 : Integer.parseInt(expected);
        ServiceTracker<?, ?> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        try {
            long deadline = System.currentTimeMillis() + SERVICES_WAIT_MILLIS;
            while (tracker.size() < count && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            tracker.close();
        }
    }
}
