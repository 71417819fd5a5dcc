package org.tensorscope.onnx.internal;

import org.osgi.service.component.annotations.Component;
import org.tensorscope.core.Tensorscope;
import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.BackendInfo;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceBackend;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.onnx.internal.run.OnnxSession;

/**
 * Runs ONNX models with ONNX Runtime, on the CPU or, when asked and available, with CUDA.
 */
@Component(service = InferenceBackend.class, property = Tensorscope.PROP_DISPLAY_NAME + "=" + OnnxRuntimeEnvironment.FRAMEWORK)
public class OnnxBackend implements InferenceBackend {

    public static final String ID = "onnxruntime";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public BackendInfo describe() throws BackendException {
        return OnnxRuntimeEnvironment.describe();
    }

    @Override
    public InferenceSession open(LoadedModel model, Device device) throws BackendException {
        if (!(model instanceof OnnxModel onnxModel)) {
            throw new BackendException(OnnxRuntimeEnvironment.FRAMEWORK + " cannot run " + model.graph().source()
                    + ": it was not read by the ONNX loader");
        }
        boolean cuda = device == Device.GPU && OnnxRuntimeEnvironment.cudaAvailable();
        return new OnnxSession(onnxModel, device, cuda);
    }
}
