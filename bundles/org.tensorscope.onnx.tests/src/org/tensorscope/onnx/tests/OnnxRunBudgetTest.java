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
import org.tensorscope.core.input.TensorBudget;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.core.trace.Trace;
import org.tensorscope.onnx.internal.OnnxBackend;
import org.tensorscope.onnx.internal.OnnxModel;
import org.tensorscope.onnx.internal.load.OnnxModelLoader;
import org.tensorscope.onnx.internal.run.OnnxSession;

/**
 * ONNX Runtime holds every value a run returns until the run ends, and a health pass returns every intermediate
 * tensor: a pass whose tensors take more than the run budget together is made of several runs, each returning
 * what fits, and finds what one run finds.
 */
class OnnxRunBudgetTest {

    /** The classifier's input of 1x3x48x192. */
    private static final Map<String, TensorData> FEEDS = Map.of("x:0", ramp(1, 3, 48, 192));

    @AfterEach
    void clearBudgets() {
        System.clearProperty(RunBudget.PROPERTY);
        System.clearProperty(TensorBudget.PROPERTY);
    }

    static TensorData ramp(long... dims) {
        float[] values = new float[(int) Shape.of(dims).numElements()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i * 7 % 255) / 255f;
        }
        return TensorData.ofFloats("x", Shape.of(dims), values);
    }

    private static OnnxModel classifier() throws Exception {
        return new OnnxModelLoader().load(OnnxModelLoaderTest.CLASSIFIER, new NullProgressMonitor());
    }

    private static String output(OnnxModel model) {
        return model.graph().defaultSignature().orElseThrow().outputs().get(0).tensor().name();
    }

    private static Trace pass(OnnxSession session, OnnxModel model, Map<String, TensorData> feeds) throws Exception {
        return session.healthPass(feeds, List.of(output(model)), HealthMode.FULL, Map.of(), new NullProgressMonitor());
    }

    /**
     * x (256 values, its size a symbolic dimension n) -> Neg -> Log (NaN: the log of a negative) -> Abs -> Relu ->
     * Sigmoid -> Add x: six computed tensors of 1 KiB each.
     */
    private static Path chain(Path folder) throws Exception {
        return new TinyOnnxModels().inputOfNamedSize("x", "n").node("neg", "Neg", List.of("x"), "a")
                .node("log", "Log", List.of("a"), "b").node("abs", "Abs", List.of("b"), "c")
                .node("relu", "Relu", List.of("c"), "d").node("sigmoid", "Sigmoid", List.of("d"), "e")
                .node("add", "Add", List.of("e", "x"), "y").outputOfUnknownShape("y", TinyOnnxModels.FLOAT)
                .write(folder, "chain");
    }

    @Test
    void aPassOverTheBudgetIsSplitByTheShapesOnnxRuntimeInfersAndFindsWhatOneRunFinds(@TempDir Path folder)
            throws Exception {
        Map<String, TensorData> feeds = Map.of("x:0", ramp(256));
        try (OnnxModel model = new OnnxModelLoader().load(chain(folder), new NullProgressMonitor())) {
            Trace whole;
            try (OnnxSession session = (OnnxSession) new OnnxBackend().open(model, Device.CPU)) {
                whole = pass(session, model, feeds);
                assertEquals(1, session.runs());
                assertEquals(0, session.narrowedSessions());
            }
            System.setProperty(RunBudget.PROPERTY, "2k");
            try (OnnxSession session = (OnnxSession) new OnnxBackend().open(model, Device.CPU)) {
                Trace split = pass(session, model, feeds);
                assertEquals(3, session.runs(), "six tensors of 1 KiB, two to a run, on the session's first pass");
                assertEquals(3, session.narrowedSessions(), "each run returns only its two tensors: ONNX Runtime "
                        + "would hold all six for each run of the model returning every value");
                assertEquals(whole.rows(), split.rows());
                assertEquals(254, split.row("log").orElseThrow().nanCount(), "the log of -x for every x but its two zeros");
                assertEquals(whole.outputs().get(output(model)).bytes(), split.outputs().get(output(model)).bytes());
            }
        }
    }

    @Test
    void aFetchRunsAModelReturningOnlyWhatItAsksForWhenEveryValueWouldNotFit(@TempDir Path folder) throws Exception {
        Map<String, TensorData> feeds = Map.of("x:0", ramp(256));
        try (OnnxModel model = new OnnxModelLoader().load(chain(folder), new NullProgressMonitor())) {
            TensorData whole;
            try (OnnxSession session = (OnnxSession) new OnnxBackend().open(model, Device.CPU)) {
                // as the trace fetches (a plain fetch runs the optimised model, which returns only what it asks for)
                whole = session.fetchAsTraced(feeds, List.of("relu:0"), Map.of(), new NullProgressMonitor())
                        .get("relu:0");
                assertEquals(0, session.narrowedSessions());
            }
            System.setProperty(RunBudget.PROPERTY, "2k");
            try (OnnxSession session = (OnnxSession) new OnnxBackend().open(model, Device.CPU)) {
                TensorData narrowed = session.fetchAsTraced(feeds, List.of("relu:0"), Map.of(),
                        new NullProgressMonitor()).get("relu:0");
                assertEquals(1, session.runs());
                assertEquals(1, session.narrowedSessions());
                assertEquals(whole.bytes(), narrowed.bytes());
                session.fetchAsTraced(feeds, List.of("relu:0"), Map.of(), new NullProgressMonitor());
                assertEquals(1, session.narrowedSessions(), "the narrowed session is kept for the next fetch");
            }
        }
    }

    @Test
    void aFirstPassIsSplitBySizesAskedOfTheModelWhereNoShapeWasInferred() throws Exception {
        try (OnnxModel model = classifier()) {
            Trace whole;
            int wholeRuns;
            try (OnnxSession session = (OnnxSession) new OnnxBackend().open(model, Device.CPU)) {
                whole = pass(session, model, FEEDS);
                wholeRuns = session.runs();
            }
            System.setProperty(RunBudget.PROPERTY, "256k");
            try (OnnxSession session = (OnnxSession) new OnnxBackend().open(model, Device.CPU)) {
                // the input's height and width are symbolic, and ONNX Runtime names no dimension computed from them:
                // one run returns the values' element counts, and the values come in runs that fit the budget
                Trace first = pass(session, model, FEEDS);
                int firstRuns = session.runs();
                assertTrue(firstRuns - wholeRuns >= 7, "about 1.7 MB in runs of at most 256 KiB: " + firstRuns
                        + " run(s), against " + wholeRuns + " without a budget");
                Trace second = pass(session, model, FEEDS);
                int secondRuns = session.runs() - firstRuns;
                assertEquals(firstRuns - 1, secondRuns, "the sizes are known from the first pass: no run asks for them");
                assertEquals(whole.rows(), first.rows());
                assertEquals(whole.rows(), second.rows());
            }
        }
    }

    @Test
    void aTensorOverTheOneTensorBudgetIsRefusedNamingItsShapeAndTheLimit() throws Exception {
        try (OnnxModel model = classifier();
                OnnxSession session = (OnnxSession) new OnnxBackend().open(model, Device.CPU)) {
            pass(session, model, FEEDS);
            System.setProperty(TensorBudget.PROPERTY, "100k");
            BackendException refusal = assertThrows(BackendException.class, () -> pass(session, model, FEEDS));
            assertTrue(refusal.getMessage().matches("ch_ppocr_mobile_v2\\.0_cls_infer\\.onnx: \\S+:0 of shape \\[[0-9, ]+\\] "
                    + "would take \\S+ KiB, more than the 100\\.0 KiB allowed for one tensor \\(raise "
                    + "TENSORSCOPE_MAX_TENSOR_BYTES to allow more\\)"), refusal.getMessage());
            System.clearProperty(TensorBudget.PROPERTY);
            assertTrue(pass(session, model, FEEDS).isAllFinite(), "the session runs again once the limit is raised");
        }
    }

    /**
     * A CURT pass reads a flagged value only when it fits the one-tensor budget; on a first pass its size is asked of
     * the model first, and a value over the budget is listed as not checked, saying why, instead of failing the pass.
     */
    @Test
    void aFlaggedValueOverTheOneTensorBudgetIsListedUncheckedOnAFirstCurtPass() throws Exception {
        TensorData ramp = ramp(1, 3, 48, 192);
        float[] flooded = new float[(int) ramp.size()];
        for (int i = 0; i < flooded.length; i++) {
            flooded[i] = (float) ramp.getDouble(i) * 1e38f;
        }
        Map<String, TensorData> feeds = Map.of("x:0", TensorData.ofFloats("x", ramp.shape(), flooded));
        try (OnnxModel model = classifier();
                OnnxSession session = (OnnxSession) new OnnxBackend().open(model, Device.CPU)) {
            System.setProperty(TensorBudget.PROPERTY, "120k");
            Trace trace = session.healthPass(feeds, List.of(output(model)), HealthMode.CURT, Map.of(),
                    new NullProgressMonitor());
            assertFalse(trace.isAllFinite());
            List<String> tooLarge = trace.unchecked().stream()
                    .filter(u -> u.reason().startsWith("its sum is not finite, and its values would take "))
                    .map(u -> u.reason()).toList();
            assertFalse(tooLarge.isEmpty(), trace.unchecked().toString());
            assertTrue(tooLarge.stream().allMatch(reason -> reason.endsWith(
                    "more than the 120.0 KiB allowed for one tensor (raise TENSORSCOPE_MAX_TENSOR_BYTES to allow more)")),
                    tooLarge.toString());
        }
    }

    /**
     * The classifier's sizes are computed from its symbolic height and width, so no shape tells them: the first pass
     * asks the model for them and refuses a value over the one-tensor budget before any run returns values.
     */
    @Test
    void aTensorOverTheOneTensorBudgetIsRefusedBeforeTheFirstRunReturnsIt() throws Exception {
        try (OnnxModel model = classifier();
                OnnxSession session = (OnnxSession) new OnnxBackend().open(model, Device.CPU)) {
            System.setProperty(TensorBudget.PROPERTY, "100k");
            BackendException refusal = assertThrows(BackendException.class, () -> pass(session, model, FEEDS));
            assertTrue(refusal.getMessage().matches("ch_ppocr_mobile_v2\\.0_cls_infer\\.onnx: \\S+:0 would take \\S+ KiB, "
                    + "more than the 100\\.0 KiB allowed for one tensor \\(raise TENSORSCOPE_MAX_TENSOR_BYTES to allow "
                    + "more\\)"), refusal.getMessage());
            assertEquals(1, session.runs(), "only the run that returned the sizes");
        }
    }
}
