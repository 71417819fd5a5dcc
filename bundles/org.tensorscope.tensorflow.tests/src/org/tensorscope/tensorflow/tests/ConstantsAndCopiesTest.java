package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorscope.core.analysis.NanOrigin;
import org.tensorscope.core.input.Npy;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.run.TraceOutcome;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.core.trace.TensorHealth;
import org.tensorscope.core.trace.Trace;
import org.tensorscope.tensorflow.internal.TensorFlowBackend;
import org.tensorscope.tensorflow.internal.load.FrozenGraphLoader;
import org.tensorscope.tensorflow.internal.run.TfSession;

/**
 * Constants are checked once per session, and a copy of another tensor's values (Reshape, Identity, Squeeze) takes
 * that tensor's row: no probe reads either on a run. The trace must still find a NaN in a constant (as the origin,
 * kind weights), carry a NaN or Inf through a copy with its counts, say which rows no probe read, and probe a part
 * of a tensor (Slice), which need not hold its input's NaN.
 */
class ConstantsAndCopiesTest {

    @TempDir
    static Path folder;

    /**
     * w = [0.5, NaN, 2, 1] (a constant); scaled = x * w; big = x * 1e30; flat = reshape(big, [2, 2]);
     * same = identity(flat); squeezed = squeeze(expand_dims(same, 0)); lg = log(x - 2) (NaN where x < 2);
     * part = slice(lg, [2], [2]), which leaves out lg's NaN when only x[0], x[1] < 2;
     * out = reshape(squeezed, [4]) + scaled + part * 0 (sum of all).
     */
    private static void model(Ops tf) {
        Operand<TFloat32> x = PlantedModels.x(tf);
        Operand<TFloat32> w = tf.withName("w").constant(new float[] { 0.5f, Float.NaN, 2f, 1f });
        Operand<TFloat32> scaled = tf.withName("scaled").math.mul(x, w);
        Operand<TFloat32> big = tf.withName("big").math.mul(x, tf.constant(1e30f));
        Operand<TFloat32> flat = tf.withName("flat").reshape(big, tf.constant(new int[] { 2, 2 }));
        Operand<TFloat32> same = tf.withName("same").identity(flat);
        Operand<TFloat32> expanded = tf.withName("expanded").expandDims(same, tf.constant(0));
        Operand<TFloat32> squeezed = tf.withName("squeezed").squeeze(expanded);
        Operand<TFloat32> back = tf.withName("back").reshape(squeezed, tf.constant(new int[] { 4 }));
        Operand<TFloat32> lg = tf.withName("lg").math.log(tf.withName("shift").math.sub(x, tf.constant(2f)));
        Operand<TFloat32> part = tf.withName("part").slice(lg, tf.constant(new int[] { 2 }), tf.constant(new int[] { 2 }));
        Operand<TFloat32> zeroed = tf.withName("zeroed").math.mul(part, tf.constant(0f));
        tf.withName("out").math.add(tf.withName("sum").math.add(back, scaled), tf.withName("pad").concat(
                List.of(tf.constant(new float[] { 0f, 0f }), zeroed), tf.constant(0)));
    }

    private static final List<String> COPIES = List.of("flat:0", "same:0", "expanded:0", "squeezed:0", "back:0");

    private static String input(String name, float... values) throws Exception {
        Path file = folder.resolve(name + ".npy");
        Npy.write(TensorData.ofFloats("x", Shape.of(values.length), values), file);
        return "x=" + file;
    }

    @Test
    void aNanConstantIsTheOriginThoughNoRunProbesIt() throws Exception {
        Path file = PlantedModels.write(folder, "constants", ConstantsAndCopiesTest::model);
        // x = 1e9 at 3 overflows big; x < 2 at 0 and 1 makes lg NaN there, outside part
        String x = input("x", 1f, 1f, 3f, 1e9f);
        try (LoadedModel loaded = new FrozenGraphLoader().load(file, new NullProgressMonitor());
                TfSession session = (TfSession) new TensorFlowBackend().open(loaded, Device.CPU)) {
            for (HealthMode mode : List.of(HealthMode.CURT, HealthMode.FULL, HealthMode.CURT)) {
                TraceOutcome outcome = Tracing.trace(loaded, session, List.of(x), mode);
                Trace trace = outcome.trace();
                NanReport report = outcome.report();
                List<String> probed = session.lastPassProbed();

                assertEquals("w", report.origin().op(), mode + ": " + report.origin());
                assertEquals(NanOrigin.Kind.WEIGHTS, report.origin().kind());
                assertEquals("weights-not-finite", report.origin().cause().rule());
                TensorHealth w = trace.row("w:0").orElseThrow();
                assertEquals(1, w.nanCount(), "a constant's NaN is counted: " + w);
                assertFalse(probed.contains("w:0"), mode + ": no probe reads the constant on a run: " + probed);
                assertTrue(trace.notProbed().get("w:0").startsWith("a constant"), trace.notProbed().toString());
                if (mode == HealthMode.FULL) {
                    assertEquals(0.5, w.min(), 0, "the finite values' statistics: " + w);
                    assertEquals(2, w.max(), 0);
                }

                // the copies carry big's Inf, counted, and are neither origins nor probed
                TensorHealth big = trace.row("big:0").orElseThrow();
                assertEquals(1, big.posInfCount(), big.toString());
                for (String copy : COPIES) {
                    TensorHealth row = trace.row(copy).orElseThrow();
                    assertEquals(1, row.posInfCount(), copy + ": " + row);
                    assertEquals(big.elements(), row.elements(), copy);
                    assertEquals(big.max(), row.max(), 0, copy);
                    assertFalse(probed.contains(copy), copy + " is not probed: " + probed);
                    assertTrue(trace.notProbed().get(copy).startsWith("holds the values of"), copy);
                }
                assertEquals("holds the values of flat:0 (Identity): its row is that tensor's",
                        trace.notProbed().get("same:0"));
                assertTrue(report.origins().stream().anyMatch(o -> o.op().equals("big")), report.origins().toString());
                assertTrue(report.origins().stream().noneMatch(o -> List.of("flat", "same", "back").contains(o.op())));

                // a slice is a part of its input: probed, and finite where its input is not
                assertTrue(probed.contains("part:0"), probed.toString());
                assertEquals(2, trace.row("lg:0").orElseThrow().nanCount(), trace.row("lg:0").toString());
                assertTrue(trace.row("part:0").orElseThrow().isFinite(), trace.row("part:0").toString());
                assertTrue(trace.isComplete(), trace.unchecked().toString());
            }
        }
    }

    /** The rows the session knows without probing are the rows probes read when every tensor is probed. */
    @Test
    void rowsKnownWithoutProbesEqualProbedRows() throws Exception {
        Path file = PlantedModels.write(folder, "compare", ConstantsAndCopiesTest::model);
        for (String x : List.of(input("healthy", 3f, 4f, 5f, 6f), input("sick", 1f, 1f, 3f, 1e9f))) {
            try (LoadedModel loaded = new FrozenGraphLoader().load(file, new NullProgressMonitor());
                    TfSession session = (TfSession) new TensorFlowBackend().open(loaded, Device.CPU)) {
                var signature = loaded.graph().defaultSignature().orElseThrow();
                Map<String, TensorData> feeds = PreparedInputs.prepare(signature, List.of(x)).feeds();
                for (HealthMode mode : HealthMode.values()) {
                    session.probeEveryTensorEachRun(true);
                    Trace all = session.healthPass(feeds, List.of("out:0"), mode, Map.of(), null);
                    assertTrue(session.lastPassProbed().containsAll(List.of("w:0", "flat:0", "back:0")));
                    assertTrue(all.notProbed().isEmpty(), all.notProbed().toString());
                    session.probeEveryTensorEachRun(false);
                    Trace fewer = session.healthPass(feeds, List.of("out:0"), mode, Map.of(), null);
                    Set<String> expected = new HashSet<>(COPIES);
                    fewer.rows().stream().filter(r -> r.opType().equals("Const")).forEach(r -> expected.add(r.tensor()));
                    assertTrue(expected.contains("w:0") && expected.size() == COPIES.size() + 5, expected.toString());
                    // besides constants and copies, a CURT pass leaves out the tensors whose magnitude it bounds
                    Set<String> bounded = new HashSet<>(fewer.notProbed().keySet());
                    bounded.removeAll(expected);
                    assertTrue(fewer.notProbed().keySet().containsAll(expected), fewer.notProbed().toString());
                    bounded.forEach(t -> assertTrue(fewer.notProbed().get(t).matches("(finite: no value is larger|fed: every fed value).*"),
                            t + ": " + fewer.notProbed().get(t)));
                    assertTrue(mode == HealthMode.CURT || bounded.isEmpty(), bounded.toString());
                    assertTrue(session.lastPassProbed().stream().noneMatch(fewer.notProbed()::containsKey),
                            session.lastPassProbed().toString());
                    assertEquals(all.rows().stream().map(TensorHealth::tensor).toList(),
                            fewer.rows().stream().map(TensorHealth::tensor).toList());
                    for (int i = 0; i < all.rows().size(); i++) {
                        TensorHealth a = all.rows().get(i);
                        TensorHealth b = fewer.rows().get(i);
                        String what = mode + " " + a + " / " + b;
                        assertEquals(a.isFinite(), b.isFinite(), what);
                        assertEquals(a.hasNan(), b.hasNan(), what);
                        assertEquals(a.hasInf(), b.hasInf(), what);
                        if (a.isCounted() && b.isCounted()) {
                            assertEquals(List.of(a.nanCount(), a.negInfCount(), a.posInfCount()),
                                    List.of(b.nanCount(), b.negInfCount(), b.posInfCount()), what);
                        }
                        if (a.elements() >= 0 && b.elements() >= 0) {
                            assertEquals(a.elements(), b.elements(), what);
                        }
                        if (!Double.isNaN(a.min()) && !Double.isNaN(b.min())) {
                            assertEquals(a.min(), b.min(), 0, what);
                            assertEquals(a.max(), b.max(), 0, what);
                            assertEquals(a.mean(), b.mean(), Math.abs(a.mean()) * 1e-6, what);
                        }
                        if (a.zeroCount() >= 0 && b.zeroCount() >= 0) {
                            assertEquals(a.zeroCount(), b.zeroCount(), what);
                        }
                    }
                    if (mode != HealthMode.CURT) {
                        assertTrue(fewer.rows().stream().allMatch(TensorHealth::isCounted), "every row counted");
                    }
                }
            }
        }
    }
}
