package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.tensorscope.core.input.RunBudget;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.core.trace.TensorHealth;
import org.tensorscope.core.trace.Trace;
import org.tensorscope.tensorflow.internal.TensorFlowBackend;
import org.tensorscope.tensorflow.internal.load.TfjsGraphModelLoader;
import org.tensorscope.tensorflow.internal.run.TfSession;

/**
 * A FULL pass reads its rows from the tensors' values in Java instead of from probe ops: on a real model, healthy
 * and flooded with infinities, every row must say what the probes say, and values near float32's largest get a
 * finite mean where the probes' float32 sums overflow.
 */
class ValueRowsTest {

    @Test
    void fullRowsReadFromTheValuesAreTheProbesRows() throws Exception {
        Path model = TestModels.get("tfjs/handskeleton/handskeleton.json");
        try (LoadedModel loaded = new TfjsGraphModelLoader().load(model, new NullProgressMonitor());
                TfSession session = (TfSession) new TensorFlowBackend().open(loaded, Device.CPU)) {
            var signature = loaded.graph().defaultSignature().orElseThrow();
            List<String> outputs = signature.outputs().stream().map(o -> o.tensor().name()).toList();
            for (String input : List.of("input_1=ramp", "input_1=ramp*1e38")) {
                Map<String, TensorData> feeds = PreparedInputs.prepare(signature, List.of(input)).feeds();
                session.probeEveryTensorEachRun(false);
                Trace read = session.healthPass(feeds, outputs, HealthMode.FULL, Map.of(), null);
                assertTrue(session.lastPassValuesRead().size() > 200, session.lastPassValuesRead().size() + " read");
                session.probeEveryTensorEachRun(true);
                Trace probed = session.healthPass(feeds, outputs, HealthMode.FULL, Map.of(), null);
                assertTrue(read.isComplete(), read.unchecked().toString());
                assertEquals(probed.rows().stream().map(TensorHealth::tensor).toList(),
                        read.rows().stream().map(TensorHealth::tensor).toList());
                assertTrue(read.rows().size() > 300, read.rows().size() + " rows");
                int nonFinite = 0;
                for (int i = 0; i < read.rows().size(); i++) {
                    TensorHealth p = probed.rows().get(i);
                    TensorHealth r = read.rows().get(i);
                    String what = input + ": " + p + " / " + r;
                    assertEquals(List.of(p.elements(), p.nanCount(), p.negInfCount(), p.posInfCount(), p.zeroCount()),
                            List.of(r.elements(), r.nanCount(), r.negInfCount(), r.posInfCount(), r.zeroCount()), what);
                    nonFinite += r.isFinite() ? 0 : 1;
                    boolean anyFinite = r.elements() > r.nanCount() + r.negInfCount() + r.posInfCount();
                    assertEquals(anyFinite, !Double.isNaN(r.min()), "statistics exactly where finite values are: " + what);
                    if (Double.isNaN(p.min())) {
                        continue; // not computed by the probes (CurtCountsTest checks these statistics)
                    }
                    double scale = Math.max(Math.abs(p.min()), Math.abs(p.max()));
                    assertEquals(p.min(), r.min(), scale * 1e-6, what);
                    assertEquals(p.max(), r.max(), scale * 1e-6, what);
                    if (Double.isInfinite(p.mean()) || Double.isInfinite(p.std())) {
                        // the probe sums in float32, which overflows on values near 1e38; Java sums in float64
                        assertTrue(r.min() <= r.mean() && r.mean() <= r.max() && Double.isFinite(r.std()), what);
                        continue;
                    }
                    assertEquals(p.mean(), r.mean(), scale * 1e-3, what);
                    assertEquals(p.std(), r.std(), scale * 1e-3, what);
                }
                assertTrue(session.lastPassValuesRead().isEmpty(), "a session probing every tensor reads no values");
                if (input.endsWith("1e38")) {
                    assertTrue(nonFinite > 100, nonFinite + " non-finite rows");
                } else {
                    assertEquals(0, nonFinite);
                }
            }
        }
    }

    /** Every fetched tensor lives until the run ends: when they would not fit the run's budget together, probes. */
    @Test
    void valuesThatWouldNotFitTheRunBudgetTogetherAreProbed() throws Exception {
        Path model = TestModels.get("tfjs/handskeleton/handskeleton.json");
        String before = System.getProperty(RunBudget.PROPERTY);
        // a plain run of handskeleton holds a few MB at once, all its tensors together about 110 MB
        System.setProperty(RunBudget.PROPERTY, "40m");
        try (LoadedModel loaded = new TfjsGraphModelLoader().load(model, new NullProgressMonitor());
                TfSession session = (TfSession) new TensorFlowBackend().open(loaded, Device.CPU)) {
            var signature = loaded.graph().defaultSignature().orElseThrow();
            List<String> outputs = signature.outputs().stream().map(o -> o.tensor().name()).toList();
            Map<String, TensorData> feeds = PreparedInputs.prepare(signature, List.of("input_1=ramp")).feeds();
            Trace trace = session.healthPass(feeds, outputs, HealthMode.FULL, Map.of(), null);
            assertTrue(session.lastPassValuesRead().isEmpty(), session.lastPassValuesRead().size() + " read");
            assertTrue(trace.isComplete() && trace.rows().size() > 300, trace.rows().size() + " rows");
            assertTrue(trace.rows().stream().allMatch(r -> r.isFinite() && r.isCounted() && !Double.isNaN(r.mean())));
        } finally {
            if (before == null) {
                System.clearProperty(RunBudget.PROPERTY);
            } else {
                System.setProperty(RunBudget.PROPERTY, before);
            }
        }
    }
}
