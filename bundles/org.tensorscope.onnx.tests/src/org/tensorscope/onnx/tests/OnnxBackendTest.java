package org.tensorscope.onnx.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import ai.onnxruntime.OrtEnvironment;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.Version;
import org.osgi.util.tracker.ServiceTracker;
import org.tensorscope.core.Tensorscope;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.service.BackendInfo;
import org.tensorscope.core.service.Contributions;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceBackend;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.ModelLoader;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.core.trace.Trace;
import org.tensorscope.onnx.internal.OnnxBackend;
import org.tensorscope.onnx.internal.OnnxModel;
import org.tensorscope.onnx.internal.load.OnnxModelLoader;

class OnnxBackendTest {

    private static TensorData ramp() {
        float[] values = new float[3 * 48 * 192];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i * 7 % 255) / 255f;
        }
        return TensorData.ofFloats("x", Shape.of(1, 3, 48, 192), values);
    }

    @Test
    void describesOnnxRuntimeAndItsCpu() throws Exception {
        BackendInfo info = new OnnxBackend().describe();
        // the version of the ONNX Runtime the target platform put in the build, as the runtime itself reports it
        Version bundled = FrameworkUtil.getBundle(OrtEnvironment.class).getVersion();
        assertEquals("ONNX Runtime " + bundled.getMajor() + "." + bundled.getMinor() + "." + bundled.getMicro(),
                info.displayName());
        assertEquals("CPU:0", info.devices().get(0).name());
    }

    @Test
    void classifierRunsAndEveryIntermediateTensorIsChecked() throws Exception {
        try (OnnxModel model = new OnnxModelLoader().load(OnnxModelLoaderTest.CLASSIFIER, new NullProgressMonitor());
                InferenceSession session = new OnnxBackend().open(model, Device.CPU)) {
            Map<String, TensorData> feeds = Map.of("x:0", ramp());
            String output = model.graph().defaultSignature().orElseThrow().outputs().get(0).tensor().name();
            TensorData probabilities = session.fetch(feeds, List.of(output), Map.of(), new NullProgressMonitor())
                    .get(output);
            assertEquals(Shape.of(1, 2), probabilities.shape());
            assertEquals(1.0, probabilities.getDouble(0) + probabilities.getDouble(1), 1e-5);

            Trace trace = session.healthPass(feeds, List.of(output), HealthMode.FULL, Map.of(), new NullProgressMonitor());
            assertTrue(trace.isAllFinite());
            // every float tensor: the input, the 249 float weights (the 250th holds the int64 shape
            // of the final Reshape) and the float outputs of the other nodes
            long floatWeights = model.graph().weights().stream().filter(w -> w.dtype().isFloating()).count();
            assertEquals(249, floatWeights);
            long floatNodeOutputs = model.graph().ops().stream()
                    .filter(op -> !op.type().equals("Constant") && !op.type().equals("Input"))
                    .flatMap(op -> op.outputs().stream()).filter(t -> t.dtype().isFloating()).count();
            assertEquals(1 + floatWeights + floatNodeOutputs, trace.rows().size());
            assertEquals(Math.max(probabilities.getDouble(0), probabilities.getDouble(1)), trace.row(output).orElseThrow().max(), 1e-6);
            assertEquals("Softmax", trace.row(output).orElseThrow().opType());
        }
    }

    @Test
    void aGpuRequestWithoutCudaRunsOnTheCpuAndSaysSo() throws Exception {
        try (OnnxModel model = new OnnxModelLoader().load(OnnxModelLoaderTest.CLASSIFIER, new NullProgressMonitor());
                InferenceSession session = new OnnxBackend().open(model, Device.GPU)) {
            assertEquals("No GPU is visible to ONNX Runtime: running on the CPU.", session.deviceNote());
        }
    }

    @Test
    void loaderAndBackendAreDeclarativeServices() throws Exception {
        var context = FrameworkUtil.getBundle(OnnxBackend.class).getBundleContext();
        try (var names = new Closer()) {
            ServiceTracker<ModelLoader, ModelLoader> loaders = names.track(new ServiceTracker<>(context,
                    context.createFilter("(&(objectClass=" + ModelLoader.class.getName() + ")(" + Tensorscope.PROP_FORMAT
                            + "=ONNX)(" + Tensorscope.PROP_FILE_PATTERNS + "=*.onnx))"), null));
            ServiceTracker<InferenceBackend, InferenceBackend> backends = names.track(new ServiceTracker<>(context,
                    context.createFilter("(&(objectClass=" + InferenceBackend.class.getName() + ")("
                            + Tensorscope.PROP_DISPLAY_NAME + "=ONNX Runtime))"), null));
            assertTrue(loaders.waitForService(20_000) instanceof OnnxModelLoader);
            assertEquals("onnxruntime", backends.waitForService(20_000).id());
        }
        try (Contributions contributions = new Contributions(context)) {
            assertTrue(contributions.filePatterns().contains("*.onnx"), contributions.filePatterns().toString());
        }
    }

    /** Closes the trackers a test opened. */
    private static final class Closer implements AutoCloseable {
        private final List<ServiceTracker<?, ?>> trackers = new java.util.ArrayList<>();

        <S> ServiceTracker<S, S> track(ServiceTracker<S, S> tracker) {
            tracker.open();
            trackers.add(tracker);
            return tracker;
        }

        @Override
        public void close() {
            trackers.forEach(ServiceTracker::close);
        }
    }
}
