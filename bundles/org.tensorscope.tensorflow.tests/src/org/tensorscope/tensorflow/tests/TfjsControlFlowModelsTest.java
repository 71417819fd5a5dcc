package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.run.TraceOutcome;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.core.trace.LoopHealth;
import org.tensorscope.core.trace.TensorHealth;
import org.tensorscope.tensorflow.internal.TensorFlowBackend;
import org.tensorscope.tensorflow.internal.load.TfjsGraphModelLoader;

/**
 * Real TF.js models with TF1 control flow (see testdata/NOTICE.md): faceboxes, a face detector whose
 * post-processing is a while loop over TensorArrays with NonMaxSuppression, and rvm, a video-matting
 * model with conds and recurrent state. Expected outputs are TF.js 4.22's (CPU backend,
 * executeAsync) for the same inputs.
 */
class TfjsControlFlowModelsTest {

    private static final String RVM = "StatefulPartitionedCall/matting_network_wrapper/StatefulPartitionedCall/";
    private static final String RESIZE = RVM + "cond/else/_654/cond/resize/ResizeBilinear:0";
    private static final String PASS_THROUGH = "Func/" + RVM + "cond/then/_653/input/_677:0";

    private static LoadedModel faceboxes;
    private static InferenceSession faceboxesSession;

    @BeforeAll
    static void open() throws Exception {
        faceboxes = new TfjsGraphModelLoader().load(TestModels.get("tfjs/faceboxes/faceboxes.json"),
                new NullProgressMonitor());
        faceboxesSession = new TensorFlowBackend().open(faceboxes, Device.CPU);
    }

    @AfterAll
    static void close() {
        faceboxesSession.close();
        faceboxes.close();
    }

    /** The image TF.js was fed: pixel i = (i*7) mod 255, as "ramp*255" makes it. */
    private static TensorData image() {
        ByteBuffer bytes = ByteBuffer.allocateDirect(64 * 64 * 3).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 64 * 64 * 3; i++) {
            bytes.put((byte) ((i * 7) % 255));
        }
        return new TensorData("image_tensor:0", DType.UINT8, Shape.of(1, 64, 64, 3), bytes.flip());
    }

    @Test
    void faceboxesLoadsAlthoughTheConverterStoredADoubleWeightAsFloat() throws Exception {
        // the quirk: image_padding/truediv multiplies a float64 tensor by a weight the manifest stores as
        // float32; TF.js computes it anyway, so the loader gives the weight the type its consumer expects
        var weight = faceboxes.graph().weights().stream()
                .filter(w -> w.opName().equals("ConstantFolding/image_padding/truediv_recip")).findFirst().orElseThrow();
        assertEquals(DType.FLOAT64, weight.dtype());
        Map<String, TensorData> out = faceboxesSession.fetch(Map.of("image_tensor:0", image()),
                List.of("scores:0", "boxes:0", "num_boxes:0"), Map.of(), new NullProgressMonitor());
        assertEquals(0.1348019689, out.get("scores:0").getDouble(0), 1e-5);
        assertEquals(0.1210689172, out.get("scores:0").getDouble(1), 1e-5);
        assertEquals(0.1125749350, out.get("boxes:0").getDouble(0), 1e-5);
        assertEquals(0.2098205090, out.get("boxes:0").getDouble(1), 1e-5);
        assertEquals(0.4742893577, out.get("boxes:0").getDouble(4), 1e-5);
        assertEquals(200, out.get("num_boxes:0").getDouble(0));
    }

    @Test
    void faceboxesSignatureListsOnlyOutputsSoItsPlaceholderIsTheInput() {
        // the quirk: model.json's signature has outputs and no inputs; TF.js feeds the placeholders
        var signature = faceboxes.graph().defaultSignature().orElseThrow();
        assertEquals(List.of("image_tensor:0"), signature.inputs().stream().map(i -> i.tensor().name()).toList());
        assertEquals(DType.UINT8, signature.inputs().get(0).tensor().dtype());
        assertEquals(List.of("scores:0", "boxes:0", "num_boxes:0"),
                signature.outputs().stream().map(o -> o.tensor().name()).toList());
    }

    @Test
    void faceboxesTracesThroughItsWhileLoop() throws Exception {
        for (HealthMode mode : List.of(HealthMode.CURT, HealthMode.FULL)) {
            TraceOutcome t = Tracing.trace(faceboxes, faceboxesSession, List.of("image_tensor=ramp*255@1x64x64x3"), mode);
            NanReport r = t.report();
            assertTrue(r.finite(), mode + ": " + r.origin());
            assertEquals(null, r.origin());
            // the only tensor left out is NonMaxSuppression's score threshold, -inf on purpose
            assertEquals(List.of("nms/map/while/non_max_suppression/score_threshold:0"),
                    r.unchecked().stream().map(NanReport.Unchecked::tensor).toList());
            assertTrue(r.unchecked().get(0).reason().contains("by design"), r.unchecked().get(0).reason());
            // tensors inside the loop body are checked in every iteration: one per image of the batch
            LoopHealth loop = t.trace().loop("nms/map/while/GatherV2:0").orElseThrow();
            assertEquals("nms/map/while", loop.loop());
            assertEquals(1, loop.iterations());
            assertEquals(-1, loop.firstNonFiniteIteration());
            TensorHealth boxes = t.trace().row("nms/map/while/GatherV2:0").orElseThrow();
            assertTrue(boxes.elements() > 0 && boxes.isFinite(), boxes.toString());
            assertTrue(t.trace().row("nms/map/while/Merge_2:0").isPresent(), "the loop's header is checked");
            assertTrue(r.checked() > 550, "checked " + r.checked());
            assertTrue(r.fidelity() != null && r.fidelity().agree(), "traced and plain runs agree: " + r.fidelity());
        }
    }

    @Test
    void faceboxesFedAnOverflowingImageNamesTheOrigin() throws Exception {
        // pixels never clipped: the float image the model computes from its uint8 input, replaced
        float[] huge = new float[64 * 64 * 3];
        for (int i = 0; i < huge.length; i++) {
            huge[i] = (float) (((i * 7) % 255) / 255.0 * 1e38);
        }
        TensorData image = TensorData.ofFloats("ToFloat:0", Shape.of(1, 64, 64, 3), huge);
        TraceOutcome t = Tracing.trace(faceboxes, faceboxesSession, List.of("image_tensor=ramp*255@1x64x64x3"),
                Map.of("ToFloat:0", image), HealthMode.FULL);
        NanReport.Origin origin = t.report().origin();
        assertEquals("postprocessing/decode_predictions/Exp_1", origin.op(), origin.toString());
        assertEquals("exp-overflow", origin.cause().rule());
        assertEquals(null, origin.loop());
        assertTrue(t.trace().row(origin.op()).orElseThrow().posInfCount() > 0);
    }

    private static List<String> notComputed(NanReport report) {
        return report.unchecked().stream().filter(u -> u.reason().startsWith("not computed for this input: it lies in "
                + "a branch of cond " + RVM + "cond")).map(NanReport.Unchecked::tensor).toList();
    }

    /** Every tensor is checked but those of the cond branches this input did not take. */
    private static void assertOnlyNotComputed(NanReport report) {
        assertFalse(report.unchecked().isEmpty());
        assertEquals(report.unchecked().size(), notComputed(report).size(), report.unchecked().toString());
    }

    private static List<String> rvmInputs(String source, String downsampleRatio) {
        return List.of("src=" + source + "@1x64x64x3", "r1i=zeros@1x1x1x1", "r2i=zeros@1x1x1x1", "r3i=zeros@1x1x1x1",
                "r4i=zeros@1x1x1x1", "downsample_ratio=const:" + downsampleRatio + "@scalar");
    }

    @Test
    void rvmTracesThroughItsCondsWhenFedShapes() throws Exception {
        try (LoadedModel rvm = new TfjsGraphModelLoader().load(TestModels.get("tfjs/rvm/rvm.json"), new NullProgressMonitor());
                InferenceSession session = new TensorFlowBackend().open(rvm, Device.CPU)) {
            // downsample_ratio 0.5: the cond resizes the frame (else branch); TF.js's outputs for this input
            TraceOutcome t = Tracing.trace(rvm, session, rvmInputs("ramp", "0.5"), HealthMode.CURT);
            assertTrue(t.report().finite(), String.valueOf(t.report().origin()));
            assertOnlyNotComputed(t.report());
            assertEquals(0.0293666795, t.trace().outputs().get("Identity:0").getDouble(0), 1e-5);
            assertEquals(0.0546508692, t.trace().outputs().get("Identity_5:0").getDouble(0), 1e-5);
            assertEquals(-0.0373927727, t.trace().outputs().get("Identity_3:0").getDouble(0), 1e-5);
            assertTrue(t.trace().row(RESIZE).isPresent(), "the taken branch is checked");
            assertTrue(t.trace().row(PASS_THROUGH).isEmpty(), "the untaken branch is not computed");
            assertTrue(notComputed(t.report()).contains(PASS_THROUGH), "and the trace says so");

            // downsample_ratio 1: the frame passes through unresized (then branch)
            TraceOutcome full = Tracing.trace(rvm, session, rvmInputs("ramp", "1"), HealthMode.CURT);
            assertTrue(full.report().finite());
            assertOnlyNotComputed(full.report());
            assertTrue(full.trace().row(PASS_THROUGH).isPresent());
            assertTrue(full.trace().row(RESIZE).isEmpty());
            assertTrue(notComputed(full.report()).contains(RESIZE));
        }
    }

    @Test
    void rvmFedAnOverflowingFrameNamesTheOrigin() throws Exception {
        try (LoadedModel rvm = new TfjsGraphModelLoader().load(TestModels.get("tfjs/rvm/rvm.json"), new NullProgressMonitor());
                InferenceSession session = new TensorFlowBackend().open(rvm, Device.CPU)) {
            TraceOutcome t = Tracing.trace(rvm, session, rvmInputs("ramp*1e38", "0.5"), HealthMode.FULL);
            NanReport.Origin origin = t.report().origin();
            assertFalse(t.report().finite());
            assertEquals(RVM + "mobile_net_v3_encoder/truediv", origin.op(), origin.toString());
            assertEquals("Mul", origin.type());
            assertEquals(154, t.trace().row(origin.op()).orElseThrow().posInfCount());
            assertOnlyNotComputed(t.report());
            assertTrue(t.trace().row(RESIZE).orElseThrow().max() > 1e37, "the taken branch resizes the huge frame");
        }
    }
}
