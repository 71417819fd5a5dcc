package org.tensorscope.onnx.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.run.NanTracer;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.RuntimeRewrite;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.onnx.internal.OnnxBackend;
import org.tensorscope.onnx.internal.OnnxModel;
import org.tensorscope.onnx.internal.load.OnnxModelLoader;

/**
 * A plain run of an ONNX model is ONNX Runtime's default, optimised one (the user's runtime), and a trace compares
 * its own run, every op as written, with it. ONNX Runtime fuses a scaling Mul before a MatMul into one FusedMatMul
 * that scales the products' sum instead of an input: on inputs near float32's largest value the sum overflows to
 * +Inf there, while the file's ops, scaling first, give 6e28.
 */
class OnnxRuntimeFidelityTest {

    @TempDir
    Path folder;

    private Path scaledMatMul() throws Exception {
        return new TinyOnnxModels().typedInput("x", TinyOnnxModels.FLOAT, 1, 2)
                .scalarInitializer("s", 1e-10f)
                .initializer("w", new long[] { 2, 1 }, 1f, 1f)
                .node("scale", "Mul", List.of("x", "s"), "xs")
                .node("mm", "MatMul", List.of("xs", "w"), "y")
                .typedOutput("y", TinyOnnxModels.FLOAT, 1, 1).write(folder, "scaled_matmul");
    }

    private static Map<String, TensorData> feeds(float... x) {
        return Map.of("x:0", TensorData.ofFloats("x:0", Shape.of(1, 2), x));
    }

    @Test
    void aPlainRunIsOptimisedAndATracedFetchIsNot() throws Exception {
        try (OnnxModel loaded = new OnnxModelLoader().load(scaledMatMul(), new NullProgressMonitor());
                InferenceSession session = new OnnxBackend().open(loaded, Device.CPU)) {
            String y = loaded.graph().defaultSignature().orElseThrow().outputs().get(0).tensor().name();
            Map<String, TensorData> feeds = feeds(3e38f, 3e38f);
            double plain = session.fetch(feeds, List.of(y), Map.of(), new NullProgressMonitor()).get(y).getDouble(0);
            double traced = session.fetchAsTraced(feeds, List.of(y), Map.of(), new NullProgressMonitor()).get(y)
                    .getDouble(0);
            assertEquals(Double.POSITIVE_INFINITY, plain, "the fused kernel's sum overflows");
            assertEquals(6e28, traced, 6e28 * 1e-6, "the file's ops scale first");
            // a plain run that also asks for the scaled input makes it an output: ONNX Runtime keeps the Mul for it
            // and still runs the fused kernel for y, so the plain run's y is +Inf there too
            String xs = loaded.graph().ops().stream().filter(o -> o.name().equals("scale")).findFirst().orElseThrow()
                    .outputs().get(0).name();
            Map<String, TensorData> both = session.fetch(feeds, List.of(y, xs), Map.of(), new NullProgressMonitor());
            assertEquals(3e28, both.get(xs).getDouble(0), 3e28 * 1e-6);
            assertEquals(Double.POSITIVE_INFINITY, both.get(y).getDouble(0));
            assertEquals(6e28, session.fetchAsTraced(feeds, List.of(y, xs), Map.of(), new NullProgressMonitor()).get(y)
                    .getDouble(0), 6e28 * 1e-6);
            // weights and fed values are answered without a run
            assertEquals(3e38, session.fetch(feeds, List.of("x:0"), Map.of(), new NullProgressMonitor()).get("x:0")
                    .getDouble(0), 3e38 * 1e-6);
        }
    }

    @Test
    void aTraceSaysWhereTheOptimisedRuntimeComputesOtherwise() throws Exception {
        NanReport report = trace(scaledMatMul(), "x=const:3e38@1x2");
        NanReport.Fidelity fidelity = report.fidelity();
        assertNotNull(fidelity);
        assertFalse(fidelity.agree());
        NanReport.OutputComparison output = fidelity.outputs().get(0);
        assertEquals(0, output.tracedNonFinite());
        assertEquals(1, output.plainNonFinite());
        assertTrue(fidelity.explanation().startsWith("The optimised runtime fuses Mul+MatMul at mm "
                + "(com.microsoft.FusedMatMul)"), fidelity.explanation());
        assertEquals(List.of("com.microsoft.FusedMatMul at mm fuses Mul+MatMul"), fidelity.rewrites());
    }

    @Test
    void whereTheRuntimeComputesTheSameTheTraceSaysSo() throws Exception {
        NanReport.Fidelity fidelity = trace(scaledMatMul(), "x=const:2@1x2").fidelity();
        assertNotNull(fidelity);
        assertTrue(fidelity.agree(), fidelity.explanation());
        assertEquals(0, fidelity.outputs().get(0).plainNonFinite());
    }

    /** ONNX Runtime fuses the nine ops of a layer normalisation into one LayerNormalization kernel. */
    @Test
    void theRewritesNameEveryOpAFusedKernelReplaces() throws Exception {
        Path model = new TinyOnnxModels().typedInput("x", TinyOnnxModels.FLOAT, 1, 4)
                .scalarInitializer("two", 2f).scalarInitializer("eps", 1e-5f)
                .initializer("gamma", new long[] { 4 }, 1f, 1f, 1f, 1f)
                .initializer("beta", new long[] { 4 }, 0f, 0f, 0f, 0f)
                .node("mean", "ReduceMean", List.of("x"), List.of("m"), TinyOnnxModels.Attribute.ints("axes", -1))
                .node("sub", "Sub", List.of("x", "m"), "d")
                .node("pow", "Pow", List.of("d", "two"), "p")
                .node("var", "ReduceMean", List.of("p"), List.of("v"), TinyOnnxModels.Attribute.ints("axes", -1))
                .node("addeps", "Add", List.of("v", "eps"), "ve")
                .node("sqrt", "Sqrt", List.of("ve"), "s")
                .node("div", "Div", List.of("d", "s"), "n")
                .node("mul", "Mul", List.of("n", "gamma"), "g")
                .node("add", "Add", List.of("g", "beta"), "y")
                .typedOutput("y", TinyOnnxModels.FLOAT, 1, 4).write(folder, "layer_norm");
        Path conv = new TinyOnnxModels().typedInput("x", TinyOnnxModels.FLOAT, 1, 2, 2, 2)
                .initializer("w", new long[] { 1, 2, 1, 1 }, 1f, -1f)
                .initializer("b", new long[] { 1 }, 0f)
                .node("conv", "Conv", List.of("x", "w", "b"), "c")
                .node("relu", "Relu", List.of("c"), "y")
                .node("out", "Identity", List.of("y"), "z")
                .typedOutput("z", TinyOnnxModels.FLOAT, 1, 1, 2, 2).write(folder, "conv_relu");
        RuntimeRewrite layerNorm = rewrites(model, Shape.of(1, 4)).get(0);
        assertEquals(List.of("ReduceMean", "Sub", "Pow", "ReduceMean", "Add", "Sqrt", "Div", "Mul", "Add"),
                layerNorm.replaced());
        assertEquals("LayerNormalization", layerNorm.kernel());
        assertEquals("add", layerNorm.op());
        // a blocked-layout convolution (com.microsoft.nchwc) where the processor has the vector width for it, a
        // FusedConv otherwise: either way one kernel with the Relu inside
        List<RuntimeRewrite> convolutions = rewrites(conv, Shape.of(1, 2, 2, 2));
        assertEquals(1, convolutions.size(), convolutions.toString());
        assertEquals(List.of("Conv", "Relu"), convolutions.get(0).replaced());
        assertTrue(convolutions.get(0).kernel().matches(".*Conv with activation Relu"), convolutions.get(0).kernel());
        assertEquals("relu", convolutions.get(0).op());
        // two convolutions in a row, which ONNX Runtime may keep in its blocked layout between them: one rewrite each
        Path chain = new TinyOnnxModels().typedInput("x", TinyOnnxModels.FLOAT, 1, 2, 2, 2)
                .initializer("w1", new long[] { 2, 2, 1, 1 }, 1f, -1f, 0.5f, 2f)
                .initializer("w2", new long[] { 1, 2, 1, 1 }, 1f, -1f)
                .node("conv1", "Conv", List.of("x", "w1"), "c1")
                .node("relu1", "Relu", List.of("c1"), "r1")
                .node("conv2", "Conv", List.of("r1", "w2"), "c2")
                .node("relu2", "Relu", List.of("c2"), "y")
                .typedOutput("y", TinyOnnxModels.FLOAT, 1, 1, 2, 2).write(folder, "conv_chain");
        List<RuntimeRewrite> chained = rewrites(chain, Shape.of(1, 2, 2, 2));
        assertEquals(List.of("relu1", "relu2"), chained.stream().map(RuntimeRewrite::op).toList(), chained.toString());
        chained.forEach(r -> assertEquals(List.of("Conv", "Relu"), r.replaced(), r.toString()));
    }

    /**
     * PaddleOCR's text direction classifier, a MobileNetV3: ONNX Runtime folds each batch normalisation into its
     * convolution and runs each convolution with its activation in one kernel. Each rewrite is one convolution with
     * what it absorbed, never a run of several: the 15 Relu and 9 HardSigmoid that follow a convolution are each in
     * one, and no convolution is in two.
     */
    @Test
    void aRealModelsRewritesAreOneConvolutionEach() throws Exception {
        List<RuntimeRewrite> rewrites = rewrites(OnnxModelLoaderTest.CLASSIFIER, Shape.of(1, 3, 48, 192));
        for (RuntimeRewrite r : rewrites) {
            assertTrue(r.replaced().equals(List.of("MatMul", "Add")) || r.replaced().get(0).equals("Conv")
                    && r.replaced().size() <= 3 && r.replaced().stream().filter("Conv"::equals).count() == 1,
                    r.toString());
        }
        assertEquals(15, rewrites.stream().filter(r -> r.replaced().getLast().equals("Relu")).count(), rewrites.toString());
        assertEquals(9, rewrites.stream().filter(r -> r.replaced().getLast().equals("HardSigmoid")).count());
        assertEquals(rewrites.size(), rewrites.stream().map(RuntimeRewrite::op).distinct().count(), "one rewrite per op");
    }

    private List<RuntimeRewrite> rewrites(Path model, Shape shape) throws Exception {
        try (OnnxModel loaded = new OnnxModelLoader().load(model, new NullProgressMonitor());
                InferenceSession session = new OnnxBackend().open(loaded, Device.CPU)) {
            String x = loaded.graph().defaultSignature().orElseThrow().inputs().get(0).tensor().name();
            List<String> outputs = loaded.graph().defaultSignature().orElseThrow().outputs().stream()
                    .map(t -> t.tensor().name()).toList();
            return session.runtimeRewrites(Map.of(x, TensorData.ofFloats(x, shape, new float[(int) shape.numElements()])),
                    outputs, new NullProgressMonitor());
        }
    }

    private static NanReport trace(Path model, String... inputs) throws Exception {
        try (OnnxModel loaded = new OnnxModelLoader().load(model, new NullProgressMonitor());
                InferenceSession session = new OnnxBackend().open(loaded, Device.CPU)) {
            var signature = loaded.graph().defaultSignature().orElseThrow();
            PreparedInputs prepared = PreparedInputs.prepare(signature, List.of(inputs));
            return new NanTracer(List.of()).trace(loaded.graph(), signature, session, prepared, Map.of(),
                    HealthMode.FULL, "cpu", new NullProgressMonitor()).report();
        }
    }
}
