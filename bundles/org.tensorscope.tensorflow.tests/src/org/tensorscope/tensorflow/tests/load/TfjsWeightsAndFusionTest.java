package org.tensorscope.tensorflow.tests.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorscope.tensorflow.tests.TestModels;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.SignatureTensor;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.tensorflow.internal.JavaCppCache;
import org.tensorscope.tensorflow.internal.TfModel;
import org.tensorscope.tensorflow.internal.load.TfjsGraphModelLoader;

/**
 * A small TF.js graph model written by the test, so that every weight encoding and fused op has a
 * value known by hand: float32 straddling shards, uint8 and uint16 quantization (int32 rounded),
 * float16, fused MatMul + BiasAdd + LeakyRelu and Conv2D + BiasAdd + Prelu, and a standalone Prelu (which the
 * converter writes without attributes, waiting here on a control input).
 */
class TfjsWeightsAndFusionTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void useTheProjectsNativeCache() {
        JavaCppCache.configure();
    }

    @Test
    void weightsAreDequantizedAndReadAcrossShards() throws Exception {
        TfModel model = new TfjsGraphModelLoader().load(writeModel(true), null);
        try (Graph graph = new Graph()) {
            graph.importGraphDef(model.frozenGraph());
            try (Session session = new Session(graph);
                    TFloat32 x = TestModels.vector(new long[] { 3 }, 1, 1, 1);
                    Result r = session.runner().feed("x", x).fetch("y").fetch("q8").fetch("q16").fetch("h").run()) {
                assertArrayEquals(new float[] { 2.5f, -1f, 4.25f }, floats((TFloat32) r.get(0)), "float32 a + 1");
                assertArrayEquals(new float[] { -1f, 4f }, floats((TFloat32) r.get(1)), "uint8: q * 0.5 - 1");
                TInt32 q16 = (TInt32) r.get(2);
                assertArrayEquals(new int[] { 2, 3 }, new int[] { q16.getInt(0), q16.getInt(1) },
                        "uint16 int32: round(q * 0.3)");
                assertArrayEquals(new float[] { 0.5f, -65504f }, floats((TFloat32) r.get(3)), "float16");
            }
        }
    }

    @Test
    void topLevelSignatureIsUsedAndKeysLoseTheirIndex() throws Exception {
        Signature signature = new TfjsGraphModelLoader().load(writeModel(true), null).graph().defaultSignature()
                .orElseThrow();
        assertEquals(List.of("x"), signature.inputs().stream().map(SignatureTensor::key).toList());
        assertEquals(List.of("y"), signature.outputs().stream().map(SignatureTensor::key).toList());
        assertEquals(Shape.of(3), signature.inputs().get(0).tensor().shape());
    }

    @Test
    void withoutSignatureTheInputsArePlaceholdersAndTheOutputsWhatNothingReads() throws Exception {
        ModelGraph graph = new TfjsGraphModelLoader().load(writeModel(false), null).graph();
        Signature signature = graph.defaultSignature().orElseThrow();
        assertEquals(List.of("x", "xm", "xc"), signature.inputs().stream().map(SignatureTensor::key).toList());
        assertEquals(List.of("y", "dense", "prelu", "conv"), signature.outputs().stream().map(SignatureTensor::key).toList());
    }

    @Test
    void fusedMatMulWithLeakyReluComputesTheSameAsTfjs() throws Exception {
        TfModel model = new TfjsGraphModelLoader().load(writeModel(true), null);
        assertEquals("LeakyRelu", model.graph().op("dense").orElseThrow().type());
        assertEquals("0.1", model.graph().op("dense").orElseThrow().attributes().get("alpha"));
        try (TFloat32 xm = TestModels.vector(new long[] { 1, 2 }, 1, -3)) {
            float[] out = TestModels.run(model, Map.of("xm", xm), "dense").get(0);
            assertArrayEquals(new float[] { 1.5f, -0.25f }, out, 1e-6f, "leaky(x W + b), W = I, b = 0.5");
        }
    }

    /** PReLU must keep ±Inf as it is: written as x - relu(x) it would make inf - inf = NaN. */
    @Test
    void fusedConvWithPreluKeepsInfinitiesAndScalesNegatives() throws Exception {
        TfModel model = new TfjsGraphModelLoader().load(writeModel(true), null);
        assertEquals("SelectV2", model.graph().op("conv").orElseThrow().type());
        try (TFloat32 xc = TestModels.vector(new long[] { 4, 1, 1, 1 }, -4, 3, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY)) {
            float[] out = TestModels.run(model, Map.of("xc", xc), "conv").get(0);
            assertArrayEquals(new float[] { -1f, 3f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY }, out);
        }
    }

    /** TF.js's own Prelu op, which TensorFlow has not: x for x > 0, else alpha * x, infinities kept. */
    @Test
    void standalonePreluComputesTheSameAsTfjs() throws Exception {
        TfModel model = new TfjsGraphModelLoader().load(writeModel(true), null);
        assertEquals("SelectV2", model.graph().op("prelu").orElseThrow().type());
        try (TFloat32 xc = TestModels.vector(new long[] { 5, 1, 1, 1 }, -4, 3, 0, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY)) {
            float[] out = TestModels.run(model, Map.of("xc", xc), "prelu").get(0);
            assertArrayEquals(new float[] { -1f, 3f, 0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY }, out);
        }
    }

    /** An infinite alpha (a broken weight, or one set in the Inspector) scales only the negatives, as in TF.js. */
    @Test
    void aPreluWithAnInfiniteAlphaLeavesTheRestAlone() throws Exception {
        TfModel model = new TfjsGraphModelLoader().load(writeModel(true, Float.POSITIVE_INFINITY), null);
        try (TFloat32 xc = TestModels.vector(new long[] { 5, 1, 1, 1 }, -4, 3, 0, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY)) {
            float[] out = TestModels.run(model, Map.of("xc", xc), "prelu").get(0);
            assertArrayEquals(new float[] { Float.NEGATIVE_INFINITY, 3f, 0f, Float.POSITIVE_INFINITY,
                    Float.NEGATIVE_INFINITY }, out);
        }
    }

    @Test
    void aPreluWithOneInputIsRefusedNamingTheOp() throws Exception {
        Path model = writeModel(true);
        Files.writeString(model, Files.readString(model).replace("\"input\": [\"xc\", \"alpha\", \"^a\"]",
                "\"input\": [\"xc\"]"));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> new TfjsGraphModelLoader().load(model, null));
        assertTrue(e.getMessage().contains("op prelu (Prelu) has 1 data inputs, fewer than the 2 it needs"),
                e.getMessage());
    }

    private Path writeModel(boolean withSignature) throws Exception {
        return writeModel(withSignature, 0.25f);
    }

    private Path writeModel(boolean withSignature, float alpha) throws Exception {
        // group 1: a (float32, 12 bytes), q8 (2), q16 (4), h (4) = 22 bytes in shards of 5, 10 and 7:
        // a straddles shards 1 and 2, q16 straddles 2 and 3
        ByteBuffer g1 = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
        g1.putFloat(1.5f).putFloat(-2f).putFloat(3.25f);
        g1.put((byte) 0).put((byte) 10);
        g1.putShort((short) 5).putShort((short) 11);
        g1.putShort(Float.floatToFloat16(0.5f)).putShort(Float.floatToFloat16(-65504f));
        byte[] bytes = g1.array();
        Files.write(dir.resolve("s1"), Arrays.copyOfRange(bytes, 0, 5));
        Files.write(dir.resolve("s2"), Arrays.copyOfRange(bytes, 5, 15));
        Files.write(dir.resolve("s3"), Arrays.copyOfRange(bytes, 15, 22));
        // group 2: w [2,2] identity, b [2] = 0.5, filter [1,1,1,1] = 1, cb [1] = 0, alpha [1] = 0.25
        ByteBuffer g2 = ByteBuffer.allocate(36).order(ByteOrder.LITTLE_ENDIAN);
        g2.putFloat(1).putFloat(0).putFloat(0).putFloat(1).putFloat(0.5f).putFloat(0.5f);
        g2.putFloat(1).putFloat(0).putFloat(alpha);
        Files.write(dir.resolve("g2"), g2.array());

        String signature = withSignature ? """
                "signature": {"inputs": {"x:0": {"name": "x:0", "dtype": "DT_FLOAT"}},
                              "outputs": {"y:0": {"name": "y:0", "dtype": "DT_FLOAT"}}},
                """ : "";
        String json = """
                {"format": "graph-model", "generatedBy": "test", "convertedBy": "test",
                 %s
                 "modelTopology": {"node": [
                   {"name": "x", "op": "Placeholder", "attr": {"dtype": {"type": "DT_FLOAT"},
                     "shape": {"shape": {"dim": [{"size": "3"}]}}}},
                   {"name": "a", "op": "Const", "attr": {"dtype": {"type": "DT_FLOAT"},
                     "value": {"tensor": {"dtype": "DT_FLOAT", "tensorShape": {"dim": [{"size": "3"}]}}}}},
                   {"name": "q8", "op": "Const", "attr": {"dtype": {"type": "DT_FLOAT"},
                     "value": {"tensor": {"dtype": "DT_FLOAT", "tensorShape": {"dim": [{"size": "2"}]}}}}},
                   {"name": "q16", "op": "Const", "attr": {"dtype": {"type": "DT_INT32"},
                     "value": {"tensor": {"dtype": "DT_INT32", "tensorShape": {"dim": [{"size": "2"}]}}}}},
                   {"name": "h", "op": "Const", "attr": {"dtype": {"type": "DT_FLOAT"},
                     "value": {"tensor": {"dtype": "DT_FLOAT", "tensorShape": {"dim": [{"size": "2"}]}}}}},
                   {"name": "y", "op": "AddV2", "input": ["x", "a", "^gone"], "attr": {"T": {"type": "DT_FLOAT"}}},
                   {"name": "xm", "op": "Placeholder", "attr": {"dtype": {"type": "DT_FLOAT"},
                     "shape": {"shape": {"dim": [{"size": "1"}, {"size": "2"}]}}}},
                   {"name": "w", "op": "Const", "attr": {"dtype": {"type": "DT_FLOAT"},
                     "value": {"tensor": {"dtype": "DT_FLOAT", "tensorShape": {"dim": [{"size": "2"}, {"size": "2"}]}}}}},
                   {"name": "b", "op": "Const", "attr": {"dtype": {"type": "DT_FLOAT"},
                     "value": {"tensor": {"dtype": "DT_FLOAT", "tensorShape": {"dim": [{"size": "2"}]}}}}},
                   {"name": "dense", "op": "_FusedMatMul", "input": ["xm", "w", "b"], "device": "/device:CPU:0",
                    "attr": {"T": {"type": "DT_FLOAT"}, "transpose_a": {"b": false}, "transpose_b": {"b": false},
                     "num_args": {"i": "1"}, "epsilon": {"f": 0}, "leakyrelu_alpha": {"f": 0.1},
                     "fused_ops": {"list": {"s": ["%s", "%s"]}}}},
                   {"name": "xc", "op": "Placeholder", "attr": {"dtype": {"type": "DT_FLOAT"},
                     "shape": {"shape": {"dim": [{"size": "-1"}, {"size": "1"}, {"size": "1"}, {"size": "1"}]}}}},
                   {"name": "filter", "op": "Const", "attr": {"dtype": {"type": "DT_FLOAT"},
                     "value": {"tensor": {"dtype": "DT_FLOAT", "tensorShape": {"dim": [{"size": "1"}, {"size": "1"}, {"size": "1"}, {"size": "1"}]}}}}},
                   {"name": "cb", "op": "Const", "attr": {"dtype": {"type": "DT_FLOAT"},
                     "value": {"tensor": {"dtype": "DT_FLOAT", "tensorShape": {"dim": [{"size": "1"}]}}}}},
                   {"name": "alpha", "op": "Const", "attr": {"dtype": {"type": "DT_FLOAT"},
                     "value": {"tensor": {"dtype": "DT_FLOAT", "tensorShape": {"dim": [{"size": "1"}]}}}}},
                   {"name": "conv", "op": "_FusedConv2D", "input": ["xc", "filter", "cb", "alpha"],
                    "attr": {"T": {"type": "DT_FLOAT"}, "num_args": {"i": "2"}, "epsilon": {"f": 0},
                     "padding": {"s": "%s"}, "data_format": {"s": "%s"}, "strides": {"list": {"i": ["1", "1", "1", "1"]}},
                     "dilations": {"list": {"i": ["1", "1", "1", "1"]}}, "use_cudnn_on_gpu": {"b": true},
                     "explicit_paddings": {"list": {}}, "fused_ops": {"list": {"s": ["%s", "%s"]}}}},
                   {"name": "prelu", "op": "Prelu", "input": ["xc", "alpha", "^a"]}
                 ], "library": {}, "versions": {"producer": 1}},
                 "weightsManifest": [
                   {"paths": ["s1", "s2", "s3"], "weights": [
                     {"name": "a", "shape": [3], "dtype": "float32"},
                     {"name": "q8", "shape": [2], "dtype": "float32",
                      "quantization": {"dtype": "uint8", "scale": 0.5, "min": -1.0}},
                     {"name": "q16", "shape": [2], "dtype": "int32",
                      "quantization": {"dtype": "uint16", "scale": 0.3, "min": 0.0}},
                     {"name": "h", "shape": [2], "dtype": "float32",
                      "quantization": {"dtype": "float16", "original_dtype": "float32"}}]},
                   {"paths": ["g2"], "weights": [
                     {"name": "w", "shape": [2, 2], "dtype": "float32"},
                     {"name": "b", "shape": [2], "dtype": "float32"},
                     {"name": "filter", "shape": [1, 1, 1, 1], "dtype": "float32"},
                     {"name": "cb", "shape": [1], "dtype": "float32"},
                     {"name": "alpha", "shape": [1], "dtype": "float32"}]}]}
                """.formatted(signature, b64("BiasAdd"), b64("LeakyRelu"), b64("SAME"), b64("NHWC"), b64("BiasAdd"),
                b64("Prelu"));
        Path model = dir.resolve("model.json");
        Files.writeString(model, json);
        assertTrue(new TfjsGraphModelLoader().canLoad(model));
        return model;
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static float[] floats(TFloat32 t) {
        float[] v = new float[(int) t.shape().size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = t.getFloat(i);
        }
        return v;
    }
}
