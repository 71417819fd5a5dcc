package org.tensorscope.tensorflow.tests.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.types.TFloat32;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.Signature;
import org.tensorscope.tensorflow.internal.JavaCppCache;
import org.tensorscope.tensorflow.internal.TfModel;
import org.tensorscope.tensorflow.internal.keras.TfjsLayersModelLoader;
import org.tensorscope.tensorflow.internal.load.TfjsGraphModelLoader;

/** The real TF.js layers model (nsfwjs's MobileNet v2 classifier) against TF.js's own layers implementation. */
class TfjsLayersModelTest {

    static final String MOBILENET = "tfjs-layers/mobilenet_v2/model.json";

    /** tools/tfjs-layers-oracle.js (tfjs-layers 4.22.0, CPU backend), input ramp. */
    static final float[] MOBILENET_RAMP = { 0.02123144268989563f, 0.0005326658138073981f, 0.9776238203048706f,
            0.000506813928950578f, 0.00010522083903197199f };

    private final TfjsLayersModelLoader loader = new TfjsLayersModelLoader();

    @BeforeAll
    static void useTheProjectsNativeCache() {
        JavaCppCache.configure();
    }

    @Test
    void theLayersLoaderTakesLayersModelsAndTheGraphLoaderLeavesThem() {
        assertTrue(loader.canLoad(KerasFiles.model(MOBILENET)));
        assertFalse(new TfjsGraphModelLoader().canLoad(KerasFiles.model(MOBILENET)));
        assertFalse(loader.canLoad(KerasFiles.model("tfjs/emotion/emotion.json")));
    }

    @Test
    void mobilenetOpsAreNamedAfterItsLayers() throws Exception {
        ModelGraph graph = loader.load(KerasFiles.model(MOBILENET), null).graph();
        assertEquals(TfjsLayersModelLoader.FORMAT, graph.format());
        Signature signature = graph.defaultSignature().orElseThrow();
        assertEquals(Shape.of(Shape.UNKNOWN, 224, 224, 3), signature.input("input_1").orElseThrow().tensor().shape());
        assertEquals(List.of("dense_3"), signature.outputs().stream().map(o -> o.key()).toList());
        assertEquals("dense_3/Softmax:0", signature.outputs().get(0).tensor().name());
        assertEquals(Shape.of(Shape.UNKNOWN, 5), signature.outputs().get(0).tensor().shape());
        OpNode conv = graph.op("Conv1/Conv2D").orElseThrow();
        assertEquals("Conv2D", conv.type());
        assertEquals(List.of("Conv1_pad/Pad:0", "Conv1/kernel:0"), conv.inputs());
        assertEquals(Shape.of(Shape.UNKNOWN, 112, 112, 32), conv.outputs().get(0).shape());
        assertEquals("FusedBatchNormV3", graph.op("bn_Conv1/FusedBatchNormV3").orElseThrow().type());
        assertEquals("Relu6", graph.op("Conv1_relu/Relu6").orElseThrow().type());
        assertEquals("DepthwiseConv2dNative", graph.op("expanded_conv_depthwise/depthwise").orElseThrow().type());
        assertEquals("AddV2", graph.op("block_2_add/add").orElseThrow().type());
        assertEquals("Identity", graph.op("dropout_2/Identity").orElseThrow().type());
        assertEquals(List.of("dense_1/MatMul:0", "dense_1/bias:0"), graph.op("dense_1/BiasAdd").orElseThrow().inputs());
        // 266 weights in the manifest, each a Const under its layer
        assertEquals(266, graph.weights().stream().filter(w -> w.opName().matches(
                ".*/(kernel|depthwise_kernel|bias|gamma|beta|moving_mean|moving_variance)")).count());
    }

    @Test
    void mobilenetGivesTfjsValues() throws Exception {
        TfModel model = loader.load(KerasFiles.model(MOBILENET), null);
        try (TFloat32 x = KerasFiles.ramp(1, 1, 224, 224, 3)) {
            float[] out = KerasFiles.run(model, Map.of("input_1:0", x), "dense_3/Softmax:0").get(0);
            assertArrayEquals(MOBILENET_RAMP, out, 1e-5f);
        }
    }
}
