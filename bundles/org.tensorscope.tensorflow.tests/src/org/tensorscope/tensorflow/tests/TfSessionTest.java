package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.SignatureTensor;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.core.trace.TensorHealth;
import org.tensorscope.core.trace.Trace;
import org.tensorscope.tensorflow.internal.JavaCppCache;
import org.tensorscope.tensorflow.internal.run.TfSession;

/** The execution engine on a generated model whose answer is known: y = log(x) * 2. */
class TfSessionTest {

    private static GraphDef graphDef;
    private static ModelGraph model;

    @BeforeAll
    static void buildLogTimesTwo() {
        JavaCppCache.configure();
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Operand<TFloat32> x = tf.withName("x").placeholder(TFloat32.class);
            Operand<TFloat32> log = tf.withName("log").math.log(x);
            Operand<TFloat32> two = tf.withName("two").constant(2f);
            tf.withName("y").math.mul(log, two);
            graphDef = graph.toGraphDef();
        }
        TensorSpec x = new TensorSpec("x:0", DType.FLOAT32, Shape.of(4));
        List<OpNode> ops = List.of(
                new OpNode("x", "Placeholder", "", Map.of(), List.of(), List.of(x)),
                new OpNode("two", "Const", "", Map.of(), List.of(), List.of(new TensorSpec("two:0", DType.FLOAT32, Shape.of()))),
                new OpNode("log", "Log", "", Map.of(), List.of("x:0"), List.of(new TensorSpec("log:0", DType.FLOAT32, Shape.of(4)))),
                new OpNode("y", "Mul", "", Map.of(), List.of("log:0", "two:0"), List.of(new TensorSpec("y:0", DType.FLOAT32, Shape.of(4)))));
        model = new ModelGraph(Path.of("log-times-two.pb"), "generated", ops,
                List.of(new Signature("serving_default", List.of(new SignatureTensor("x", x)),
                        List.of(new SignatureTensor("y", ops.get(3).outputs().get(0))))),
                List.of());
    }

    private static Map<String, TensorData> feed(float... x) {
        return Map.of("x:0", TensorData.ofFloats("x:0", Shape.of(4), x));
    }

    @Test
    void fetchesOutputsAndIntermediates() throws Exception {
        try (TfSession session = new TfSession(model, graphDef, Device.CPU, false)) {
            Map<String, TensorData> out = session.fetch(feed(1f, (float) Math.E, 4f, 8f), List.of("y", "log:0"), Map.of(),
                    new NullProgressMonitor());
            assertEquals(0.0, out.get("y:0").getDouble(0), 1e-6);
            assertEquals(2.0, out.get("y:0").getDouble(1), 1e-6);
            assertEquals(Math.log(8), out.get("log:0").getDouble(3), 1e-6);
        }
    }

    @Test
    void fullHealthPassCountsNanAndInfAndFiniteRanges() throws Exception {
        try (TfSession session = new TfSession(model, graphDef, Device.CPU, false)) {
            session.measureOpTimings(true);
            Trace trace = session.healthPass(feed(1f, -1f, 0f, 8f), List.of("y:0"), HealthMode.FULL, Map.of(), new NullProgressMonitor());
            assertEquals(List.of("x:0", "two:0", "log:0", "y:0"), trace.rows().stream().map(TensorHealth::tensor).toList());
            TensorHealth x = trace.row("x").orElseThrow();
            assertTrue(x.isFinite());
            assertEquals(-1.0, x.min());
            assertEquals(8.0, x.max());
            assertEquals(2.0, x.mean(), 1e-9);
            assertEquals(Math.sqrt(12.5), x.std(), 1e-9, "population std of 1, -1, 0, 8");
            TensorHealth log = trace.row("log:0").orElseThrow();
            assertEquals(4, log.elements());
            assertEquals(1, log.nanCount(), "log(-1)");
            assertEquals(1, log.negInfCount(), "log(0)");
            assertEquals(0, log.posInfCount());
            assertEquals(0.0, log.min(), 1e-6);
            assertEquals(Math.log(8), log.max(), 1e-6);
            assertEquals(Math.log(8) / 2, log.std(), 1e-6, "over the finite values 0 and log 8 only");
            assertEquals("Log", log.opType());
            assertEquals("CPU:0", log.device());
            assertTrue(log.micros() >= 0, "op time from RunMetadata");
        }
    }

    @Test
    void curtPassFlagsNonFiniteTensorsAndCountsOnlyThose() throws Exception {
        try (TfSession session = new TfSession(model, graphDef, Device.CPU, false)) {
            Trace trace = session.healthPass(feed(1f, -1f, -2f, 8f), List.of("y:0"), HealthMode.CURT, Map.of(), new NullProgressMonitor());
            assertTrue(trace.row("x:0").orElseThrow().isFinite());
            assertEquals(2, trace.row("log:0").orElseThrow().nanCount());
            assertEquals(2, trace.row("y:0").orElseThrow().nanCount());
            assertTrue(Double.isNaN(trace.row("x:0").orElseThrow().max()), "CURT computes no ranges");
            assertEquals(-1, trace.row("log:0").orElseThrow().micros(), "no op times unless asked for");
            assertEquals("CPU:0", trace.row("log:0").orElseThrow().device());
        }
    }

    @Test
    void overrideOfAnIntermediateTensorContinuesTheRunFromThere() throws Exception {
        try (TfSession session = new TfSession(model, graphDef, Device.CPU, false)) {
            Map<String, TensorData> fixedLog = Map.of("log:0", TensorData.ofFloats("log:0", Shape.of(4), 0f, 1f, 2f, 3f));
            Trace trace = session.healthPass(feed(1f, -1f, 0f, 8f), List.of("y:0"), HealthMode.CONCISE, fixedLog, new NullProgressMonitor());
            assertTrue(trace.row("y:0").orElseThrow().isFinite(), "y computed from the overridden log");
            TensorData y = session.fetch(feed(1f, -1f, 0f, 8f), List.of("y:0"), fixedLog, new NullProgressMonitor()).get("y:0");
            assertEquals(6.0, y.getDouble(3), 1e-6);
        }
    }

    @Test
    void gpuRequestWithoutGpuRunsOnCpuAndSaysSo() throws Exception {
        try (TfSession session = new TfSession(model, graphDef, Device.GPU, false)) {
            assertEquals("No GPU is visible to TensorFlow: running on the CPU.", session.deviceNote());
            Trace trace = session.healthPass(feed(1f, 2f, 3f, 4f), List.of("y:0"), HealthMode.CONCISE, Map.of(), new NullProgressMonitor());
            assertEquals("CPU:0", trace.row("y:0").orElseThrow().device());
        }
    }

    @Test
    void unknownTensorIsAClearError() throws Exception {
        try (TfSession session = new TfSession(model, graphDef, Device.CPU, false)) {
            BackendException e = assertThrows(BackendException.class,
                    () -> session.fetch(feed(1f, 2f, 3f, 4f), List.of("nope"), Map.of(), new NullProgressMonitor()));
            assertEquals("The model has no op named 'nope'", e.getMessage());
        }
    }
}
