package org.tensorscope.tensorflow.internal;

import org.osgi.service.component.annotations.Component;
import org.tensorscope.core.Tensorscope;
import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.BackendInfo;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.tensorflow.internal.run.TfSession;
import org.tensorscope.core.service.InferenceBackend;

/**
 * Runs models with TensorFlow Java, on CPU or, when TensorFlow sees one, a GPU.
 */
@Component(service = InferenceBackend.class, property = Tensorscope.PROP_DISPLAY_NAME + "=TensorFlow")
public class TensorFlowBackend implements InferenceBackend {

    public static final String ID = "tensorflow";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public BackendInfo describe() throws BackendException {
        return TensorFlowRuntime.describe();
    }

    @Override
    public InferenceSession open(LoadedModel model, Device device) throws BackendException {
        if (!(model instanceof TfModel tfModel)) {
            throw new BackendException("TensorFlow cannot run " + model.graph().source() + ": it was not read by a TensorFlow loader");
        }
        if (tfModel.cannotRun().isPresent()) {
            throw new BackendException(model.graph().source() + ": " + tfModel.cannotRun().get());
        }
        boolean gpuVisible = describe().hasGpu();
        return new TfSession(tfModel.graph(), tfModel.frozenGraph(), device, gpuVisible);
    }
}
