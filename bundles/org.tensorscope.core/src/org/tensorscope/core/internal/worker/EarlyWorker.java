package org.tensorscope.core.internal.worker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Starts the inference worker at the same time as Tensorscope's own framework instead of after it:
 * the launch script makes this the main class of a command line that opens a model, naming in
 * {@code -Dtensorscope.worker.plan} the file where the command line keeps the worker's last plan
 * (the bundles it starts, see {@link WorkerLaunch#planned}). It starts a worker with that plan,
 * then runs the Equinox launcher. When the command line wants its worker, it adopts this one if its
 * own plan is the same, else stops it and starts one of its own (and saves the new plan for next
 * time). A worker not adopted by the time this JVM exits is stopped; one whose Tensorscope is gone
 * exits by itself, as it cannot connect or loses its connection.
 * <p>
 * Uses nothing but the JDK: this class runs in the launcher's class loader, before any framework;
 * the framework's copy of it (in this bundle's class loader) reaches that one by reflection.
 */
public final class EarlyWorker {

    /** The file holding the worker's plan, set by the launch script. */
    public static final String PROP_PLAN = "tensorscope.worker.plan";

    private static final String LAUNCHER = "org.eclipse.equinox.launcher.Main";

    private static final AtomicReference<LaunchedWorker> LAUNCHED = new AtomicReference<>();

    private EarlyWorker() {
    }

    public static void main(String[] args) throws Throwable {
        launch();
        try {
            Class.forName(LAUNCHER).getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Starts a worker with the saved plan, if there is one; on any problem the command line starts its own later. */
    static void launch() {
        String file = System.getProperty(PROP_PLAN);
        if (file == null) {
            return;
        }
        Properties planned = load(Path.of(file));
        if (planned.isEmpty()) {
            return;
        }
        try {
            LAUNCHED.set(LaunchedWorker.start(planned, true));
            Thread stop = new Thread(EarlyWorker::discard, "Tensorscope early worker stop");
            Runtime.getRuntime().addShutdownHook(stop);
        } catch (IOException | RuntimeException e) {
            // the command line starts its worker itself
        }
    }

    /** The worker this class started and nobody took yet, as JDK objects; called by reflection. */
    public static Map<String, Object> take() {
        LaunchedWorker launched = LAUNCHED.getAndSet(null);
        return launched == null ? null : launched.toMap();
    }

    private static void discard() {
        LaunchedWorker launched = LAUNCHED.getAndSet(null);
        if (launched != null) {
            launched.discard();
        }
    }

    /**
     * The worker started before the framework, taken from the launcher's copy of this class; null
     * when there is none (not started that way, already taken, or it could not start).
     */
    @SuppressWarnings("unchecked")
    static LaunchedWorker takeLaunched() {
        try {
            Class<?> launcher = ClassLoader.getSystemClassLoader().loadClass(EarlyWorker.class.getName());
            Object taken = launcher == EarlyWorker.class ? take() : launcher.getMethod("take").invoke(null);
            return taken == null ? null : LaunchedWorker.fromMap((Map<String, Object>) taken);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null; // not on the launcher's class path: nothing was started early
        }
    }

    /** Keeps the plan for the next command line's early start, if the launch script asked for it and it changed. */
    static void save(Properties planned) {
        String file = System.getProperty(PROP_PLAN);
        if (file == null || planned.equals(load(Path.of(file)))) {
            return;
        }
        Path target = Path.of(file).toAbsolutePath();
        Path temporary = null;
        try {
            temporary = Files.createTempFile(target.getParent(), "worker", ".tmp");
            try (OutputStream out = Files.newOutputStream(temporary)) {
                planned.store(out, "The inference worker's plan, kept by the command line to start the next worker early");
            }
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            // the next command line starts its worker after its framework, as without a plan
            try {
                if (temporary != null) {
                    Files.deleteIfExists(temporary);
                }
            } catch (IOException ignored) {
                // a stray temporary file in the command line's configuration is harmless
            }
        }
    }

    private static Properties load(Path file) {
        Properties planned = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            planned.load(in);
        } catch (IOException | IllegalArgumentException e) {
            planned.clear(); // no plan yet, or a damaged one
        }
        return planned;
    }
}
