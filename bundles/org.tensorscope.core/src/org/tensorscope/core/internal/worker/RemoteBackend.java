package org.tensorscope.core.internal.worker;


import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.BackendInfo;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceBackend;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;

/** A backend installed in the worker, seen from Tensorscope. */
public final class RemoteBackend implements InferenceBackend {

    private final Worker worker;
    private final String id;

    RemoteBackend(Worker worker, String id) {
        this.worker = worker;
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public BackendInfo describe() throws BackendException {
        try {
            return worker.call(worker.ensureStarted(null), Frame.DESCRIBE, out -> Wire.writeString(out, id),
                    Wire::readBackendInfo, null, "describing " + id);
        } catch (WorkerFailure e) {
            throw new BackendException(e.getMessage());
        }
    }

    @Override
    public InferenceSession open(LoadedModel model, Device device) throws BackendException {
        if (!(model instanceof RemoteModel remote)) {
            throw new BackendException("the model " + model.graph().source() + " was not loaded by the inference worker");
        }
        return RemoteSession.open(remote, device);
    }
}
