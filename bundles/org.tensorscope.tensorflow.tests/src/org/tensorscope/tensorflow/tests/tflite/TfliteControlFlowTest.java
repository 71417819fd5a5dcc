package org.tensorscope.tensorflow.tests.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tensorscope.tensorflow.tests.tflite.TfliteWriter.FLOAT32;
import static org.tensorscope.tensorflow.tests.tflite.TfliteWriter.INT32;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.tensorflow.internal.TensorFlowBackend;
import org.tensorscope.tensorflow.internal.tflite.TfliteLoader;
import org.tensorscope.tensorflow.tests.Tracing;
import org.tensorscope.tensorflow.tests.tflite.TfliteWriter.Field;

/**
 * A TFLite WHILE whose body multiplies by 1e10 five times: its subgraphs become a loop of the graph, so
 * the overflow is traced to the body's operator and the iteration where it happens, as for TensorFlow's
 * own loops.
 */
class TfliteControlFlowTest {

    @TempDir
    static Path folder;

    @Test
    void overflowInAWhileBodyIsTracedToTheBodyOperatorAndItsIteration() throws Exception {
        Path file = Files.write(folder.resolve("while.tflite"), scaleFiveTimes().bytes());
        try (LoadedModel model = new TfliteLoader().load(file, new NullProgressMonitor());
                InferenceSession session = new TensorFlowBackend().open(model, Device.CPU)) {
            assertFalse(model.graph().format().contains("cannot run"), model.graph().format());
            assertTrue(model.graph().op("y/body/scaled").isPresent(), "the body's operator is an op of the graph");
            for (HealthMode mode : List.of(HealthMode.FULL, HealthMode.CURT)) {
                NanReport clean = Tracing.trace(model, session, List.of("x=const:1e-20"), mode).report();
                assertTrue(clean.finite(), mode + ": 1e-20 * 1e50 stays finite");
                assertTrue(clean.unchecked().isEmpty(), clean.unchecked().toString());

                NanReport report = Tracing.trace(model, session, List.of("x=const:1"), mode).report();
                NanReport.Origin origin = report.origin();
                assertEquals("y/body/scaled", origin.op(), mode + ": " + origin);
                assertEquals("Mul", origin.type());
                assertEquals("y", origin.loop());
                assertEquals(3, origin.iteration(), "1e10^4 overflows float32 in the 4th iteration");
                assertEquals("overflow", origin.cause().rule(), origin.cause().toString());
                assertTrue(origin.cause().offendingValues().stream().anyMatch(v -> v.value() == 1e30f),
                        origin.cause().offendingValues().toString());
            }
        }
    }

    @Test
    void aSubgraphThatCallsItselfIsRefusedWithAMessage() throws Exception {
        TfliteWriter w = new TfliteWriter();
        int x = w.tensor("x", FLOAT32, 1);
        int y = w.tensor("y", FLOAT32, 1);
        TfliteWriter loop = w.subgraph("loop");
        int lx = loop.tensor("x", FLOAT32, 1);
        int ly = loop.tensor("y", FLOAT32, 1);
        loop.op(TfliteOperatorsTest.WHILE, new int[] { lx }, new int[] { ly }, TfliteOperatorsTest.WHILE_OPTIONS,
                Field.i32(0, 1), Field.i32(1, 1));
        loop.io(new int[] { lx }, new int[] { ly });
        w.op(TfliteOperatorsTest.WHILE, new int[] { x }, new int[] { y }, TfliteOperatorsTest.WHILE_OPTIONS,
                Field.i32(0, 1), Field.i32(1, 7));
        w.io(new int[] { x }, new int[] { y });
        Path file = Files.write(folder.resolve("recursive.tflite"), w.bytes());
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> new TfliteLoader().load(file, new NullProgressMonitor()));
        assertTrue(e.getMessage().contains("recursive.tflite") && e.getMessage().contains("subgraph 1 calls itself"),
                e.getMessage());
    }

    /** y = x * 1e10^5 by a WHILE over (v, i) from (x, 0): while i < 5, (v * 1e10, i + 1). */
    private static TfliteWriter scaleFiveTimes() {
        TfliteWriter w = new TfliteWriter();
        int x = w.tensor("x", FLOAT32, 1, 2);
        int start = w.constantInts("start", new int[0], 0);
        int y = w.tensor("y", FLOAT32, 1, 2);
        int count = w.tensor("count", INT32);
        TfliteWriter cond = w.subgraph("cond");
        int cv = cond.tensor("v", FLOAT32, 1, 2);
        int ci = cond.tensor("i", INT32);
        int more = cond.tensor("more", TfliteOperatorsTest.BOOL);
        cond.op(TfliteOperatorsTest.LESS, new int[] { ci, cond.constantInts("five", new int[0], 5) }, new int[] { more },
                0);
        cond.io(new int[] { cv, ci }, new int[] { more });
        TfliteWriter body = w.subgraph("body");
        int bv = body.tensor("v", FLOAT32, 1, 2);
        int bi = body.tensor("i", INT32);
        int scaled = body.tensor("scaled", FLOAT32, 1, 2);
        int next = body.tensor("next", INT32);
        body.op(TfliteOperatorsTest.MUL, new int[] { bv, body.constant("factor", new int[0], 1e10f) },
                new int[] { scaled }, TfliteOperatorsTest.MUL_OPTIONS, Field.i8(0, 0));
        body.op(TfliteOperatorsTest.ADD, new int[] { bi, body.constantInts("one", new int[0], 1) }, new int[] { next },
                TfliteOperatorsTest.ADD_OPTIONS, Field.i8(0, 0));
        body.io(new int[] { bv, bi }, new int[] { scaled, next });
        w.op(TfliteOperatorsTest.WHILE, new int[] { x, start }, new int[] { y, count },
                TfliteOperatorsTest.WHILE_OPTIONS, Field.i32(0, 1), Field.i32(1, 2));
        w.io(new int[] { x }, new int[] { y });
        return w;
    }
}
