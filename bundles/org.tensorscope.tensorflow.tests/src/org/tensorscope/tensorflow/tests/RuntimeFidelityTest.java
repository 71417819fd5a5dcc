package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorscope.core.input.Npy;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.run.NanTracer;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.tensorflow.internal.TensorFlowBackend;
import org.tensorscope.tensorflow.internal.load.FrozenGraphLoader;

/**
 * The trace runs the model unfused; plain inference lets grappler fuse Conv2D+BiasAdd+Relu. The
 * trace must compare both and say what the optimised runtime did.
 */
class RuntimeFidelityTest {

    @TempDir
    static Path folder;


    /** A trace of the planted model on x, and the NaN a plain run of it (through the session's own fetch) outputs. */
    private record Traced(NanReport report, long plainNan) {
    }

    private static Traced trace(float... x) throws Exception {
        Path model = PlantedModels.write(folder, "conv_bias_relu", PlantedModels::convBiasRelu);
        Path input = folder.resolve("x-" + System.nanoTime() + ".npy");
        Npy.write(TensorData.ofFloats("x", Shape.of(1, 2, 2, 1), x), input);
        try (LoadedModel loaded = new FrozenGraphLoader().load(model, new NullProgressMonitor());
                InferenceSession session = new TensorFlowBackend().open(loaded, Device.CPU)) {
            var signature = loaded.graph().defaultSignature().orElseThrow();
            PreparedInputs prepared = PreparedInputs.prepare(signature, List.of("x=" + input));
            NanReport report = new NanTracer(List.of()).trace(loaded.graph(), signature, session, prepared, Map.of(),
                    HealthMode.FULL, "cpu", new NullProgressMonitor()).report();
            TensorData plain = session.fetch(prepared.feeds(), List.of("out:0"), Map.of(), new NullProgressMonitor())
                    .get("out:0");
            long nan = 0;
            for (long i = 0; i < plain.size(); i++) {
                nan += Double.isNaN(plain.getDouble(i)) ? 1 : 0;
            }
            return new Traced(report, nan);
        }
    }

    @Test
    void aHealthyRunAgreesWithPlainInference() throws Exception {
        NanReport r = trace(1f, -3f, 0.5f, 2f).report();
        assertTrue(r.finite());
        assertTrue(r.fidelity().agree(), r.fidelity().explanation());
        assertEquals(List.of(), r.fidelity().rewrites(), "rewrites are read only when the runs disagree");
        assertEquals(0.0, r.fidelity().outputs().get(0).maxDifference(), 1e-6);
    }

    /**
     * What the fused kernel's Relu makes of NaN depends on the CPU's kernels: oneDNN's AVX-512 ones map it to 0, its
     * AVX2 ones keep it. Either way the report must say what the plain run, made here on its own, gave.
     */
    @Test
    void nanThroughTheFusedReluIsComparedWithTheTracedRun() throws Exception {
        Traced traced = trace(Float.NaN, -3f, 0.5f, 2f);
        NanReport r = traced.report();
        assertFalse(r.finite());
        assertEquals("x", r.origin().op());
        NanReport.OutputComparison out = r.fidelity().outputs().get(0);
        assertEquals("out:0", out.tensor());
        assertEquals(1, out.tracedNan(), "the unfused Relu keeps the NaN");
        assertEquals(traced.plainNan(), out.plainNan(), "NaN in the plain run's output");
        if (traced.plainNan() == 1) {
            assertTrue(r.fidelity().agree(), "the fused kernel keeps the NaN too: " + r.fidelity().explanation());
            assertEquals(List.of(), r.fidelity().rewrites(), "rewrites are read only when the runs disagree");
            return;
        }
        assertEquals(0, traced.plainNan(), "the fused kernel's Relu maps NaN to 0");
        assertFalse(r.fidelity().agree());
        // TensorFlow's CPU build names its kernel _FusedConv2D or, with oneDNN, _MklNativeFusedConv2D
        assertTrue(r.fidelity().rewrites().stream().anyMatch(
                t -> t.matches("_(MklNative)?FusedConv2D at relu fuses Conv2D\\+BiasAdd\\+Relu")), r.fidelity().rewrites().toString());
        assertTrue(r.fidelity().explanation().matches("The optimised runtime fuses Conv2D\\+BiasAdd\\+Relu at relu "
                + "\\(_(MklNative)?FusedConv2D\\)[^;]*; a fused kernel's activation maps NaN to a number \\(Relu gives 0\\), so "
                + "output out:0 holds 0 NaN/Inf \\(0 NaN\\) in the optimised run instead of 1 \\(1 NaN\\) in the traced run\\..*"),
                r.fidelity().explanation());
    }
}
