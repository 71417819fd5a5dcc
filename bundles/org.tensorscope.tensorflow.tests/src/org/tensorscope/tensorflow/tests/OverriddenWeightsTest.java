package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorscope.core.model.Shape;
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
 * A CURT pass leaves unprobed the tensors whose magnitude the weights bound, and watches fusible chains only at
 * their ends; both proofs read the weights from the graph. When a run overrides the weights (edit and continue), the
 * run's weights are not the graph's: x = 1e10 times weights of 1e30 overflows to +Inf, which a Relu6 then clips to 6,
 * and NaN weights make NaN. The CURT pass must find what the FULL pass finds, not call the model finite, whether
 * the Consts are overridden, an Identity reading one is, or they are fed; also in the mode that probes every tensor
 * in each run. chain: x · identity(w1) + b1, Relu6 (fusible); bounded: x · w2, Relu6.
 */
class OverriddenWeightsTest {

    @TempDir
    static Path folder;

    private static Path model() throws Exception {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Operand<TFloat32> x = tf.withName("x").placeholder(TFloat32.class,
                    Placeholder.shape(org.tensorflow.ndarray.Shape.of(1, 4)));
            float[][] small = {{1, 0}, {0, 1}, {1, 1}, {0.5f, 0.5f}};
            var mm1 = tf.withName("mm1").linalg.matMul(x, tf.withName("w1read").identity(tf.withName("w1").constant(small)));
            tf.withName("out1").nn.relu6(tf.withName("bias1").nn.biasAdd(mm1, tf.withName("b1").constant(new float[] {0.1f, 0.2f})));
            tf.withName("out2").nn.relu6(tf.withName("mm2").linalg.matMul(x, tf.withName("w2").constant(small)));
            return Files.write(folder.resolve("weights.pb"), graph.toGraphDef().toByteArray());
        }
    }

    private static TensorData weights(String name, float value) {
        float[] values = new float[8];
        java.util.Arrays.fill(values, value);
        return TensorData.ofFloats(name, Shape.of(4, 2), values);
    }

    private static boolean nonFinite(TensorHealth row) {
        return row.nanCount() + row.negInfCount() + row.posInfCount() > 0;
    }

    @Test
    void overriddenWeightsAreCheckedAsTheRunUsesThem() throws Exception {
        try (LoadedModel loaded = new FrozenGraphLoader().load(model(), new NullProgressMonitor());
                TfSession session = (TfSession) new TensorFlowBackend().open(loaded, Device.CPU);
                TfSession probing = (TfSession) new TensorFlowBackend().open(loaded, Device.CPU)) {
            probing.probeEveryTensorEachRun(true);
            TensorData x = TensorData.ofFloats("x", Shape.of(1, 4), 1e10f, 1e10f, 1e10f, 1e10f);
            List<String> outputs = List.of("out1:0", "out2:0");

            Trace plain = session.healthPass(Map.of("x", x), outputs, HealthMode.CURT, Map.of(), new NullProgressMonitor());
            assertTrue(plain.rows().stream().noneMatch(OverriddenWeightsTest::nonFinite), plain.rows().toString());
            assertTrue(session.lastPassProbed().stream().noneMatch(t -> t.startsWith("mm")),
                    "with the graph's weights the bounds and the chain's end cover the products: " + session.lastPassProbed());

            for (float value : new float[] {1e30f, Float.NaN}) {
                Map<String, TensorData> consts = Map.of("w1:0", weights("w1:0", value), "w2:0", weights("w2:0", value));
                Map<String, TensorData> identity = Map.of("w1read:0", weights("w1read:0", value), "w2:0",
                        weights("w2:0", value));
                Map<String, TensorData> fed = new java.util.HashMap<>(consts);
                fed.put("x", x);
                for (Object[] how : new Object[][] {{"overridden", Map.of("x", x), consts},
                        {"an Identity of w1 overridden", Map.of("x", x), identity}, {"fed", fed, Map.of()}}) {
                    @SuppressWarnings("unchecked")
                    Map<String, TensorData> feeds = (Map<String, TensorData>) how[1];
                    @SuppressWarnings("unchecked")
                    Map<String, TensorData> overrides = (Map<String, TensorData>) how[2];
                    for (TfSession on : List.of(session, probing)) {
                        String what = value + ", weights " + how[0] + (on == probing ? ", every tensor probed" : "");
                        Trace full = on.healthPass(feeds, outputs, HealthMode.FULL, overrides, new NullProgressMonitor());
                        Trace curt = on.healthPass(feeds, outputs, HealthMode.CURT, overrides, new NullProgressMonitor());
                        for (String tensor : List.of("mm1:0", "bias1:0", "out1:0", "mm2:0", "out2:0")) {
                            TensorHealth f = full.row(tensor).orElseThrow();
                            TensorHealth c = curt.row(tensor).orElseThrow();
                            assertEquals(nonFinite(f), nonFinite(c), what + ", " + tensor + ": FULL " + f + ", CURT " + c);
                        }
                        assertTrue(nonFinite(curt.row("mm1:0").orElseThrow()), what + ": the chain's product overflows or is NaN");
                        assertTrue(nonFinite(curt.row("mm2:0").orElseThrow()), what + ": the bounded product overflows or is NaN");
                        assertEquals(value != value, nonFinite(curt.row("out2:0").orElseThrow()),
                                what + ": a Relu6 clips +Inf to 6 and keeps NaN");
                    }
                }
            }
        }
    }

    /**
     * The report's weights line tells of a weight edited to NaN as the run used it, not as the file holds it, whether
     * the edit is on the weight or on an Identity reading it.
     */
    @Test
    void theReportCountsAnEditedWeightsNaN() throws Exception {
        try (LoadedModel loaded = new FrozenGraphLoader().load(model(), new NullProgressMonitor());
                TfSession session = (TfSession) new TensorFlowBackend().open(loaded, Device.CPU)) {
            float[] edited = {Float.NaN, 1, 1, 1, 1, 1, Float.NaN, 1};
            var report = Tracing.trace(loaded, session, List.of("x=const:1"),
                    Map.of("w2:0", TensorData.ofFloats("w2:0", Shape.of(4, 2), edited)), HealthMode.CURT).report();
            assertEquals(List.of("w2 (2)"), report.weights().stream().map(w -> w.op() + " (" + w.nonFinite() + ")").toList(),
                    report.weights().toString());
            var throughIdentity = Tracing.trace(loaded, session, List.of("x=const:1"),
                    Map.of("w1read:0", TensorData.ofFloats("w1read:0", Shape.of(4, 2), edited)), HealthMode.CURT).report();
            assertEquals(List.of("w1 (2)"), throughIdentity.weights().stream().map(w -> w.op() + " (" + w.nonFinite() + ")")
                    .toList(), "an edit of the Identity reading w1 is w1's values as the run used them");
            var untouched = Tracing.trace(loaded, session, List.of("x=const:1"), Map.of(), HealthMode.CURT).report();
            assertTrue(untouched.weights().isEmpty(), untouched.weights().toString());
        }
    }

    /** y = x · read(w) + x · w, w holding one NaN in the file: an edit of read(w) alone leaves the NaN that x · w reads. */
    private static Path modelReadingAWeightTwice() throws Exception {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Operand<TFloat32> x = tf.withName("x").placeholder(TFloat32.class,
                    Placeholder.shape(org.tensorflow.ndarray.Shape.of(1, 4)));
            var w = tf.withName("w").constant(new float[][] {{Float.NaN, 1}, {1, 1}, {1, 1}, {1, 1}});
            var viaRead = tf.withName("viaRead").linalg.matMul(x, tf.withName("wread").identity(w));
            var direct = tf.withName("direct").linalg.matMul(x, w);
            tf.withName("y").math.add(viaRead, direct);
            return Files.write(folder.resolve("read-twice.pb"), graph.toGraphDef().toByteArray());
        }
    }

    /** A weight's line counts what every reader used: the file's values while one op still reads them, else the edits. */
    @Test
    void theReportCountsTheFilesWeightWhileAnOpStillReadsIt() throws Exception {
        try (LoadedModel loaded = new FrozenGraphLoader().load(modelReadingAWeightTwice(), new NullProgressMonitor());
                TfSession session = (TfSession) new TensorFlowBackend().open(loaded, Device.CPU)) {
            TensorData finite = weights("w", 1);
            float[] threeNaN = {Float.NaN, Float.NaN, Float.NaN, 1, 1, 1, 1, 1};
            TensorData nan = TensorData.ofFloats("w", Shape.of(4, 2), threeNaN);
            for (Object[] expected : new Object[][] {{Map.of(), List.of("w (1)")},
                    {Map.of("wread:0", finite), List.of("w (1)")},
                    {Map.of("w:0", finite), List.of()},
                    {Map.of("w:0", finite, "wread:0", finite), List.of()},
                    {Map.of("w:0", finite, "wread:0", nan), List.of("w (3)")},
                    {Map.of("wread:0", nan), List.of("w (3)")}}) {
                @SuppressWarnings("unchecked")
                Map<String, TensorData> overrides = (Map<String, TensorData>) expected[0];
                var report = Tracing.trace(loaded, session, List.of("x=const:1"), overrides, HealthMode.CURT).report();
                assertEquals(expected[1], report.weights().stream().map(w -> w.op() + " (" + w.nonFinite() + ")").toList(),
                        "edited " + overrides.keySet());
            }
        }
    }
}
