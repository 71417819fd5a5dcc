package org.tensorscope.core.internal.worker;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.osgi.framework.BundleContext;
import org.tensorscope.core.service.InferenceBackend;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.service.ModelLoadException;

/**
 * Tensorscope's side of the inference worker: starts it on first use and again after it ended,
 * sends one request at a time, and keeps the caller's monitor in charge: progress is shown, and
 * a cancel that the worker does not honour within {@value #CANCEL_GRACE_MILLIS} ms kills it.
 */
public final class Worker implements AutoCloseable {

    static final long CANCEL_GRACE_MILLIS = 1_500;
    private static final long POLL_MILLIS = 50;

    private final BundleContext context;
    private final Supplier<WorkerPlan> plan;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile WorkerProcess process;
    private volatile int generation;
    private boolean closed;

    public Worker(BundleContext context, Supplier<WorkerPlan> plan) {
        this.context = context;
        this.plan = plan;
    }

    /**
     * Starts the worker in the background, so that its start-up overlaps with what the caller does
     * before its first request.
     */
    public void prestart() {
        Thread starter = new Thread(() -> {
            try {
                ensureStarted(null);
            } catch (WorkerFailure | RuntimeException e) {
                // the first request starts it again and reports why it cannot
            }
        }, "Tensorscope worker start");
        starter.setDaemon(true);
        starter.start();
    }

    /** Loads a model in the worker. */
    public LoadedModel load(Path path, IProgressMonitor monitor) throws ModelLoadException {
        return RemoteModel.load(this, path, monitor);
    }

    /** The backends installed in the worker; empty when it cannot start (the reason is then logged). */
    public List<InferenceBackend> backends() {
        try {
            List<String> ids = call(ensureStarted(null), Frame.BACKENDS, out -> { }, Wire::readStrings, null,
                    "listing backends");
            return ids.stream().<InferenceBackend>map(id -> new RemoteBackend(this, id)).toList();
        } catch (WorkerFailure e) {
            System.err.println("tensorscope: " + e.getMessage());
            return List.of();
        }
    }

    /** The worker's backend for a model it loaded, if this is one. */
    public Optional<InferenceBackend> backendFor(LoadedModel model) {
        return model instanceof RemoteModel remote ? Optional.of(new RemoteBackend(this, remote.backendId()))
                : Optional.empty();
    }

    /** The generation of the running worker, starting one if none runs; handles from older ones are stale. */
    int ensureStarted(IProgressMonitor monitor) throws WorkerFailure {
        acquire(monitor);
        try {
            return running(monitor).generation;
        } finally {
            lock.unlock();
        }
    }

    private Worker running(IProgressMonitor monitor) throws WorkerFailure {
        if (closed) {
            throw new WorkerFailure(WorkerError.ENDED, "Tensorscope is shutting down", null);
        }
        if (process == null || !process.isAlive()) {
            if (process != null) {
                process.close();
                process = null;
            }
            try {
                process = WorkerProcess.start(context, plan.get(), monitor);
                generation++;
            } catch (IOException e) {
                throw new WorkerFailure(WorkerError.ENDED, e.getMessage(), null);
            }
        }
        return this;
    }

    int generation() {
        return generation;
    }

    /**
     * Whether the worker of that generation still runs. Handles of a worker that ended need no
     * closing, and closing them must not start a new worker (which would delay a cancel or a
     * failed run by a worker's start).
     */
    boolean isRunning(int generation) {
        WorkerProcess current = process;
        return generation == this.generation && current != null && current.isAlive();
    }

    /**
     * Sends a request and waits for its reply. The request is written only once this caller has
     * the worker to itself, as its tensors go into the area the previous reply was read from.
     *
     * @param generation the generation the request's handles belong to
     * @param action     what the request does, for messages ("tracing model.json")
     */
    <T> T call(int generation, int type, Frame.Body request, Frame.Reply<T> reply, IProgressMonitor monitor,
            String action) throws WorkerFailure {
        acquire(monitor);
        try {
            running(monitor);
            if (generation != this.generation) {
                throw new WorkerFailure(WorkerError.ENDED, "the worker restarted", null);
            }
            return exchange(type, request, reply, SubMonitor.convert(monitor, 1000), action);
        } finally {
            lock.unlock();
        }
    }

    private void acquire(IProgressMonitor monitor) {
        try {
            while (!lock.tryLock(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (monitor != null && monitor.isCanceled()) {
                    throw new OperationCanceledException();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationCanceledException();
        }
    }

    private <T> T exchange(int type, Frame.Body request, Frame.Reply<T> reply, SubMonitor monitor, String action)
            throws WorkerFailure {
        WorkerProcess worker = process;
        try {
            worker.send(Frame.of(type, worker.requestArea(), request));
            long cancelledAt = 0;
            int reported = 0;
            while (true) {
                if (Thread.currentThread().isInterrupted()) {
                    worker.kill();
                    throw new OperationCanceledException();
                }
                Frame frame = worker.next(POLL_MILLIS);
                if (frame == null) {
                    if (monitor.isCanceled() && cancelledAt == 0) {
                        cancelledAt = System.currentTimeMillis();
                        worker.send(new Frame(Frame.CANCEL, new byte[0]));
                    } else if (cancelledAt != 0 && System.currentTimeMillis() - cancelledAt > CANCEL_GRACE_MILLIS) {
                        worker.kill(); // a single TensorFlow run cannot be interrupted any other way
                        throw new OperationCanceledException();
                    }
                    continue;
                }
                switch (frame.type()) {
                    case Frame.PROGRESS -> {
                        var in = frame.reader();
                        String task = Wire.readString(in);
                        int done = (int) Math.round(in.readDouble() * 1000);
                        if (!task.isEmpty()) {
                            monitor.subTask(task);
                        }
                        if (done > reported) {
                            monitor.worked(done - reported);
                            reported = done;
                        }
                    }
                    case Frame.OK -> {
                        return reply.read(frame.reader());
                    }
                    case Frame.ERROR -> throw failure(frame);
                    default -> throw ended(worker, action);
                }
            }
        } catch (IOException e) {
            throw ended(worker, action);
        }
    }

    private static WorkerFailure ended(WorkerProcess worker, String action) {
        return new WorkerFailure(WorkerError.ENDED, "the inference worker stopped while " + action + ": "
                + worker.endText() + "; the next run starts a new worker", null);
    }

    private static WorkerFailure failure(Frame frame) throws IOException {
        var in = frame.reader();
        WorkerError kind = WorkerError.values()[in.readInt()];
        String message = Wire.readString(in);
        String file = Wire.readString(in);
        if (kind == WorkerError.CANCELED) {
            throw new OperationCanceledException();
        }
        return new WorkerFailure(kind, message, file.isEmpty() ? null : Path.of(file));
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            if (process != null) {
                process.close();
                process = null;
            }
            LaunchedWorker early = EarlyWorker.takeLaunched();
            if (early != null) {
                early.discard(); // started before the framework for a command that needed no model
            }
        } finally {
            lock.unlock();
        }
    }
}
