package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorscope.core.input.RunBudget;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.tensorflow.internal.JavaCppCache;
import org.tensorscope.tensorflow.internal.TensorFlowBackend;
import org.tensorscope.tensorflow.internal.load.FrozenGraphLoader;

/**
 * Runs whose intermediate tensors cannot fit are refused before TensorFlow starts them, with one
 * line naming the model, the op, its shape and size and the option that allows more: a MatMul, a
 * Tile, a Pad or a convolution whose output size is known from static shapes, or from the shape of
 * the fed input, and a run whose tensors alive at once exceed the run budget.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RunMemoryTest {

    private static final long MI = 1L << 20;

    @TempDir
    Path dir;

    @BeforeAll
    static void useTheProjectsNativeCache() {
        JavaCppCache.configure();
    }

    @AfterEach
    void defaultBudget() {
        System.clearProperty(RunBudget.PROPERTY);
    }

    private Path model(String name, Consumer<Ops> build) throws Exception {
        try (Graph graph = new Graph()) {
            build.accept(Ops.create(graph));
            return Files.write(dir.resolve(name), graph.toGraphDef().toByteArray());
        }
    }

    private static Operand<TFloat32> placeholder(Ops tf, long... dims) {
        return tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(dims)));
    }

    private static TensorData ramp(long... dims) {
        int n = (int) Shape.of(dims).numElements();
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = i % 7;
        }
        return TensorData.ofFloats("x:0", Shape.of(dims), values);
    }

    /** The one-line refusal of {@code run}, within 20 s, starting with the model's file. */
    private static String refused(Path file, Executable run) {
        long start = System.nanoTime();
        BackendException e = assertThrows(BackendException.class, run);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "took too long");
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aMatMulMadeHugeByTheFedShapeIsRefusedAndASmallFeedStillRuns() throws Exception {
        Path file = model("square.pb", tf -> {
            Operand<TFloat32> x = placeholder(tf, -1, 1);
            Operand<TFloat32> row = tf.withName("row").reshape(x, tf.constant(new int[] { 1, -1 }));
            // built by type: the test fragment does not import TF Java's linalg package
            tf.scope().env().opBuilder("MatMul", "square", tf.scope()).addInput(x.asOutput()).addInput(row.asOutput())
                    .build();
        });
        try (LoadedModel loaded = new FrozenGraphLoader().load(file, new NullProgressMonitor());
                InferenceSession session = new TensorFlowBackend().open(loaded, Device.CPU)) {
            TensorData small = session.fetch(Map.of("x:0", ramp(3, 1)), List.of("square:0"), Map.of(),
                    new NullProgressMonitor()).get("square:0");
            assertEquals(Shape.of(3, 3), small.shape());
            assertEquals(2.0, small.getDouble(5)); // x[1] * x[2] = 1 * 2

            Map<String, TensorData> huge = Map.of("x:0", ramp(1 << 20, 1));
            String expected = "op square (MatMul) would produce a tensor of shape [1048576,1048576] of float32, 4.0 TiB,"
                    + " more than the 1.0 GiB allowed for one tensor (raise TENSORSCOPE_MAX_TENSOR_BYTES to allow more)";
            assertEquals(file + ": " + expected, refused(file, () -> session.fetch(huge, List.of("square:0"), Map.of(),
                    new NullProgressMonitor())));
            assertEquals(file + ": " + expected, refused(file, () -> session.healthPass(huge, List.of("square:0"),
                    HealthMode.CURT, Map.of(), new NullProgressMonitor())));
        }
    }

    @Test
    void aConvolutionMadeHugeByTheFedImageIsRefused() throws Exception {
        Path file = model("conv.pb", tf -> {
            Operand<TFloat32> filter = tf.withName("filter").fill(tf.constant(new int[] { 1, 1, 1, 65536 }), tf.constant(0.5f));
            tf.withName("conv").nn.conv2d(placeholder(tf, 1, -1, -1, 1), filter, List.of(1L, 1L, 1L, 1L), "SAME");
        });
        try (LoadedModel loaded = new FrozenGraphLoader().load(file, new NullProgressMonitor());
                InferenceSession session = new TensorFlowBackend().open(loaded, Device.CPU)) {
            assertEquals(file + ": op conv (Conv2D) would produce a tensor of shape [1,2048,2048,65536] of float32, 1.0 TiB,"
                    + " more than the 1.0 GiB allowed for one tensor (raise TENSORSCOPE_MAX_TENSOR_BYTES to allow more)",
                    refused(file, () -> session.fetch(Map.of("x:0", ramp(1, 2048, 2048, 1)), List.of("conv:0"), Map.of(),
                            new NullProgressMonitor())));
        }
    }

    @Test
    void aTileAndAPadOfStaticShapeAreRefusedWithoutAnyFeed() throws Exception {
        Path file = model("tile.pb", tf -> {
            Operand<TFloat32> c = tf.withName("c").constant(new float[][] { { 1f, 2f } });
            tf.withName("tiled").tile(c, tf.constant(new int[] { 1 << 16, 1 << 14 }));
            tf.withName("padded").pad(c, tf.constant(new int[][] { { 0, 1 << 20 }, { 0, 1 << 10 } }), tf.constant(0f));
        });
        try (LoadedModel loaded = new FrozenGraphLoader().load(file, new NullProgressMonitor());
                InferenceSession session = new TensorFlowBackend().open(loaded, Device.CPU)) {
            assertEquals(file + ": op tiled (Tile) would produce a tensor of shape [65536,32768] of float32, 8.0 GiB,"
                    + " more than the 1.0 GiB allowed for one tensor (raise TENSORSCOPE_MAX_TENSOR_BYTES to allow more)",
                    refused(file, () -> session.fetch(Map.of(), List.of("tiled:0"), Map.of(), new NullProgressMonitor())));
            String pad = refused(file, () -> session.healthPass(Map.of(), List.of("padded:0"), HealthMode.FULL, Map.of(),
                    new NullProgressMonitor()));
            assertTrue(pad.contains(": op padded (PadV2) would produce a tensor of shape [1048577,1026] of float32, 4.0 GiB,"
                    + " more than the 1.0 GiB allowed for one tensor"), pad);
        }
    }

    /** exp(x) and sin(x) of 16 MiB each are alive when their sum (16 MiB more) is computed: 48 MiB at once. */
    @Test
    void aRunWhoseLiveTensorsExceedTheRunBudgetIsRefusedAndRunsWithMore() throws Exception {
        Path file = model("sum.pb", tf -> {
            Operand<TFloat32> x = placeholder(tf, -1);
            tf.withName("sum").math.add(tf.withName("e").math.exp(x), tf.withName("s").math.sin(x));
        });
        Map<String, TensorData> feed = Map.of("x:0", ramp(4 * MI));
        System.setProperty(RunBudget.PROPERTY, "40m");
        try (LoadedModel loaded = new FrozenGraphLoader().load(file, new NullProgressMonitor());
                InferenceSession session = new TensorFlowBackend().open(loaded, Device.CPU)) {
            assertEquals(file + ": the run's intermediate tensors would take at least 48.0 MiB at once (at op sum (Add),"
                    + " whose output sum:0 of shape [4194304] takes 16.0 MiB), more than the 40.0 MiB allowed for one run"
                    + " (raise TENSORSCOPE_MAX_RUN_BYTES to allow more)",
                    refused(file, () -> session.fetch(feed, List.of("sum:0"), Map.of(), new NullProgressMonitor())));
        }
        System.setProperty(RunBudget.PROPERTY, "64m");
        try (LoadedModel loaded = new FrozenGraphLoader().load(file, new NullProgressMonitor());
                InferenceSession session = new TensorFlowBackend().open(loaded, Device.CPU)) {
            TensorData sum = session.fetch(feed, List.of("sum:0"), Map.of(), new NullProgressMonitor()).get("sum:0");
            assertEquals(Math.exp(1) + Math.sin(1), sum.getDouble(1), 1e-5);
        }
    }
}
