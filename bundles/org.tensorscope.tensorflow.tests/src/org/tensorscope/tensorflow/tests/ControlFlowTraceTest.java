package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.GraphDef;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.run.TraceOutcome;
import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.core.trace.LoopHealth;
import org.tensorscope.core.trace.TensorHealth;
import org.tensorscope.tensorflow.internal.TensorFlowBackend;
import org.tensorscope.tensorflow.internal.load.FrozenGraphLoader;

/**
 * Generated models with control flow and a planted overflow or NaN: TF1 loops and conds built with
 * TensorFlow Java, TF2 functional StatelessIf and StatelessWhile inside a library function. Each
 * trace must name the op, the loop iteration and the counts, and check the tensors inside.
 */
class ControlFlowTraceTest {

    @TempDir
    static Path folder;

    private record Traced(TraceOutcome outcome, InferenceSession session, LoadedModel model) implements AutoCloseable {

        NanReport report() {
            return outcome.report();
        }

        TensorHealth row(String tensor) {
            return outcome.trace().row(tensor).orElseThrow(() -> new AssertionError("no row for " + tensor));
        }

        @Override
        public void close() {
            session.close();
            model.close();
        }
    }

    private static Traced trace(Path file, HealthMode mode, String... inputs) throws Exception {
        LoadedModel model = new FrozenGraphLoader().load(file, new NullProgressMonitor());
        InferenceSession session = new TensorFlowBackend().open(model, Device.CPU);
        return new Traced(Tracing.trace(model, session, List.of(inputs), mode), session, model);
    }

    private static Path write(String name, GraphDef graph) throws Exception {
        Path file = folder.resolve(name + ".pb");
        Files.write(file, graph.toByteArray());
        return file;
    }

    @Test
    void overflowInsideAWhileBodyIsTracedToItsIteration() throws Exception {
        Path file = PlantedModels.write(folder, "while", ControlFlowModels::whileOverflow);
        for (HealthMode mode : List.of(HealthMode.FULL, HealthMode.CURT)) {
            try (Traced t = trace(file, mode, "x=const:1@2")) {
                NanReport.Origin origin = t.report().origin();
                assertEquals("loop/body/scale", origin.op(), mode + ": " + origin);
                assertEquals("Mul", origin.type());
                assertEquals("loop", origin.loop());
                assertEquals(3, origin.iteration(), "1e10^4 overflows float32 at the 4th product");
                LoopHealth loop = t.outcome().trace().loop("loop/body/scale:0").orElseThrow();
                assertEquals(ControlFlowModels.ITERATIONS, loop.iterations());
                TensorHealth scale = t.row("loop/body/scale:0");
                assertEquals(2 * ControlFlowModels.ITERATIONS, scale.elements(), "2 values in each of 5 iterations");
                assertEquals(2 * 2, scale.posInfCount(), "+Inf in iterations 3 and 4");
                assertEquals(0, scale.nanCount());
                // the explanation reads the values of iteration 3: 1e30 times 1e10
                assertEquals("overflow", origin.cause().rule(), origin.cause().toString());
                assertTrue(origin.cause().offendingValues().stream().anyMatch(v -> v.input() == 0 && v.value() == 1e30f),
                        origin.cause().offendingValues().toString());
                assertTrue(t.report().unchecked().isEmpty(), t.report().unchecked().toString());
                // the loop's header runs once more than its body: its Merge sees the Inf at iteration 4
                assertEquals(4, t.outcome().trace().loop("loop/Merge_1:0").orElseThrow().firstNonFiniteIteration());
                assertEquals(2, t.row("loop/Exit_1:0").posInfCount());
            }
        }
    }

    @Test
    void healthyLoopIsCheckedInEveryIteration() throws Exception {
        Path file = PlantedModels.write(folder, "while_ok", ControlFlowModels::whileOverflow);
        try (Traced t = trace(file, HealthMode.FULL, "x=const:1e-30@2")) {
            assertTrue(t.report().finite());
            assertTrue(t.report().unchecked().isEmpty(), t.report().unchecked().toString());
            TensorHealth scale = t.row("loop/body/scale:0");
            assertEquals(10, scale.elements());
            assertEquals(1e-20, scale.min(), 1e-26, "first iteration's product");
            assertEquals(1e20, scale.max(), 1e14, "last iteration's product");
            assertEquals(-1, t.outcome().trace().loop("loop/body/scale:0").orElseThrow().firstNonFiniteIteration());
        }
    }

    @Test
    void fetchingATensorInsideALoopGivesTheIterationWhereItTurnedNonFinite() throws Exception {
        Path file = PlantedModels.write(folder, "while_fetch", ControlFlowModels::whileOverflow);
        try (LoadedModel model = new FrozenGraphLoader().load(file, new NullProgressMonitor());
                InferenceSession session = new TensorFlowBackend().open(model, Device.CPU)) {
            Map<String, TensorData> feeds = Map.of("x:0", TensorData.ofFloats("x:0", Shape.of(2), 1f, 1f));
            Map<String, TensorData> fetched = session.fetch(feeds, List.of("loop/body/scale:0", "loop/Switch_1:1"),
                    Map.of(), new NullProgressMonitor());
            assertEquals(Float.POSITIVE_INFINITY, fetched.get("loop/body/scale:0").getDouble(0));
            assertEquals(1e30f, (float) fetched.get("loop/Switch_1:1").getDouble(0), "the product's input in iteration 3");
            Map<String, TensorData> last = session.fetch(
                    Map.of("x:0", TensorData.ofFloats("x:0", Shape.of(2), 1e-30f, 1e-30f)), List.of("loop/body/scale:0"),
                    Map.of(), new NullProgressMonitor());
            assertEquals(1e20f, (float) last.get("loop/body/scale:0").getDouble(0), 1e14f,
                    "healthy: the last iteration's value");
        }
    }

    @Test
    void nanInTheTakenBranchOfACond() throws Exception {
        Path file = PlantedModels.write(folder, "cond", ControlFlowModels::condNan);
        for (HealthMode mode : List.of(HealthMode.FULL, HealthMode.CURT)) {
            try (Traced t = trace(file, mode, "x=const:2@3")) {
                NanReport.Origin origin = t.report().origin();
                assertEquals("then/log", origin.op(), mode + ": " + origin);
                assertEquals("log-of-non-positive", origin.cause().rule());
                assertTrue(origin.cause().offendingValues().stream().anyMatch(v -> v.value() == -8),
                        origin.cause().offendingValues().toString());
                assertEquals(3, t.row("then/log:0").nanCount());
                assertEquals(3, t.row("join:0").nanCount());
                assertTrue(t.outcome().trace().row("else/double:0").isEmpty(), "the untaken branch is not computed");
                assertEquals(List.of("else/double:0", "switch:0"), notComputed(t.report()), "and the trace says so");
            }
        }
    }

    /** The tensors the report lists as not computed for this input, each with its cond named. */
    private static List<String> notComputed(NanReport report) {
        return report.unchecked().stream().filter(u -> u.reason().startsWith("not computed for this input")).map(u -> {
            assertTrue(u.reason().contains("cond "), u.reason());
            return u.tensor();
        }).sorted().toList();
    }

    @Test
    void untakenBranchIsListedAsNotComputed() throws Exception {
        Path file = PlantedModels.write(folder, "cond_else", ControlFlowModels::condNan);
        try (Traced t = trace(file, HealthMode.FULL, "x=const:-2@3")) {
            assertTrue(t.report().finite());
            assertEquals(List.of("switch:1", "then/log:0", "then/shift:0"), notComputed(t.report()));
            assertEquals(3, t.report().unchecked().size(), t.report().unchecked().toString());
            assertFalse(t.outcome().trace().isComplete(), "no claim over tensors this input did not compute");
            assertTrue(t.report().unchecked().get(0).reason().endsWith("cond switch that this input did not take"),
                    t.report().unchecked().toString());
            assertTrue(t.outcome().trace().row("then/log:0").isEmpty());
            assertEquals(-4, t.row("else/double:0").min());
            assertEquals(-3, t.row("out:0").max());
            BackendException notComputed = org.junit.jupiter.api.Assertions.assertThrows(BackendException.class,
                    () -> t.session().fetch(Map.of("x:0", TensorData.ofFloats("x:0", Shape.of(3), -2f, -2f, -2f)),
                            List.of("then/log:0"), Map.of(), new NullProgressMonitor()));
            assertTrue(notComputed.getMessage().contains("not computed for this input")
                    && notComputed.getMessage().contains("then/log:0"), notComputed.getMessage());
            assertFalse(notComputed.getMessage().contains("tensorscope_"), notComputed.getMessage());
        }
    }

    @Test
    void overflowInAStatelessIfBranchInsideAFunction() throws Exception {
        Path file = write("stateless_if", FunctionalModels.statelessIfInFunction());
        try (Traced t = trace(file, HealthMode.FULL, "x=const:1e10@2", "flag=const:1@scalar")) {
            NanReport.Origin origin = t.report().origin();
            assertEquals("call/cond/then/scale", origin.op(), origin.toString());
            assertEquals("overflow", origin.cause().rule());
            assertEquals(2, t.row("call/cond/then/scale:0").posInfCount());
            assertTrue(t.outcome().trace().row("call/cond/else/negate:0").isEmpty(), "the else branch did not run");
            assertEquals(List.of("call/cond/else/negate:0", "call/cond/input_0:0"), notComputed(t.report()));
            assertEquals(2, t.report().unchecked().size(), t.report().unchecked().toString());
        }
        try (Traced t = trace(file, HealthMode.FULL, "x=const:1e10@2", "flag=const:0@scalar")) {
            assertTrue(t.report().finite());
            assertEquals(-1e10, t.row("call/cond/else/negate:0").max(), 1e4);
            assertEquals(-1e10 + 1, t.row("out:0").max(), 1e4);
            assertEquals(List.of("call/cond/input_0:1", "call/cond/then/big:0", "call/cond/then/scale:0"),
                    notComputed(t.report()));
        }
    }

    @Test
    void overflowInAStatelessWhileBodyInsideAFunction() throws Exception {
        Path file = write("stateless_while", FunctionalModels.statelessWhileInFunction());
        try (Traced t = trace(file, HealthMode.FULL, "x=const:1@2")) {
            NanReport.Origin origin = t.report().origin();
            assertEquals("call/loop/body/scale", origin.op(), origin.toString());
            assertEquals("call/loop", origin.loop());
            assertEquals(3, origin.iteration());
            assertEquals(5, t.outcome().trace().loop("call/loop/body/scale:0").orElseThrow().iterations());
            assertEquals(4, t.row("call/loop/body/scale:0").posInfCount());
            assertTrue(t.report().unchecked().isEmpty(), t.report().unchecked().toString());
        }
    }

    @Test
    void overflowInANestedLoopCountsTheInnerIterationsAcrossOuterOnes() throws Exception {
        Path file = write("nested_while", FunctionalModels.nestedWhileInFunction());
        try (Traced t = trace(file, HealthMode.FULL, "x=const:1@2")) {
            NanReport.Origin origin = t.report().origin();
            assertEquals("call/outer/body/inner/body/scale", origin.op(), origin.toString());
            assertEquals("call/outer > call/outer/body/inner", origin.loop());
            // the inner loop ran twice per outer iteration: 1e10, 1e20, then 1e30 and +Inf in the second run
            assertEquals(3, origin.iteration());
            LoopHealth inner = t.outcome().trace().loop("call/outer/body/inner/body/scale:0").orElseThrow();
            assertEquals(6, inner.iterations(), "2 inner iterations in each of 3 outer ones");
            assertEquals(3, t.outcome().trace().loop("call/outer/body_input_1:0").orElseThrow().iterations());
            assertEquals(6, t.row("call/outer/body/inner/body/scale:0").posInfCount());
            assertEquals("overflow", origin.cause().rule());
            assertTrue(origin.cause().offendingValues().stream().anyMatch(v -> v.value() == 1e30f),
                    "the explanation reads the values of that iteration: " + origin.cause().offendingValues());
            assertTrue(t.report().unchecked().isEmpty(), t.report().unchecked().toString());
        }
    }

    @Test
    void caseRunsTheChosenBranchAndTheLastForAnIndexOutOfRange() throws Exception {
        Path file = write("case", FunctionalModels.caseInFunction());
        String huge = "call/case/case_0/else/rest/case_1/then/scale";
        try (Traced t = trace(file, HealthMode.CURT, "x=const:1e10@2", "k=const:1@scalar")) {
            assertEquals(huge, t.report().origin().op(), t.report().origin().toString());
            assertEquals(2, t.row(huge + ":0").posInfCount());
            assertTrue(notComputed(t.report()).contains("call/case/case_0/then/double:0"));
        }
        try (Traced t = trace(file, HealthMode.CURT, "x=const:1e10@2", "k=const:7@scalar")) {
            assertTrue(t.report().finite());
            assertEquals(-1e10, t.outcome().trace().outputs().get("out:0").getDouble(0), 1e4, "the last branch: -x");
            assertTrue(t.outcome().trace().row(huge + ":0").isEmpty());
            assertTrue(notComputed(t.report()).contains(huge + ":0"));
        }
    }
}
