package org.tensorscope.core.internal.worker;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.core.runtime.OperationCanceledException;
import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.Contributions;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.FetchedValues;
import org.tensorscope.core.service.InferenceBackend;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;

/**
 * The worker side: serves one Tensorscope process over a socket with the installed loaders and
 * backends, one request at a time, and exits when the connection ends.
 */
final class WorkerServer {

    /** Exit code after running out of memory or stack, so the next request gets a fresh JVM. */
    static final int EXIT_EXHAUSTED = 3;

    private final Contributions contributions;
    private final Map<Long, LoadedModel> models = new ConcurrentHashMap<>();
    private final Map<Long, InferenceSession> sessions = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Semaphore reading = new Semaphore(1);
    private volatile boolean ended;
    private final AtomicReference<WorkerMonitor> current = new AtomicReference<>();
    private final SharedArea requests;
    private final SharedArea replies;
    private DataOutputStream out;

    /**
     * @param requests the area requests' large tensors come in, or null
     * @param replies  the area replies' large tensors go into, or null (both or neither)
     */
    WorkerServer(Contributions contributions, SharedArea requests, SharedArea replies) {
        this.contributions = contributions;
        this.requests = requests;
        this.replies = replies;
    }

    void serve(Socket socket, String token) throws IOException {
        out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
        DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
        out.write(token.getBytes(StandardCharsets.US_ASCII));
        out.write(replies != null ? 1 : 0);
        out.flush();
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "Tensorscope worker progress");
            thread.setDaemon(true);
            return thread;
        });
        progress.scheduleWithFixedDelay(() -> {
            WorkerMonitor monitor = current.get();
            if (monitor != null) {
                monitor.reportPending();
            }
        }, WorkerMonitor.REPORT_MILLIS, WorkerMonitor.REPORT_MILLIS, TimeUnit.MILLISECONDS);
        Thread second = new Thread(() -> takeTurns(in), "Tensorscope worker requests");
        second.setDaemon(true);
        second.start();
        takeTurns(in);
        progress.shutdownNow();
    }

    /**
     * Run by two threads: one reads the socket while the other answers the request it read, so a
     * request is answered by the thread that read it (nothing is handed over on its way) and a
     * cancel is still read while a request runs. Requests come one at a time; a cancel and the
     * next request's monitor are dealt with before the other thread may read on, so a cancel never
     * reaches the request after the one it was meant for.
     */
    private void takeTurns(DataInputStream in) {
        while (true) {
            Frame frame;
            WorkerMonitor monitor = null;
            reading.acquireUninterruptibly();
            try {
                if (ended) {
                    return;
                }
                frame = Frame.read(in, requests);
                if (frame.type() == Frame.CANCEL) {
                    WorkerMonitor running = current.get();
                    if (running != null) {
                        running.setCanceled(true);
                    }
                } else {
                    monitor = new WorkerMonitor(this::send);
                    current.set(monitor);
                }
            } catch (IOException e) {
                ended = true; // Tensorscope closed the connection or ended
                return;
            } finally {
                reading.release();
            }
            if (monitor != null) {
                answer(frame, monitor);
            }
        }
    }

    private void answer(Frame request, WorkerMonitor monitor) {
        try {
            Frame reply = handle(request, monitor);
            current.compareAndSet(monitor, null);
            send(reply);
        } catch (ModelLoadException e) {
            sendError(WorkerError.LOAD, e.problem(), e.file());
        } catch (BackendException e) {
            sendError(WorkerError.BACKEND, e.getMessage(), null);
        } catch (OperationCanceledException e) {
            sendError(WorkerError.CANCELED, "cancelled", null);
        } catch (IllegalArgumentException | IllegalStateException e) {
            sendError(WorkerError.ARGUMENT, e.getMessage(), null);
        } catch (OutOfMemoryError e) {
            sendError(WorkerError.RESOURCES, "out of memory (the worker's Java heap is "
                    + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB)", null);
            Runtime.getRuntime().halt(EXIT_EXHAUSTED);
        } catch (StackOverflowError e) {
            sendError(WorkerError.RESOURCES, "the model's graph is nested too deeply to process", null);
            Runtime.getRuntime().halt(EXIT_EXHAUSTED);
        } catch (IOException | RuntimeException e) {
            sendError(WorkerError.BACKEND, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), null);
        }
    }

    private Frame handle(Frame request, WorkerMonitor monitor)
            throws IOException, ModelLoadException, BackendException {
        DataInputStream in = request.reader();
        switch (request.type()) {
            case Frame.LOAD -> {
                LoadedModel model = contributions.open(Path.of(Wire.readString(in)), monitor);
                long id = ids.incrementAndGet();
                models.put(id, model);
                return reply(out -> {
                    out.writeLong(id);
                    Wire.writeString(out, model.backendId());
                    Wire.writeGraph(out, model.graph());
                });
            }
            case Frame.BACKENDS -> {
                List<String> backendIds = contributions.backends().stream().map(InferenceBackend::id).toList();
                return reply(out -> Wire.writeStrings(out, backendIds));
            }
            case Frame.DESCRIBE -> {
                String id = Wire.readString(in);
                InferenceBackend backend = contributions.backends().stream().filter(b -> b.id().equals(id)).findFirst()
                        .orElseThrow(() -> new BackendException("no backend " + id + " in the worker"));
                var info = backend.describe();
                return reply(out -> Wire.writeBackendInfo(out, info));
            }
            case Frame.OPEN -> {
                LoadedModel model = model(in.readLong());
                Device device = Device.values()[in.readInt()];
                InferenceSession session = contributions.backendFor(model).open(model, device);
                long id = ids.incrementAndGet();
                sessions.put(id, session);
                return reply(out -> {
                    out.writeLong(id);
                    Wire.writeString(out, session.deviceNote());
                });
            }
            case Frame.FETCH, Frame.FETCH_TRACED -> {
                InferenceSession session = session(in.readLong());
                Map<String, TensorData> feeds = Wire.readTensors(in);
                List<String> tensors = Wire.readStrings(in);
                Map<String, TensorData> overrides = Wire.readTensors(in);
                // written into the reply while the backend's values are valid: no copy of them in this process
                FetchedValues<Frame> reply = values -> reply(out -> Wire.writeTensors(out, values));
                return request.type() == Frame.FETCH ? session.fetch(feeds, tensors, overrides, monitor, reply)
                        : session.fetchAsTraced(feeds, tensors, overrides, monitor, reply);
            }
            case Frame.HEALTH -> {
                InferenceSession session = session(in.readLong());
                Map<String, TensorData> feeds = Wire.readTensors(in);
                List<String> outputs = Wire.readStrings(in);
                HealthMode mode = HealthMode.values()[in.readInt()];
                Map<String, TensorData> overrides = Wire.readTensors(in);
                var trace = session.healthPass(feeds, outputs, mode, overrides, monitor);
                return reply(out -> Wire.writeTrace(out, trace));
            }
            case Frame.REWRITES -> {
                InferenceSession session = session(in.readLong());
                Map<String, TensorData> feeds = Wire.readTensors(in);
                List<String> outputs = Wire.readStrings(in);
                var rewrites = session.runtimeRewrites(feeds, outputs, monitor);
                return reply(out -> Wire.writeRewrites(out, rewrites));
            }
            case Frame.CLOSE_SESSION -> {
                InferenceSession session = sessions.remove(in.readLong());
                if (session != null) {
                    session.close();
                }
                return reply(out -> { });
            }
            case Frame.CLOSE_MODEL -> {
                LoadedModel model = models.remove(in.readLong());
                if (model != null) {
                    model.close();
                }
                return reply(out -> { });
            }
            default -> throw new IllegalArgumentException("unknown worker request " + request.type());
        }
    }

    /** A successful reply; its large tensors go into the replies' area. */
    private Frame reply(Frame.Body body) throws IOException {
        return Frame.of(Frame.OK, replies, body);
    }

    private LoadedModel model(long id) {
        LoadedModel model = models.get(id);
        if (model == null) {
            throw new IllegalStateException("the model is no longer open in the worker");
        }
        return model;
    }

    private InferenceSession session(long id) {
        InferenceSession session = sessions.get(id);
        if (session == null) {
            throw new IllegalStateException("the session is no longer open in the worker");
        }
        return session;
    }

    private void sendError(WorkerError kind, String message, Path file) {
        try {
            send(Frame.of(Frame.ERROR, out -> {
                out.writeInt(kind.ordinal());
                Wire.writeString(out, message == null ? "" : message);
                Wire.writeString(out, file == null ? "" : file.toString());
            }));
        } catch (IOException e) {
            // the connection is gone: nobody is left to tell
        }
    }

    private synchronized void send(Frame frame) {
        try {
            frame.write(out);
        } catch (IOException e) {
            // Tensorscope went away; the reading loop ends with it
        }
    }
}
