package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.tensorscope.core.analysis.NanOrigin;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.SignatureTensor;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.tensorflow.internal.TensorFlowBackend;
import org.tensorscope.tensorflow.internal.load.TfjsGraphModelLoader;
import org.tensorscope.tensorflow.internal.tflite.TfliteLoader;

/**
 * MediaPipe's TFLite models open, run and trace; BlazePose lite as a TFLite flatbuffer and as its
 * TF.js conversion compute the same outputs.
 */
class TfliteModelsTest {

    private static final String POSE = "tflite/pose_landmark_lite.tflite";
    private static final String FACE = "tflite/face_detection_short_range.tflite";
    private static final String SPARSE_FACE = "tflite/face_detection_full_range_sparse.tflite";

    @Test
    void poseLandmarksOpenWithTheirInputsOutputsAndFusedActivationsApart() throws Exception {
        try (LoadedModel model = new TfliteLoader().load(TestModels.get(POSE), new NullProgressMonitor())) {
            ModelGraph graph = model.graph();
            assertEquals("TFLite flatbuffer (float16 weights widened to float32)", graph.format());
            Signature signature = graph.defaultSignature().orElseThrow();
            assertEquals("serving_default", signature.key());
            assertEquals("input_1 [1,256,256,3]", describe(signature.inputs()));
            assertEquals("Identity [1,195], Identity_1 [1,1], Identity_2 [1,256,256,1], Identity_3 [1,64,64,39], "
                    + "Identity_4 [1,117]", describe(signature.outputs()));
            Map<String, Long> types = graph.ops().stream().collect(Collectors.groupingBy(OpNode::type, Collectors.counting()));
            // the file's 54 CONV_2D, 34 DEPTHWISE_CONV_2D and 25 ADD; its 176 DEQUANTIZE of float16 weights are folded
            assertEquals(54L, types.get("Conv2D"));
            assertEquals(34L, types.get("DepthwiseConv2dNative"));
            assertEquals(25L, types.get("AddV2"));
            assertEquals(5L, types.get("ResizeBilinear"));
            assertEquals(1L, types.get("Sigmoid"));
            assertFalse(types.containsKey("Cast"), "float16 constants are widened when read, not cast at run time");
            // CONV_2D with a fused RELU6: Conv2D, BiasAdd, then a Relu6 of its own carrying the tensor's name
            OpNode relu = graph.ops().stream().filter(op -> op.type().equals("Relu6")
                    && graph.op(op.name() + "/BiasAdd").isPresent()).findFirst().orElseThrow();
            OpNode bias = graph.op(relu.name() + "/BiasAdd").orElseThrow();
            assertEquals(List.of(bias.name() + ":0"), relu.inputs());
            assertEquals("Conv2D", graph.op(bias.inputs().get(0).replace(":0", "")).orElseThrow().type());
            assertEquals(0, graph.weights().stream().filter(w -> w.nonFiniteCount() > 0).count());
        }
    }

    @Test
    void poseLandmarksRunAndTraceTheUnclippedFrame() throws Exception {
        try (LoadedModel model = new TfliteLoader().load(TestModels.get(POSE), new NullProgressMonitor());
                InferenceSession session = new TensorFlowBackend().open(model, Device.CPU)) {
            Map<String, TensorData> outputs = run(model, session, "ramp");
            TensorData flag = outputs.get("Identity_1:0");
            assertTrue(flag.getDouble(0) >= 0 && flag.getDouble(0) <= 1, "pose flag is a sigmoid: " + flag.getDouble(0));
            assertEquals(195, outputs.get("Identity:0").size());

            NanReport report = Tracing.trace(model, session, List.of("ramp*1e38"), HealthMode.FULL).report();
            assertFalse(report.finite());
            assertEquals(NanOrigin.Kind.COMPUTATION, report.origin().kind());
            assertTrue(model.graph().op(report.origin().op()).isPresent(), report.origin().op());
            assertNotNull(report.origin().cause(), "a rule explains " + report.origin().op());
            assertTrue(report.unchecked().isEmpty(), "every tensor is watched: " + report.unchecked());
            long computed = model.graph().ops().stream().filter(op -> !op.type().equals("Const")
                    && !op.outputs().isEmpty() && op.outputs().get(0).dtype().isFloating()).count();
            assertTrue(report.checked() >= computed, report.checked() + " checked of " + computed + " computed tensors");
        }
    }

    @Test
    void faceDetectorOpensRunsAndTraces() throws Exception {
        try (LoadedModel model = new TfliteLoader().load(TestModels.get(FACE), new NullProgressMonitor());
                InferenceSession session = new TensorFlowBackend().open(model, Device.CPU)) {
            Signature signature = model.graph().defaultSignature().orElseThrow();
            assertEquals("input [1,128,128,3]", describe(signature.inputs()));
            assertEquals("regressors [1,896,16], classificators [1,896,1]", describe(signature.outputs()));
            Map<String, TensorData> outputs = run(model, session, "ramp");
            assertEquals(896 * 16, outputs.get("regressors:0").size());
            NanReport clean = Tracing.trace(model, session, List.of("ramp"), HealthMode.FULL).report();
            assertTrue(clean.finite(), "a ramp frame stays finite");
            NanReport report = Tracing.trace(model, session, List.of("ramp*1e38"), HealthMode.FULL).report();
            assertFalse(report.finite());
            assertEquals(NanOrigin.Kind.COMPUTATION, report.origin().kind());
        }
    }

    /**
     * MediaPipe's pruned face detector keeps its weights sparse and densifies them in the graph; its outputs on a ramp
     * are those of TFLite's own runtime (tfjs-tflite 0.0.1-alpha.10's WebAssembly build, XNNPACK, on this ramp).
     */
    @Test
    void sparseFaceDetectorComputesWhatTfliteDoes() throws Exception {
        try (LoadedModel model = new TfliteLoader().load(TestModels.get(SPARSE_FACE), new NullProgressMonitor());
                InferenceSession session = new TensorFlowBackend().open(model, Device.CPU)) {
            assertTrue(model.graph().ops().stream().noneMatch(op -> op.type().equals("Assert")),
                    "an op left unconverted: " + model.graph().ops().stream().filter(op -> op.type().equals("Assert"))
                            .map(OpNode::name).toList());
            Map<String, TensorData> outputs = run(model, session, "ramp");
            assertValues(outputs.get("Identity:0"), 1.3937603, -5.0508771f, -0.6838640f, 8.8967705f, 8.8738136f);
            assertValues(outputs.get("Identity_1:0"), -8.0922703, -10.398225f, -14.591959f, -12.768159f, -10.109623f);
            NanReport report = Tracing.trace(model, session, List.of("ramp*1e38"), HealthMode.CURT).report();
            assertFalse(report.finite());
            assertEquals(NanOrigin.Kind.COMPUTATION, report.origin().kind());
        }
    }

    private static void assertValues(TensorData t, double mean, float... first) {
        double sum = 0;
        for (int i = 0; i < t.size(); i++) {
            sum += t.getDouble(i);
        }
        assertEquals(mean, sum / t.size(), 1e-4 * Math.max(1, Math.abs(mean)), t.name() + " mean");
        for (int i = 0; i < first.length; i++) {
            assertEquals(first[i], t.getDouble(i), 1e-4 * Math.max(1, Math.abs(first[i])), t.name() + "[" + i + "]");
        }
    }

    /**
     * The same frame (ramp) through pose_landmark_lite.tflite and through tfjs/blazepose-lite: the
     * same network, outputs matched by shape, with one difference in the graph: the TF.js conversion
     * ends the segmentation and heatmap outputs with a sigmoid, which the TFLite model leaves to
     * MediaPipe's calculators (its outputs are logits). Measured (TF 2.18 CPU, both with float16
     * weights): ld_3d [1,195] differs by at most 0.0389 (values up to 183.7 pixels), poseflag by
     * 5.2e-8, world_3d by 2.9e-4; after a sigmoid on the TFLite logits, segmentation by 0.0134 and
     * heatmap by 1.6e-4. Without it segmentation differs by 552.7.
     */
    @Test
    void blazePoseAsTfliteAndAsTfjsAgreeButForTheSigmoidOnTwoOutputs() throws Exception {
        Map<String, TensorData> lite;
        Map<String, TensorData> tfjs;
        Map<String, String> tfjsByShape = new HashMap<>();
        try (LoadedModel model = new TfliteLoader().load(TestModels.get(POSE), new NullProgressMonitor());
                InferenceSession session = new TensorFlowBackend().open(model, Device.CPU)) {
            lite = run(model, session, "ramp");
        }
        try (LoadedModel model = new TfjsGraphModelLoader().load(TestModels.get("tfjs/blazepose-lite/blazepose-lite.json"),
                new NullProgressMonitor()); InferenceSession session = new TensorFlowBackend().open(model, Device.CPU)) {
            tfjs = run(model, session, "ramp");
            for (SignatureTensor t : model.graph().defaultSignature().orElseThrow().outputs()) {
                tfjsByShape.put(t.tensor().shape().toString().replace("?", "1"), t.tensor().name());
            }
        }
        assertEquals(0.0389, maxDifference(lite.get("Identity:0"), tfjs, tfjsByShape, false), 0.01, "ld_3d");
        assertEquals(0, maxDifference(lite.get("Identity_1:0"), tfjs, tfjsByShape, false), 1e-6, "poseflag");
        assertEquals(0, maxDifference(lite.get("Identity_4:0"), tfjs, tfjsByShape, false), 5e-4, "world_3d");
        assertEquals(0.0134, maxDifference(lite.get("Identity_2:0"), tfjs, tfjsByShape, true), 0.005,
                "segmentation after a sigmoid");
        assertEquals(0, maxDifference(lite.get("Identity_3:0"), tfjs, tfjsByShape, true), 5e-4, "heatmap after a sigmoid");
        assertTrue(maxDifference(lite.get("Identity_2:0"), tfjs, tfjsByShape, false) > 100,
                "without the sigmoid the segmentation logits are far from TF.js's probabilities");
    }

    private static double maxDifference(TensorData lite, Map<String, TensorData> tfjs, Map<String, String> tfjsByShape,
            boolean sigmoid) {
        TensorData other = tfjs.get(tfjsByShape.get(lite.shape().toString()));
        assertNotNull(other, "the TF.js model has an output of shape " + lite.shape());
        assertEquals(lite.size(), other.size());
        double max = 0;
        for (long i = 0; i < lite.size(); i++) {
            double value = sigmoid ? 1 / (1 + Math.exp(-lite.getDouble(i))) : lite.getDouble(i);
            max = Math.max(max, Math.abs(value - other.getDouble(i)));
        }
        return max;
    }

    private static Map<String, TensorData> run(LoadedModel model, InferenceSession session, String input)
            throws Exception {
        Signature signature = model.graph().defaultSignature().orElseThrow();
        PreparedInputs inputs = PreparedInputs.prepare(signature, List.of(input));
        return session.fetch(inputs.feeds(), signature.outputs().stream().map(o -> o.tensor().name()).toList(), Map.of(),
                new NullProgressMonitor());
    }

    private static String describe(List<SignatureTensor> tensors) {
        return tensors.stream().map(t -> t.key() + " " + t.tensor().shape()).collect(Collectors.joining(", "));
    }
}
