package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorscope.core.input.RunBudget;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.core.trace.Trace;
import org.tensorscope.tensorflow.internal.TensorFlowBackend;
import org.tensorscope.tensorflow.internal.load.FrozenGraphLoader;
import org.tensorscope.tensorflow.internal.run.TfSession;

/**
 * A health pass whose own run is not a plain one makes the plain run a trace compares it with alongside, the first
 * time its session runs these outputs with these fed shapes; that run answers the next plain fetch of the same outputs
 * with equal feeds, and no other: out = relu(2x + 1), whose plain run fuses the chain into one kernel.
 */
class PlainRunAlongsideTest {

    @TempDir
    static Path folder;

    private static final List<String> OUT = List.of("out:0");

    private static Map<String, TensorData> feeds(float... x) {
        return Map.of("x", TensorData.ofFloats("x", Shape.of(1, 2, 2, 1), x));
    }

    private static float[] values(TensorData data) {
        ByteBuffer bytes = data.bytes();
        float[] values = new float[(int) data.size()];
        bytes.asFloatBuffer().get(values);
        return values;
    }

    private static float[] fetched(TfSession session, Map<String, TensorData> feeds) throws Exception {
        return values(session.fetch(feeds, OUT, Map.of(), null).get("out:0"));
    }

    private static LoadedModel model() throws Exception {
        return new FrozenGraphLoader().load(PlantedModels.write(folder, "conv_bias_relu", PlantedModels::convBiasRelu),
                new NullProgressMonitor());
    }

    @Test
    void aFullPassMakesThePlainRunAlongsideAndTheNextPlainFetchTakesIt() throws Exception {
        try (LoadedModel loaded = model(); TfSession session = (TfSession) new TensorFlowBackend().open(loaded, Device.CPU)) {
            Trace trace = session.healthPass(feeds(1f, -3f, 0.5f, 2f), OUT, HealthMode.FULL, Map.of(), null);
            int afterPass = session.runs();
            // equal feeds, other objects (as a worker reads them again for each request)
            assertArrayEquals(new float[] { 3f, 0f, 2f, 5f }, fetched(session, feeds(1f, -3f, 0.5f, 2f)));
            assertEquals(afterPass, session.runs(), "the plain fetch is answered by the run made alongside the pass");
            assertArrayEquals(values(trace.outputs().get("out:0")), fetched(session, feeds(1f, -3f, 0.5f, 2f)));
            assertEquals(afterPass + 1, session.runs(), "taken once: a second fetch runs");
        }
    }

    @Test
    void otherFeedsOrEditedTensorsAreRunNotAnsweredByTheRunAlongside() throws Exception {
        try (LoadedModel loaded = model(); TfSession session = (TfSession) new TensorFlowBackend().open(loaded, Device.CPU)) {
            session.healthPass(feeds(1f, -3f, 0.5f, 2f), OUT, HealthMode.FULL, Map.of(), null);
            int afterPass = session.runs();
            assertArrayEquals(new float[] { 1f, 9f, 0f, 0f }, fetched(session, feeds(0f, 4f, -1f, -0.5f)));
            assertEquals(afterPass + 1, session.runs(), "other values of the same shape: run");

            session.healthPass(feeds(1f, 1f, 1f, 1f), OUT, HealthMode.FULL, Map.of(), null);
            int afterSecondPass = session.runs();
            Map<String, TensorData> edited = Map.of("conv:0", TensorData.ofFloats("conv:0", Shape.of(1, 2, 2, 1), 7f, 7f, 7f, 7f));
            assertArrayEquals(new float[] { 8f, 8f, 8f, 8f },
                    values(session.fetch(feeds(1f, 1f, 1f, 1f), OUT, edited, null).get("out:0")));
            assertEquals(afterSecondPass + 1, session.runs(), "an edited tensor: run");
        }
    }

    @Test
    void onlyTheFirstPassOfTheseOutputsAndShapesMakesOne() throws Exception {
        try (LoadedModel loaded = model();
                TfSession first = (TfSession) new TensorFlowBackend().open(loaded, Device.CPU);
                TfSession plainFirst = (TfSession) new TensorFlowBackend().open(loaded, Device.CPU)) {
            int[] firstRuns = passes(first);
            // a session that has run the outputs plainly already makes none alongside its first pass
            fetched(plainFirst, feeds(1f, -3f, 0.5f, 2f));
            int[] plainFirstRuns = passes(plainFirst);
            assertEquals(plainFirstRuns[0] + 1, firstRuns[0], "the run alongside the first pass");
            assertEquals(plainFirstRuns[1], firstRuns[1], "none alongside a second pass of the same shapes");
            int before = first.runs();
            fetched(first, feeds(2f, -3f, 0.5f, 2f));
            assertEquals(before + 1, first.runs(), "nothing made alongside the second pass to take");
        }
    }

    @Test
    void noneWhenTwoRunsAtOnceWouldNotFitTheRunBudget() throws Exception {
        // the plain run keeps at most 32 bytes alive (two 4-float tensors), the FULL pass reading every value 64
        System.setProperty(RunBudget.PROPERTY, "64");
        try (LoadedModel loaded = model(); TfSession session = (TfSession) new TensorFlowBackend().open(loaded, Device.CPU)) {
            session.healthPass(feeds(1f, -3f, 0.5f, 2f), OUT, HealthMode.FULL, Map.of(), null);
            assertEquals(List.of("conv:0", "bias:0", "relu:0", "out:0"), session.lastPassValuesRead().stream()
                    .filter(t -> !t.startsWith("x")).toList(), "the pass itself fits, reading every value");
            int afterPass = session.runs();
            assertArrayEquals(new float[] { 3f, 0f, 2f, 5f }, fetched(session, feeds(1f, -3f, 0.5f, 2f)));
            assertEquals(afterPass + 1, session.runs(), "nothing was made alongside: the fetch runs");
        } finally {
            System.clearProperty(RunBudget.PROPERTY);
        }
    }

    /** The runs of two FULL passes of the same shapes, the first followed by the plain fetch a trace makes. */
    private static int[] passes(TfSession session) throws Exception {
        int before = session.runs();
        session.healthPass(feeds(1f, -3f, 0.5f, 2f), OUT, HealthMode.FULL, Map.of(), null);
        int first = session.runs() - before;
        fetched(session, feeds(1f, -3f, 0.5f, 2f));
        before = session.runs();
        session.healthPass(feeds(2f, -3f, 0.5f, 2f), OUT, HealthMode.FULL, Map.of(), null);
        return new int[] { first, session.runs() - before };
    }
}
