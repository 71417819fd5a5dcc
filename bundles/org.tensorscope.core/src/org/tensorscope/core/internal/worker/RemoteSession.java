package org.tensorscope.core.internal.worker;

import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.IProgressMonitor;
import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.RuntimeRewrite;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.core.trace.Trace;

/** A session of a backend in the worker, opened again (with its model) after the worker restarted. */
final class RemoteSession implements InferenceSession {

    private final RemoteModel model;
    private final Device device;
    private final String deviceNote;
    private final String modelName;
    private long id;
    private int generation;

    private RemoteSession(RemoteModel model, Device device, Opened opened) {
        this.model = model;
        this.device = device;
        this.deviceNote = opened.deviceNote;
        this.modelName = String.valueOf(model.graph().source().getFileName());
        this.id = opened.id;
        this.generation = opened.generation;
    }

    private record Opened(long id, String deviceNote, int generation) {
    }

    static RemoteSession open(RemoteModel model, Device device) throws BackendException {
        try {
            return new RemoteSession(model, device, send(model, device, null));
        } catch (WorkerFailure e) {
            throw new BackendException(e.getMessage());
        }
    }

    private static Opened send(RemoteModel model, Device device, IProgressMonitor monitor) throws WorkerFailure {
        long modelId = model.id(monitor);
        int generation = model.generation();
        return model.worker().call(generation, Frame.OPEN, out -> {
            out.writeLong(modelId);
            out.writeInt(device.ordinal());
        }, in -> new Opened(in.readLong(), Wire.readString(in), generation), monitor,
                "opening " + model.graph().source().getFileName());
    }

    private synchronized long id(IProgressMonitor monitor) throws WorkerFailure {
        if (generation != model.worker().ensureStarted(monitor)) {
            Opened opened = send(model, device, monitor);
            id = opened.id;
            generation = opened.generation;
        }
        return id;
    }

    @Override
    public String deviceNote() {
        return deviceNote;
    }

    @Override
    public Map<String, TensorData> fetch(Map<String, TensorData> feeds, List<String> tensors,
            Map<String, TensorData> overrides, IProgressMonitor monitor) throws BackendException {
        return call(Frame.FETCH, out -> {
            Wire.writeTensors(out, feeds);
            Wire.writeStrings(out, tensors);
            Wire.writeTensors(out, overrides);
        }, Wire::readTensors, monitor, "running " + modelName);
    }

    @Override
    public Map<String, TensorData> fetchAsTraced(Map<String, TensorData> feeds, List<String> tensors,
            Map<String, TensorData> overrides, IProgressMonitor monitor) throws BackendException {
        return call(Frame.FETCH_TRACED, out -> {
            Wire.writeTensors(out, feeds);
            Wire.writeStrings(out, tensors);
            Wire.writeTensors(out, overrides);
        }, Wire::readTensors, monitor, "running " + modelName);
    }

    @Override
    public Trace healthPass(Map<String, TensorData> feeds, List<String> outputs, HealthMode mode,
            Map<String, TensorData> overrides, IProgressMonitor monitor) throws BackendException {
        return call(Frame.HEALTH, out -> {
            Wire.writeTensors(out, feeds);
            Wire.writeStrings(out, outputs);
            out.writeInt(mode.ordinal());
            Wire.writeTensors(out, overrides);
        }, in -> Wire.readTrace(in, model.graph()), monitor, "tracing " + modelName);
    }

    @Override
    public List<RuntimeRewrite> runtimeRewrites(Map<String, TensorData> feeds, List<String> outputs,
            IProgressMonitor monitor) throws BackendException {
        return call(Frame.REWRITES, out -> {
            Wire.writeTensors(out, feeds);
            Wire.writeStrings(out, outputs);
        }, Wire::readRewrites, monitor, "running " + modelName + " as plain inference");
    }

    private <T> T call(int type, Frame.Body body, Frame.Reply<T> reply, IProgressMonitor monitor, String action)
            throws BackendException {
        try {
            long session = id(monitor);
            return model.worker().call(generation, type, out -> {
                out.writeLong(session);
                body.write(out);
            }, reply, monitor, action);
        } catch (WorkerFailure e) {
            if (e.kind() == WorkerError.ARGUMENT) {
                throw new IllegalArgumentException(e.getMessage());
            }
            throw new BackendException(e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        if (model.worker().isRunning(generation)) {
            try {
                long closing = id;
                model.worker().call(generation, Frame.CLOSE_SESSION, out -> out.writeLong(closing), in -> null,
                        null, "closing a session");
            } catch (WorkerFailure | RuntimeException e) {
                // the worker is gone or going: nothing is left to free
            }
        }
    }
}
