package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorscope.core.analysis.NanOrigin;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.tensorflow.internal.TensorFlowBackend;
import org.tensorscope.tensorflow.internal.TfModel;
import org.tensorscope.tensorflow.internal.keras.TfjsLayersModelLoader;
import org.tensorscope.tensorflow.tests.keras.KerasFiles;

/** NaN traces of Keras models name the layer where NaN or infinity starts. */
class KerasTraceTest {

    @Test
    void unclippedPixelsOverflowInMobilenetsFirstBatchNorm() throws Exception {
        try (LoadedModel model = new TfjsLayersModelLoader().load(KerasFiles.model("tfjs-layers/mobilenet_v2/model.json"),
                new NullProgressMonitor()); InferenceSession session = new TensorFlowBackend().open(model, Device.CPU)) {
            NanReport report = Tracing.trace(model, session, List.of("ramp*1e38"), HealthMode.FULL).report();
            assertFalse(report.finite());
            // Conv1 stays finite (at most 27 products of 1e38 with small weights); its batch norm scales past float range
            assertEquals("bn_Conv1/FusedBatchNormV3", report.origin().op());
            assertEquals(NanOrigin.Kind.COMPUTATION, report.origin().kind());
            assertNotNull(report.origin().cause());
        }
    }

    /** A BatchNormalization whose moving variance holds a negative value: its Rsqrt makes the NaN. */
    @Test
    void negativeVarianceIsTracedToTheBatchNormLayer(@TempDir Path folder) throws Exception {
        Map<String, float[]> weights = new LinkedHashMap<>();
        weights.put("dense/kernel", new float[] { 1, 0, 0, 1 });
        weights.put("dense/bias", new float[] { 0, 0 });
        weights.put("bn_7/gamma", new float[] { 1, 1 });
        weights.put("bn_7/beta", new float[] { 0, 0 });
        weights.put("bn_7/moving_mean", new float[] { 0, 0 });
        weights.put("bn_7/moving_variance", new float[] { 1, -4 });
        weights.put("out/kernel", new float[] { 1, 1 });
        Map<String, long[]> shapes = new LinkedHashMap<>();
        weights.keySet().forEach(k -> shapes.put(k, new long[] { 2 }));
        shapes.put("dense/kernel", new long[] { 2, 2 });
        shapes.put("out/kernel", new long[] { 2, 1 });
        Path json = KerasFiles.tfjsLayers(folder, """
                {"class_name": "Sequential", "config": {"name": "s", "layers": [
                  {"class_name": "Dense", "config": {"name": "dense", "units": 2, "batch_input_shape": [null, 2]}},
                  {"class_name": "BatchNormalization", "config": {"name": "bn_7", "axis": -1, "epsilon": 0.001}},
                  {"class_name": "Dense", "config": {"name": "out", "units": 1, "use_bias": false}}]}}""", weights, shapes);
        try (LoadedModel model = new TfjsLayersModelLoader().load(json, new NullProgressMonitor());
                InferenceSession session = new TensorFlowBackend().open(model, Device.CPU)) {
            NanReport report = Tracing.trace(model, session, List.of("const:1"), HealthMode.FULL).report();
            assertFalse(report.finite());
            assertEquals("bn_7/batchnorm/Rsqrt", report.origin().op());
            assertEquals("sqrt-of-negative", report.origin().cause().rule());
        }
    }

    /** A Lambda layer's Python code is not in the file: the model opens, and running it says why not. */
    @Test
    void aLambdaLayerIsNamedAndTheRestOpens(@TempDir Path folder) throws Exception {
        Map<String, float[]> weights = new LinkedHashMap<>();
        weights.put("dense/kernel", new float[] { 1, 2, 3, 4 });
        weights.put("dense/bias", new float[] { 0, 0 });
        Map<String, long[]> shapes = Map.of("dense/kernel", new long[] { 2, 2 }, "dense/bias", new long[] { 2 });
        Path json = KerasFiles.tfjsLayers(folder, """
                {"class_name": "Model", "config": {"name": "m", "layers": [
                  {"name": "x", "class_name": "InputLayer", "config": {"name": "x", "batch_input_shape": [null, 2]}, "inbound_nodes": []},
                  {"name": "dense", "class_name": "Dense", "config": {"name": "dense", "units": 2}, "inbound_nodes": [[["x", 0, 0, {}]]]},
                  {"name": "lambda_2", "class_name": "Lambda", "config": {"name": "lambda_2", "function": ["4wEAAAA=", null, null]},
                   "inbound_nodes": [[["dense", 0, 0, {}]]]},
                  {"name": "scale", "class_name": "Rescaling", "config": {"name": "scale", "scale": 2.0, "offset": 0.0},
                   "inbound_nodes": [[["lambda_2", 0, 0, {}]]]}],
                  "input_layers": [["x", 0, 0]], "output_layers": [["scale", 0, 0]]}}""", weights, shapes);
        TfModel model = new TfjsLayersModelLoader().load(json, new NullProgressMonitor());
        assertEquals("MatMul", model.graph().op("dense/MatMul").orElseThrow().type());
        assertEquals("Placeholder", model.graph().op("lambda_2").orElseThrow().type(), "the Lambda's stand-in");
        assertTrue(model.graph().op("scale/mul").isPresent(), "layers after the Lambda are built too");
        assertEquals("TF.js layers model; cannot run: a Lambda layer `lambda_2`: custom Python code cannot run here",
                model.graph().format(), "info names the layer that cannot run");
        assertEquals(List.of("x"), model.graph().defaultSignature().orElseThrow().inputs().stream().map(i -> i.key()).toList());
        BackendException e = assertThrows(BackendException.class, () -> new TensorFlowBackend().open(model, Device.CPU));
        assertEquals(json + ": TF.js layers model with a Lambda layer `lambda_2`: custom Python code cannot run here"
                + " (the rest of the model opens for info and its graph)", e.getMessage());
    }
}
