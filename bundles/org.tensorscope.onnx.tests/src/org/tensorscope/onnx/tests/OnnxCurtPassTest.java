package org.tensorscope.onnx.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorscope.core.input.RunBudget;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.core.trace.TensorHealth;
import org.tensorscope.core.trace.Trace;
import org.tensorscope.onnx.internal.OnnxBackend;
import org.tensorscope.onnx.internal.OnnxModel;
import org.tensorscope.onnx.internal.load.OnnxModelLoader;
import org.tensorscope.onnx.internal.run.OnnxSession;

/**
 * A CURT pass over an ONNX model returns one sum per float value instead of the value: one run of the model, nothing
 * copied out, whatever the values take together; only a value whose sum is not finite is looked at again, its NaN and
 * infinities counted in a second run, and its values read only when it holds none (finite values whose sum is past
 * the float range). A FULL pass returns every value, in as many runs as the run budget needs.
 */
class OnnxCurtPassTest {

    @AfterEach
    void clearBudget() {
        System.clearProperty(RunBudget.PROPERTY);
    }

    private static TensorData values(float... values) {
        return TensorData.ofFloats("x", Shape.of(values.length), values);
    }

    private static TensorData ramp(int size, float scale) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = scale * (i - size / 2);
        }
        return values(values);
    }

    /** x (256 values) -> Abs -> Log (NaN: never; -Inf for a zero) -> ... as each test needs, six computed tensors. */
    private static Path chain(Path folder, String second) throws Exception {
        return new TinyOnnxModels().inputOfNamedSize("x", "n").node("neg", "Neg", List.of("x"), "a")
                .node("second", second, List.of("a"), "b").node("abs", "Abs", List.of("b"), "c")
                .node("relu", "Relu", List.of("c"), "d").node("sigmoid", "Sigmoid", List.of("d"), "e")
                .node("add", "Add", List.of("e", "x"), "y").outputOfUnknownShape("y", TinyOnnxModels.FLOAT)
                .write(folder, "chain-" + second);
    }

    private static Trace pass(OnnxSession session, OnnxModel model, HealthMode mode, TensorData x) throws Exception {
        String output = model.graph().defaultSignature().orElseThrow().outputs().get(0).tensor().name();
        return session.healthPass(Map.of("x:0", x), List.of(output), mode, Map.of(), new NullProgressMonitor());
    }

    private static OnnxSession open(OnnxModel model) throws Exception {
        return (OnnxSession) new OnnxBackend().open(model, Device.CPU);
    }

    @Test
    void aHealthyPassIsOneRunWhateverTheBudgetAndChecksWhatAFullPassChecks(@TempDir Path folder) throws Exception {
        System.setProperty(RunBudget.PROPERTY, "2k");
        try (OnnxModel model = new OnnxModelLoader().load(chain(folder, "Sin"), new NullProgressMonitor());
                OnnxSession session = open(model)) {
            Trace full = pass(session, model, HealthMode.FULL, ramp(256, 0.01f));
            int fullRuns = session.runs();
            assertEquals(3, fullRuns, "six values of 1 KiB, two to a run of the budget");
            Trace curt = pass(session, model, HealthMode.CURT, ramp(256, 0.01f));
            assertEquals(1, session.runs() - fullRuns, "one run returning six sums");
            assertTrue(curt.isAllFinite());
            assertTrue(curt.unchecked().isEmpty());
            assertEquals(full.rows().stream().map(TensorHealth::tensor).toList(),
                    curt.rows().stream().map(TensorHealth::tensor).toList(), "the same tensors checked, in order");
            TensorHealth sin = curt.row("second").orElseThrow();
            assertEquals(0, sin.nonFiniteCount());
            assertEquals(-1, sin.elements(), "a sum tells that the values are finite, not how many there are");
            assertTrue(Double.isNaN(sin.max()));
            assertEquals(256, curt.row("add").orElseThrow().elements(), "the output's row, from its values");
        }
    }

    @Test
    void aValueWhoseSumIsNotFiniteIsCountedFromItsValues(@TempDir Path folder) throws Exception {
        try (OnnxModel model = new OnnxModelLoader().load(chain(folder, "Log"), new NullProgressMonitor());
                OnnxSession session = open(model)) {
            Trace full = pass(session, model, HealthMode.FULL, ramp(256, 1f));
            int before = session.runs();
            Trace curt = pass(session, model, HealthMode.CURT, ramp(256, 1f));
            assertEquals(2, session.runs() - before, "the sums, then the counts of the four flagged tensors");
            TensorHealth log = curt.row("second").orElseThrow();
            assertEquals(127, log.nanCount(), "the log of -x for each of the 127 positive x");
            assertEquals(1, log.negInfCount(), "the log of -0");
            assertEquals(256, log.elements());
            assertTrue(Double.isNaN(log.max()), "counted in the model, not read");
            for (String op : List.of("second", "abs", "relu", "sigmoid")) {
                TensorHealth f = full.row(op).orElseThrow();
                TensorHealth c = curt.row(op).orElseThrow();
                assertEquals(List.of(f.elements(), f.nanCount(), f.negInfCount(), f.posInfCount()),
                        List.of(c.elements(), c.nanCount(), c.negInfCount(), c.posInfCount()), op);
            }
            assertEquals(-1, curt.row("neg").orElseThrow().elements(), "finite, summed");
            assertFalse(curt.isAllFinite());
        }
    }

    @Test
    void finiteValuesWhoseSumOverflowsAreReadAndFoundFinite(@TempDir Path folder) throws Exception {
        try (OnnxModel model = new OnnxModelLoader().load(chain(folder, "Neg"), new NullProgressMonitor());
                OnnxSession session = open(model)) {
            Trace curt = pass(session, model, HealthMode.CURT, values(3e38f, 3e38f, 1f));
            assertEquals(3, session.runs(), "the sums, the counts of the tensors whose sum is not finite (none), "
                    + "then their values");
            TensorHealth twice = curt.row("second").orElseThrow();
            assertEquals(3, twice.elements(), "its sum, 6e38, is past the float range: its values were read");
            assertEquals(0, twice.nonFiniteCount());
            assertEquals(3e38f, (float) twice.max());
            assertTrue(curt.isAllFinite(), "a sum flags, the values decide");
        }
    }

    @Test
    void aFloat16ValueIsReadNotSummed(@TempDir Path folder) throws Exception {
        // 1e5 is past float16's largest value (65504): the cast makes +Inf; ONNX Runtime may run float16 ops in float
        // and drop a float16 cast followed by a cast to float, so a sum in float could miss it
        Path file = new TinyOnnxModels().input("x", 3)
                .node("half", "Cast", List.of("x"), List.of("h"), TinyOnnxModels.Attribute.integer("to", 10))
                .node("back", "Cast", List.of("h"), List.of("f"), TinyOnnxModels.Attribute.integer("to", 1))
                .node("out", "Mul", List.of("f", "x"), "y").output("y", 3).write(folder, "half");
        try (OnnxModel model = new OnnxModelLoader().load(file, new NullProgressMonitor());
                OnnxSession session = open(model)) {
            Trace healthy = pass(session, model, HealthMode.CURT, values(1f, 2f, 60000f));
            assertTrue(healthy.isAllFinite());
            assertEquals(3, healthy.row("half").orElseThrow().elements(), "read");
            assertEquals(-1, healthy.row("back").orElseThrow().elements(), "summed");
            Trace overflow = pass(session, model, HealthMode.CURT, values(1f, 1e5f, -1e5f));
            TensorHealth half = overflow.row("half").orElseThrow();
            assertEquals(1, half.posInfCount());
            assertEquals(1, half.negInfCount());
            assertFalse(overflow.isAllFinite());
        }
    }

    @Test
    void aModelThatFailsToRunFailsWithItsOwnMessageNotTheSums(@TempDir Path folder) throws Exception {
        Path file = new TinyOnnxModels().inputOfNamedSize("a", "n").inputOfNamedSize("b", "m")
                .node("neg", "Neg", List.of("a"), "c").node("add", "Add", List.of("c", "b"), "d")
                .node("relu", "Relu", List.of("d"), "y").outputOfUnknownShape("y", TinyOnnxModels.FLOAT)
                .write(folder, "mismatch");
        Map<String, TensorData> feeds = Map.of("a:0", values(1f, 2f, 3f), "b:0", values(1f, 2f, 3f, 4f));
        try (OnnxModel model = new OnnxModelLoader().load(file, new NullProgressMonitor());
                OnnxSession session = open(model)) {
            String output = model.graph().defaultSignature().orElseThrow().outputs().get(0).tensor().name();
            BackendException full = assertThrows(BackendException.class, () -> session.healthPass(feeds,
                    List.of(output), HealthMode.FULL, Map.of(), new NullProgressMonitor()));
            BackendException curt = assertThrows(BackendException.class, () -> session.healthPass(feeds,
                    List.of(output), HealthMode.CURT, Map.of(), new NullProgressMonitor()));
            assertEquals(full.getMessage(), curt.getMessage());
            assertTrue(curt.getMessage().contains("add"), curt.getMessage());
            assertFalse(curt.getMessage().contains("tensorscope::"), curt.getMessage());
            Trace healthy = session.healthPass(Map.of("a:0", values(1f, 2f), "b:0", values(3f, 4f)), List.of(output),
                    HealthMode.CURT, Map.of(), new NullProgressMonitor());
            assertTrue(healthy.isAllFinite(), "the pass still runs, reading the values");
            assertEquals(2, healthy.row("add").orElseThrow().elements(), "read: the sums failed once for this model");
        }
    }

    @Test
    void theClassifiersHealthyPassIsOneRunOverEveryTensorAFullPassChecks() throws Exception {
        Map<String, TensorData> feeds = Map.of("x:0", OnnxRunBudgetTest.ramp(1, 3, 48, 192));
        try (OnnxModel model = new OnnxModelLoader().load(OnnxModelLoaderTest.CLASSIFIER, new NullProgressMonitor());
                OnnxSession session = open(model)) {
            String output = model.graph().defaultSignature().orElseThrow().outputs().get(0).tensor().name();
            Trace full = session.healthPass(feeds, List.of(output), HealthMode.FULL, Map.of(), new NullProgressMonitor());
            int before = session.runs();
            Trace curt = session.healthPass(feeds, List.of(output), HealthMode.CURT, Map.of(), new NullProgressMonitor());
            assertEquals(1, session.runs() - before);
            assertTrue(curt.isAllFinite());
            assertEquals(full.rows().size(), curt.rows().size());
            assertEquals(full.rows().stream().map(TensorHealth::tensor).toList(),
                    curt.rows().stream().map(TensorHealth::tensor).toList());
            assertTrue(curt.rows().stream().filter(r -> r.elements() == -1).count() > 100,
                    "the computed values summed, not read");
            assertEquals(full.outputs().get(output).bytes(), curt.outputs().get(output).bytes(),
                    "the output as the FULL pass computed it");
        }
    }
}
