package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorscope.core.input.Npy;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.StateChangeOps;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.run.NanTracer;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.run.TraceOutcome;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.core.trace.TensorHealth;
import org.tensorscope.tensorflow.internal.TensorFlowBackend;
import org.tensorscope.tensorflow.internal.load.SavedModelLoader;

/**
 * Every signature of real SavedModels runs and traces, fed the way TF Serving feeds it (serialized
 * tf.Example strings for classify/regress); TF1 reference variables and stateful ops load and run
 * once per run.
 */
class SavedModelSignaturesTest {

    private static final String X_125 = "[{\"x\":[1.0]},{\"x\":[2.0]},{\"x\":[5.0]}]";

    @TempDir
    static Path folder;

    private final SavedModelLoader loader = new SavedModelLoader();

    /** A float32 .npy file of shape [3,1] holding 1, 2, 5. */
    private static String x125() throws Exception {
        return x125(3, 1);
    }

    /** A float32 .npy file of the given shape holding 1, 2, 5. */
    private static String x125(long... shape) throws Exception {
        Path file = folder.resolve("x125-" + shape.length + ".npy");
        if (!Files.exists(file)) {
            Npy.write(TensorData.ofFloats("x", Shape.of(shape), 1f, 2f, 5f), file);
        }
        return file.toString();
    }

    private static String scalar(float value) throws Exception {
        Path file = folder.resolve("scalar-" + value + ".npy");
        Npy.write(TensorData.ofFloats("s", Shape.of(), value), file);
        return file.toString();
    }

    private static double[] values(TensorData t) {
        double[] values = new double[(int) t.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = t.getDouble(i);
        }
        return values;
    }

    /** What a run and a trace of one signature give. */
    private record Ran(double[] run, TraceOutcome trace) {
        NanReport report() {
            return trace.report();
        }

        List<String> checked() {
            return trace.trace().rows().stream().map(TensorHealth::tensor).toList();
        }
    }

    private static Ran runAndTrace(LoadedModel model, String signatureKey, List<String> inputs) throws Exception {
        Signature signature = model.graph().signature(signatureKey).orElseThrow();
        assertEquals(1, signature.outputs().size(), signatureKey);
        String output = signature.outputs().get(0).tensor().name();
        PreparedInputs prepared = PreparedInputs.prepare(signature, inputs);
        try (InferenceSession session = new TensorFlowBackend().open(model, Device.CPU)) {
            TensorData run = session.fetch(prepared.feeds(), List.of(output), Map.of(), new NullProgressMonitor())
                    .get(output);
            TraceOutcome trace = new NanTracer(List.of()).trace(model.graph(), signature, session, prepared, Map.of(),
                    HealthMode.FULL, "cpu", new NullProgressMonitor());
            TensorData traced = trace.trace().outputs().get(output);
            assertNotNull(traced, signatureKey + ": the trace returns its output " + output);
            assertArrayEquals(values(run), values(traced), 1e-6, signatureKey + ": trace and run agree");
            return new Ran(values(run), trace);
        }
    }

    private static void assertTracedFully(Ran ran, String signature, String... mustBeChecked) {
        NanReport report = ran.report();
        assertTrue(report.finite(), signature + ": " + report.origin());
        assertEquals(List.of(), report.unchecked(), signature);
        assertEquals(ran.checked().size(), report.checked(), signature);
        for (String tensor : mustBeChecked) {
            assertTrue(ran.checked().contains(tensor), signature + ": " + tensor + " not checked; checked " + ran.checked());
        }
        assertNotNull(report.fidelity(), signature);
        assertTrue(report.fidelity().agree(), signature + ": " + report.fidelity());
    }

    static Stream<Arguments> halfPlusTwoCpuSignatures() {
        return Stream.of(
                Arguments.of("serving_default", "x=X125", new double[] { 2.5, 3, 4.5 }, "x:0,Mul:0,y:0"),
                Arguments.of("classify_x_to_y", "inputs=example:" + X_125, new double[] { 2.5, 3, 4.5 },
                        "ParseExample/ParseExample:0,x:0,Mul:0,y:0"),
                Arguments.of("regress_x_to_y", "inputs=example:" + X_125, new double[] { 2.5, 3, 4.5 },
                        "ParseExample/ParseExample:0,x:0,Add:0,y:0"),
                Arguments.of("regress_x_to_y2", "inputs=example:" + X_125, new double[] { 3.5, 4, 5.5 },
                        "ParseExample/ParseExample:0,Mul_1:0,y2:0"),
                Arguments.of("regress_x2_to_y3", "inputs=X125", new double[] { 3.5, 4, 5.5 }, "x2:0,Mul_2:0,y3:0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("halfPlusTwoCpuSignatures")
    void everySignatureOfHalfPlusTwoCpuRunsAndTraces(String signature, String input, double[] expected,
            String mustBeChecked) throws Exception {
        try (LoadedModel model = loader.load(TestModels.get("savedmodel/tf1_half_plus_two_cpu"),
                new NullProgressMonitor())) {
            Ran ran = runAndTrace(model, signature, List.of(input.replace("X125", x125())));
            assertArrayEquals(expected, ran.run(), 1e-6, signature);
            assertTracedFully(ran, signature, mustBeChecked.split(","));
            if (!input.contains("example:")) {
                assertFalse(ran.checked().stream().anyMatch(t -> t.startsWith("ParseExample")),
                        signature + " is fed after the parsing; other signatures' ops are not watched: " + ran.checked());
            }
        }
    }

    @Test
    void halfPlusThreeLoadsItsReferenceVariablesAndGivesHalfXPlusThree() throws Exception {
        try (LoadedModel model = loader.load(TestModels.get("savedmodel/tf1_half_plus_three"), new NullProgressMonitor())) {
            ModelGraph graph = model.graph();
            assertTrue(graph.ops().stream().noneMatch(op -> op.type().startsWith("Variable")),
                    "variables nothing changes are frozen: " + graph.ops());
            assertEquals(List.of(), StateChangeOps.in(graph));
            Ran served = runAndTrace(model, "serving_default", List.of("x=" + x125()));
            assertArrayEquals(new double[] { 3.5, 4, 5.5 }, served.run(), 1e-6);
            assertTracedFully(served, "serving_default", "a/read:0", "b/read:0", "Mul:0", "y:0");
            // its regress signature declares DT_FLOAT for the serialized tf.Example input: the graph's type wins
            assertEquals("string", graph.signature("tensorflow/serving/regress").orElseThrow().inputs().get(0).tensor()
                    .dtype().displayName());
            Ran regressed = runAndTrace(model, "tensorflow/serving/regress", List.of("inputs=example:" + X_125));
            assertArrayEquals(new double[] { 3.5, 4, 5.5 }, regressed.run(), 1e-6);
            assertTracedFully(regressed, "regress", "ParseExample/ParseExample:0", "Identity:0");
        }
    }

    static Stream<Arguments> pythonFunctionSignatures() {
        return Stream.of(
                Arguments.of("add", List.of("a=2", "b=3"), new double[] { 5 }, "PartitionedCall/PartitionedCall/add:0"),
                Arguments.of("get_const_scalar", List.of("input=3"), new double[] { 3 },
                        "PartitionedCall_2/PartitionedCall/add:0"),
                Arguments.of("get_const_vector", List.of("input=3"), new double[] { 3, 3, 3 },
                        "PartitionedCall_3/PartitionedCall/add:0"),
                Arguments.of("get_const_matrix", List.of("input=3"), new double[] { 3, 3, 3, 3, 3, 3 },
                        "PartitionedCall_1/PartitionedCall/add:0"),
                Arguments.of("get_variable", List.of("dummy=3"), new double[] { 2 },
                        "StatefulPartitionedCall/StatefulPartitionedCall/ReadVariableOp:0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pythonFunctionSignatures")
    void everySignatureOfAPythonWrittenTf2ModelTraces(String signature, List<String> scalars, double[] expected,
            String mustBeChecked) throws Exception {
        try (LoadedModel model = loader.load(TestModels.get("savedmodel/tf2_python_functions"),
                new NullProgressMonitor())) {
            List<String> inputs = new java.util.ArrayList<>();
            for (String s : scalars) {
                String[] kv = s.split("=");
                inputs.add(kv[0] + "=" + scalar(Float.parseFloat(kv[1])));
            }
            Ran ran = runAndTrace(model, signature, inputs);
            assertArrayEquals(expected, ran.run(), 1e-6, signature);
            assertTracedFully(ran, signature, mustBeChecked);
        }
    }

    @Test
    void aStatefulOpRunsOncePerRunStartingFromTheCheckpointAndGathersReadLiveVariables() throws Exception {
        Path dir = StatefulSavedModels.counter(folder.resolve("counter"), false);
        try (LoadedModel model = loader.load(dir, new NullProgressMonitor())) {
            ModelGraph graph = model.graph();
            assertEquals(List.of("incr_counter_op/AssignAdd AssignAdd counter", "v_add AssignAddVariableOp v"),
                    StateChangeOps.in(graph).stream()
                            .map(op -> op.name() + " " + op.type() + " " + StateChangeOps.target(op)).toList(),
                    "the model's own state changes, not the loader's restores");
            OpNode counter = graph.op("counter").orElseThrow();
            assertEquals("VariableV2", counter.type());
            assertEquals(List.of("counter/checkpoint_value:0"), counter.inputs());
            for (int i = 0; i < 2; i++) {
                Ran counted = runAndTrace(model, "count", List.of("x=" + x125(3)));
                assertArrayEquals(new double[] { 12, 13, 16 }, counted.run(), 1e-6,
                        "counter saved as 10, incremented once per run: y = x + 11, run after run");
                assertTracedFully(counted, "count", "counter/checkpoint_value:0", "incr_counter_op/AssignAdd:0", "y:0");
            }
            Ran scaled = runAndTrace(model, "scale", List.of("x=" + x125(3)));
            assertArrayEquals(new double[] { 7, 14, 35 }, scaled.run(), 1e-6,
                    "v saved as 5, plus 2 before it is read: z = 7x");
            assertTracedFully(scaled, "scale", "v/checkpoint_value:0", "v_read:0", "z:0");
            Ran gathered = runAndTrace(model, "gather", List.of("x=" + x125(3)));
            assertArrayEquals(new double[] { 3, 6, 15 }, gathered.run(), 1e-6,
                    "e saved as [1, 2, 3], its element 2 gathered from the live variable: g = 3x");
            assertTracedFully(gathered, "gather", "e/checkpoint_value:0", "e_gather:0", "g:0");
        }
    }

    @Test
    void aRestoreOpThatWritesAFileIsRefusedAndNotRun() throws Exception {
        Path dir = StatefulSavedModels.counter(folder.resolve("leaky"), true);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> loader.load(dir, new NullProgressMonitor()));
        assertEquals(dir + ": the saver's restore op would run save/leak (WriteFile), which reaches outside the model; "
                + "it is not run at load", e.getMessage());
        assertFalse(Files.exists(dir.resolve("leaked.txt")));
    }
}
