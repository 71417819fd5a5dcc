package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorscope.core.input.Npy;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.report.CoverageText;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.run.TraceOutcome;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.core.trace.TensorHealth;
import org.tensorscope.core.trace.Trace;
import org.tensorscope.tensorflow.internal.TensorFlowBackend;
import org.tensorscope.tensorflow.internal.load.FrozenGraphLoader;

/**
 * A CURT trace counts NaN and ±Inf only where they start and in the first few non-finite tensors; the others
 * are marked with the kinds they hold. On a model where Inf floods many tensors, the report must still name
 * the origins, their causes and values, the first NaN (found in a tensor that was not counted), and say which
 * rows were not counted, without ever calling such a row finite.
 */
class CurtCountsTest {

    @TempDir
    static Path folder;

    /** Tensors the follow-up counts besides the origins (TfSession.FIRST_COUNTED). */
    private static final int FIRST_COUNTED = 8;
    private static final int SUMS = 10;

    /**
     * big = x * 1e30 overflows where x = 1e9 (3 of 16 values): the origin. s1..s10 = s(k-1) + 1 carry the Inf;
     * nan = s10 - big is the first NaN (Inf - Inf), far past the first tensors counted; lg = log(float(isnan(nan))
     * - 2) = log(-1) turns a finite input into NaN on its own: a second, independent origin; out = nan + lg.
     */
    private static void flood(Ops tf) {
        Operand<TFloat32> nan = PlantedModels.infCarriedToNan(tf, 1e30f, SUMS);
        Operand<TFloat32> flag = tf.withName("flag").dtypes.cast(tf.math.isNan(nan), TFloat32.class);
        Operand<TFloat32> lg = tf.withName("lg").math.log(tf.withName("shift").math.sub(flag, tf.constant(2f)));
        tf.withName("out").math.add(nan, lg);
    }

    private static TraceOutcome trace(HealthMode mode) throws Exception {
        Path model = PlantedModels.write(folder, "flood", CurtCountsTest::flood);
        float[] values = new float[16];
        java.util.Arrays.fill(values, 1f);
        values[2] = 1e9f;
        values[7] = 1e9f;
        values[11] = 1e9f;
        Path x = folder.resolve("x-" + mode + ".npy");
        Npy.write(TensorData.ofFloats("x", Shape.of(16), values), x);
        try (LoadedModel loaded = new FrozenGraphLoader().load(model, new NullProgressMonitor());
                var session = new TensorFlowBackend().open(loaded, Device.CPU)) {
            return Tracing.trace(loaded, session, List.of("x=" + x), mode);
        }
    }

    @Test
    void curtTraceNamesOriginsAndFirstNanAndSaysWhatItDidNotCount() throws Exception {
        TraceOutcome outcome = trace(HealthMode.CURT);
        NanReport report = outcome.report();
        Trace trace = outcome.trace();
        assertFalse(report.finite());

        NanReport.Origin origin = report.origin();
        assertEquals("big", origin.op());
        assertEquals("overflow", origin.cause().rule(), origin.cause().toString());
        assertTrue(origin.cause().offendingValues().stream().anyMatch(v -> v.input() == 0 && v.value() == 1e9f),
                origin.cause().offendingValues().toString());
        assertEquals("big", origin.firstInfOp());
        assertEquals("nan", origin.firstNanOp(), "found from the kinds marked, though nan:0 was not counted");

        TensorHealth big = trace.row("big:0").orElseThrow();
        assertTrue(big.isCounted());
        assertEquals(3, big.posInfCount());
        assertEquals(0, big.nanCount());

        // the first flagged tensors are counted; past them, rows hold the kinds but not the counts
        assertEquals(3, trace.row("s" + (FIRST_COUNTED - 1) + ":0").orElseThrow().posInfCount());
        TensorHealth last = trace.row("s" + SUMS + ":0").orElseThrow();
        assertFalse(last.isCounted());
        assertFalse(last.isFinite(), "a flagged row is never finite");
        assertEquals(TensorHealth.NOT_COUNTED, last.posInfCount());
        assertEquals(0, last.negInfCount());
        assertEquals(0, last.nanCount());
        TensorHealth nan = trace.row("nan:0").orElseThrow();
        assertFalse(nan.isCounted());
        assertTrue(nan.hasNan());
        assertFalse(nan.hasInf(), "Inf - Inf leaves NaN only: " + nan);
        assertTrue(trace.row("flag:0").orElseThrow().isFinite());

        // the second origin is counted and explained on its own
        assertEquals(2, report.origins().size(), report.origins().toString());
        NanReport.Origin lg = report.origins().get(1);
        assertEquals("lg", lg.op());
        assertEquals("log-of-non-positive", lg.cause().rule());
        assertEquals(16, trace.row("lg:0").orElseThrow().nanCount());
        assertTrue(report.propagation().containsAll(List.of("s1", "s" + SUMS, "nan", "out")), report.propagation().toString());

        // which rows were not counted: s8, s9, s10, nan and out, said in the verdict and in the report's rows
        List<String> notCounted = report.ops().stream().filter(CoverageText::notCounted).map(NanReport.OpHealth::tensor)
                .toList();
        assertEquals(List.of("s8:0", "s9:0", "s10:0", "nan:0", "out:0"), notCounted);
        long nonFinite = 1 + SUMS + 1 + 1 + 1;
        assertTrue(CoverageText.verdict(report).startsWith(report.checked() + " checked, " + nonFinite
                + " non-finite (5 of them not counted"), CoverageText.verdict(report));
        assertTrue(report.unchecked().isEmpty(), report.unchecked().toString());
    }

    @Test
    void fullTraceCountsEveryTensorAndComputesTheStatisticsOfItsFiniteValues() throws Exception {
        TraceOutcome outcome = trace(HealthMode.FULL);
        Trace trace = outcome.trace();
        assertEquals("big", outcome.report().origin().op());
        assertEquals("nan", outcome.report().origin().firstNanOp());
        assertTrue(trace.rows().stream().allMatch(TensorHealth::isCounted));
        assertEquals(3, trace.row("s" + SUMS + ":0").orElseThrow().posInfCount());
        TensorHealth big = trace.row("big:0").orElseThrow();
        assertEquals(1e30, big.max(), 1e24, "over the 13 finite values");
        assertEquals(1e30, big.min(), 1e24);
        TensorHealth nan = trace.row("nan:0").orElseThrow();
        assertEquals(3, nan.nanCount());
        assertEquals(0, nan.max(), 1e24, "the first NaN is shown: its finite values are 1e30 - 1e30");
        TensorHealth last = trace.row("s" + SUMS + ":0").orElseThrow();
        assertEquals(13, last.elements() - last.posInfCount(), "13 finite values: " + last);
        assertEquals(1e30, last.max(), 1e24, "read from its values, a tensor the report does not show has its"
                + " statistics over its finite values too: " + last);
        assertEquals(1e30, last.mean(), 1e24);
        assertEquals(0, last.std(), 1e24);
    }
}
