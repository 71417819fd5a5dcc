package org.tensorscope.core.internal.worker;

import java.nio.file.Path;

import org.eclipse.core.runtime.IProgressMonitor;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.service.ModelLoadException;

/**
 * A model loaded in the worker. Its graph is kept here; after the worker restarted, the model is
 * loaded again on its next use, so a crash costs one failed run, not the open model.
 */
final class RemoteModel implements LoadedModel {

    private final Worker worker;
    private final Path path;
    private final ModelGraph graph;
    private final String backendId;
    private long id;
    private int generation;

    private RemoteModel(Worker worker, Path path, Loaded loaded) {
        this.worker = worker;
        this.path = path;
        this.graph = loaded.graph;
        this.backendId = loaded.backendId;
        this.id = loaded.id;
        this.generation = loaded.generation;
    }

    static RemoteModel load(Worker worker, Path path, IProgressMonitor monitor) throws ModelLoadException {
        try {
            return new RemoteModel(worker, path, send(worker, path, monitor));
        } catch (WorkerFailure e) {
            throw new ModelLoadException(e.file() != null ? e.file() : path, e.getMessage());
        }
    }

    private record Loaded(long id, String backendId, ModelGraph graph, int generation) {
    }

    private static Loaded send(Worker worker, Path path, IProgressMonitor monitor) throws WorkerFailure {
        WorkerFailure restarted = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            int generation = worker.ensureStarted(monitor);
            try {
                return worker.call(generation, Frame.LOAD, out -> Wire.writeString(out, path.toString()),
                        in -> new Loaded(in.readLong(), Wire.readString(in), Wire.readGraph(in), generation),
                        monitor, "loading " + path.getFileName());
            } catch (WorkerFailure e) {
                if (e.kind() != WorkerError.ENDED || worker.generation() == generation) {
                    throw e;
                }
                restarted = e; // the worker restarted between the two steps: once more
            }
        }
        throw restarted;
    }

    /** This model's id in the running worker, loading it again if the worker restarted. */
    synchronized long id(IProgressMonitor monitor) throws WorkerFailure {
        if (generation != worker.ensureStarted(monitor)) {
            Loaded loaded = send(worker, path, monitor);
            id = loaded.id;
            generation = loaded.generation;
        }
        return id;
    }

    synchronized int generation() {
        return generation;
    }

    Worker worker() {
        return worker;
    }

    @Override
    public ModelGraph graph() {
        return graph;
    }

    @Override
    public String backendId() {
        return backendId;
    }

    @Override
    public synchronized void close() {
        if (worker.isRunning(generation)) {
            try {
                long closing = id;
                worker.call(generation, Frame.CLOSE_MODEL, out -> out.writeLong(closing), in -> null, null,
                        "closing " + path.getFileName());
            } catch (WorkerFailure | RuntimeException e) {
                // the worker is gone or going: nothing is left to free
            }
        }
    }
}
