package org.tensorscope.tensorflow.tests.tflite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tensorscope.tensorflow.tests.tflite.TfliteOperatorsTest.CONV_2D;
import static org.tensorscope.tensorflow.tests.tflite.TfliteOperatorsTest.CONV_OPTIONS;
import static org.tensorscope.tensorflow.tests.tflite.TfliteOperatorsTest.FC_OPTIONS;
import static org.tensorscope.tensorflow.tests.tflite.TfliteOperatorsTest.FULLY_CONNECTED;
import static org.tensorscope.tensorflow.tests.tflite.TfliteOperatorsTest.LOG;
import static org.tensorscope.tensorflow.tests.tflite.TfliteOperatorsTest.RELU6;
import static org.tensorscope.tensorflow.tests.tflite.TfliteOperatorsTest.VALID;
import static org.tensorscope.tensorflow.tests.tflite.TfliteWriter.FLOAT32;
import static org.tensorscope.tensorflow.tests.tflite.TfliteWriter.INT8;
import static org.tensorscope.tensorflow.tests.tflite.TfliteWriter.UINT8;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;
import org.tensorscope.core.analysis.NanOrigin;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.run.NanTracer;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.Contributions;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.core.service.NanCauseRule;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.tensorflow.internal.TensorFlowBackend;
import org.tensorscope.tensorflow.internal.tflite.TfliteLoader;
import org.tensorscope.tensorflow.tests.tflite.TfliteWriter.Field;

/**
 * What the TFLite loader tells a user: NaN origins on the TFLite tensor's name, fused activations
 * watched on their own, SignatureDefs, custom operators, integer-quantized models, broken files.
 */
class TfliteLoaderTest {

    @TempDir
    Path folder;

    /** RELU6 fused into a convolution turns an overflow into 6: the trace still finds the Conv2D that overflowed. */
    @Test
    void anInfinityTheFusedActivationHidesIsFoundInTheConvolution() throws Exception {
        TfliteWriter w = new TfliteWriter();
        int x = w.tensor("x", FLOAT32, 1, 1, 2, 1);
        int f = w.constant("filter", new int[] { 1, 1, 1, 1 }, 1000);
        int b = w.constant("bias", new int[] { 1 }, 0);
        int y = w.tensor("model/conv/Relu6;model/conv/BiasAdd", FLOAT32, 1, 1, 2, 1);
        w.op(CONV_2D, new int[] { x, f, b }, new int[] { y }, CONV_OPTIONS, Field.i8(0, VALID), Field.i32(1, 1),
                Field.i32(2, 1), Field.i8(3, RELU6), Field.i32(4, 1), Field.i32(5, 1));
        w.io(new int[] { x }, new int[] { y });
        try (LoadedModel model = load(w, "conv.tflite");
                InferenceSession session = new TensorFlowBackend().open(model, Device.CPU)) {
            assertEquals(List.of("model/conv/Relu6/Conv2D (Conv2D)", "model/conv/Relu6/BiasAdd (BiasAdd)",
                    "model/conv/Relu6 (Relu6)"), model.graph().ops().stream()
                            .filter(op -> op.name().startsWith("model/conv/Relu6") && !op.name().contains("/filter"))
                            .map(op -> op.name() + " (" + op.type() + ")").toList());
            NanReport report = trace(model, session, "ramp*1e38");
            assertFalse(report.finite(), "the output is clipped to 6, the convolution is not");
            assertEquals("model/conv/Relu6/Conv2D", report.origin().op());
            assertEquals(NanOrigin.Kind.COMPUTATION, report.origin().kind());
        }
    }

    @Test
    void aNanOriginIsNamedAfterTheTfliteTensor() throws Exception {
        TfliteWriter w = new TfliteWriter();
        int x = w.tensor("x", FLOAT32, 1, 4);
        int c = w.constant("offset", new int[] { 4 }, -1, -1, -1, -1);
        int shifted = w.tensor("model/shift/add", FLOAT32, 1, 4);
        int y = w.tensor("model/log/Log", FLOAT32, 1, 4);
        w.op(TfliteOperatorsTest.ADD, new int[] { x, c }, new int[] { shifted }, TfliteOperatorsTest.ADD_OPTIONS,
                Field.i8(0, 0));
        w.op(LOG, new int[] { shifted }, new int[] { y }, 0);
        w.io(new int[] { x }, new int[] { y });
        try (LoadedModel model = load(w, "log.tflite");
                InferenceSession session = new TensorFlowBackend().open(model, Device.CPU)) {
            NanReport report = trace(model, session, "ramp");
            assertEquals("model/log/Log", report.origin().op());
            assertEquals("Log", report.origin().type());
            assertTrue(report.origin().cause().description().toLowerCase().contains("log"), report.origin().cause().description());
        }
    }

    @Test
    void signatureDefsNameTheInputsAndOutputs() throws Exception {
        TfliteWriter w = new TfliteWriter();
        int x = w.tensor("serving_default_pixels:0", FLOAT32, 1, 2);
        int y = w.tensor("StatefulPartitionedCall:0", FLOAT32, 1, 2);
        w.op(TfliteOperatorsTest.LOGISTIC, new int[] { x }, new int[] { y }, 0);
        w.io(new int[] { x }, new int[] { y });
        w.signature("classify", new String[] { "pixels" }, new int[] { x }, new String[] { "score" }, new int[] { y });
        try (LoadedModel model = load(w, "signature.tflite")) {
            Signature signature = model.graph().signatures().get(0);
            assertEquals(1, model.graph().signatures().size());
            assertEquals("classify", signature.key());
            assertEquals("pixels", signature.inputs().get(0).key());
            assertEquals("serving_default_pixels_0:0", signature.inputs().get(0).tensor().name());
            assertEquals("score", signature.outputs().get(0).key());
            assertEquals("StatefulPartitionedCall_0:0", signature.outputs().get(0).tensor().name());
        }
    }

    @Test
    void aCustomOperatorIsNamedAndTheGraphStillOpens() throws Exception {
        TfliteWriter w = new TfliteWriter();
        int x = w.tensor("x", FLOAT32, 1, 4, 4, 1);
        int pooled = w.tensor("pooled", FLOAT32, 1, 2, 2, 1);
        int argmax = w.tensor("argmax", FLOAT32, 1, 2, 2, 1);
        int y = w.tensor("y", FLOAT32, 1, 2, 2, 1);
        w.custom("MaxPoolingWithArgmax2D", new int[] { x }, new int[] { pooled, argmax });
        w.op(TfliteOperatorsTest.LOGISTIC, new int[] { pooled }, new int[] { y }, 0);
        w.io(new int[] { x }, new int[] { y });
        try (LoadedModel model = load(w, "custom.tflite");
                InferenceSession session = new TensorFlowBackend().open(model, Device.CPU)) {
            assertEquals("TFLite flatbuffer (cannot run custom op 'MaxPoolingWithArgmax2D' (pooled); info and graph only "
                    + "for what depends on them)", model.graph().format());
            assertEquals("Sigmoid", model.graph().op("y").orElseThrow().type());
            Signature signature = model.graph().defaultSignature().orElseThrow();
            BackendException e = assertThrows(BackendException.class, () -> session.fetch(
                    Map.of("x:0", TensorData.ofFloats("x:0", Shape.of(1, 4, 4, 1), new float[16])), List.of("y:0"),
                    Map.of(), new NullProgressMonitor()));
            assertTrue(e.getMessage().endsWith(": custom op MaxPoolingWithArgmax2D (pooled) cannot run here: it has no "
                    + "TensorFlow equivalent"), e.getMessage());
            assertFalse(e.getMessage().contains("assertion failed"), "TensorFlow's frame of the words: " + e.getMessage());
            assertEquals("x", signature.inputs().get(0).key());
        }
    }

    /**
     * uint8 input (scale 0.5, zero point 128), int8 weights with a scale per output channel, int8
     * output: run in float on the real values, q=[130, 124] is x=[1, -2], W=[[1, 2], [1, -1]].
     */
    @Test
    void anIntegerQuantizedModelRunsDequantizedAndSaysSo() throws Exception {
        TfliteWriter w = new TfliteWriter();
        int x = w.quantized("x", UINT8, 0.5f, 128, 1, 2);
        int weights = w.constantInt8("weights", new int[] { 2, 2 }, new float[] { 0.1f, 0.2f }, new long[] { 0, 0 },
                (byte) 10, (byte) 20, (byte) 5, (byte) -5);
        int y = w.quantized("y", INT8, 0.25f, 0, 1, 2);
        w.op(FULLY_CONNECTED, new int[] { x, weights, -1 }, new int[] { y }, FC_OPTIONS, Field.i8(0, 0));
        w.io(new int[] { x }, new int[] { y });
        try (LoadedModel model = load(w, "quantized.tflite");
                InferenceSession session = new TensorFlowBackend().open(model, Device.CPU)) {
            assertEquals("TFLite flatbuffer (integer-quantized: run dequantized, so values are float approximations of "
                    + "what TFLite's integer kernels compute)", model.graph().format());
            Signature signature = model.graph().defaultSignature().orElseThrow();
            assertEquals(DType.UINT8, signature.inputs().get(0).tensor().dtype(), "the model's own input type is fed");
            ByteBuffer q = ByteBuffer.wrap(new byte[] { (byte) 130, (byte) 124 });
            Map<String, TensorData> out = session.fetch(Map.of("x:0", new TensorData("x:0", DType.UINT8, Shape.of(1, 2), q)),
                    List.of("y:0"), Map.of(), new NullProgressMonitor());
            assertArrayEquals(new float[] { -3, 3 }, TfliteOperatorsTest.values(out.get("y:0")), 1e-5f);
        }
    }

    @Test
    void brokenFilesGetOneLineNamingTheFile() throws Exception {
        byte[] real = Files.readAllBytes(Path.of("../../testdata/tflite/face_detection_short_range.tflite"));
        List<Path> broken = new ArrayList<>();
        broken.add(Files.write(folder.resolve("truncated.tflite"), java.util.Arrays.copyOf(real, 4096)));
        broken.add(Files.write(folder.resolve("half.tflite"), java.util.Arrays.copyOf(real, real.length / 2)));
        byte[] garbage = new byte[2048];
        new java.util.Random(7).nextBytes(garbage);
        System.arraycopy("TFL3".getBytes(), 0, garbage, 4, 4);
        broken.add(Files.write(folder.resolve("garbage.tflite"), garbage));
        for (Path file : broken) {
            ModelLoadException e = assertThrows(ModelLoadException.class,
                    () -> new TfliteLoader().load(file, new NullProgressMonitor()).close(), file.toString());
            assertTrue(e.getMessage().startsWith(file + ": the TFLite flatbuffer cannot be read (truncated or corrupt?): "),
                    e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
        Path notTflite = Files.writeString(folder.resolve("model.tflite"), "this is a text file, not a model");
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> new TfliteLoader().load(notTflite, new NullProgressMonitor()).close());
        assertEquals(notTflite + ": not a TFLite flatbuffer: its file identifier is not TFL3", e.getMessage());
    }

    /** Every byte of a real model flipped in turn within its first kilobytes: each load ends, loaded or refused in one line. */
    @Test
    void flippedBytesNeverEscapeAsAnythingButAOneLineRefusal() throws Exception {
        byte[] real = Files.readAllBytes(Path.of("../../testdata/tflite/face_detection_short_range.tflite"));
        Path file = folder.resolve("flipped.tflite");
        int refused = 0;
        for (int i = 0; i < 600; i += 3) {
            byte[] copy = real.clone();
            copy[i] ^= (byte) 0xA5;
            Files.write(file, copy);
            try (LoadedModel model = new TfliteLoader().load(file, new NullProgressMonitor())) {
                assertFalse(model.graph().ops().isEmpty());
            } catch (ModelLoadException e) {
                refused++;
                assertTrue(e.getMessage().startsWith(file + ": ") && !e.getMessage().contains("\n"), e.getMessage());
            }
        }
        assertTrue(refused > 0, "some flipped bytes break the file");
    }

    @Test
    void theLoaderIsAServiceForTfliteFiles() throws Exception {
        TfliteWriter w = new TfliteWriter();
        int x = w.tensor("x", FLOAT32, 1, 2);
        int y = w.tensor("y", FLOAT32, 1, 2);
        w.op(TfliteOperatorsTest.TANH, new int[] { x }, new int[] { y }, 0);
        w.io(new int[] { x }, new int[] { y });
        Path file = Files.write(folder.resolve("model.bin"), w.bytes());
        try (Contributions contributions = new Contributions(FrameworkUtil.getBundle(getClass()).getBundleContext())) {
            assertTrue(contributions.filePatterns().contains("*.tflite"), contributions.filePatterns().toString());
            try (LoadedModel model = contributions.open(file, new NullProgressMonitor())) {
                assertEquals("TFLite flatbuffer", model.graph().format(), "recognised by its identifier, whatever its name");
            }
        }
    }

    private LoadedModel load(TfliteWriter writer, String name) throws Exception {
        return new TfliteLoader().load(Files.write(folder.resolve(name), writer.bytes()), new NullProgressMonitor());
    }

    private static NanReport trace(LoadedModel model, InferenceSession session, String input) throws Exception {
        Signature signature = model.graph().defaultSignature().orElseThrow();
        ServiceTracker<NanCauseRule, NanCauseRule> rules = new ServiceTracker<>(
                FrameworkUtil.getBundle(NanCauseRule.class).getBundleContext(), NanCauseRule.class, null);
        rules.open();
        try {
            rules.waitForService(20_000);
            return new NanTracer(Contributions.ranked(rules)).trace(model.graph(), signature, session,
                    PreparedInputs.prepare(signature, List.of(input)), Map.of(), HealthMode.FULL, "cpu",
                    new NullProgressMonitor()).report();
        } finally {
            rules.close();
        }
    }
}
