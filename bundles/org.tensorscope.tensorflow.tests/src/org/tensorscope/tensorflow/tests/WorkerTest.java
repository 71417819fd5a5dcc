package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.Contributions;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.core.trace.TensorHealth;
import org.tensorscope.core.trace.Trace;

/**
 * Models loaded and run in the inference worker process: the same answers as in this JVM, and a
 * worker that crashes, is killed or does not stop on cancel ends alone, with a message naming
 * what it was doing, and is started again for the next run.
 */
class WorkerTest {

    private static final int SIDE = 1024;
    private static final int SLOW_STEPS = 1_200;

    @TempDir
    static Path folder;

    private static Contributions inWorker;
    private static Contributions inProcess;

    @BeforeAll
    static void open() {
        BundleContext context = FrameworkUtil.getBundle(WorkerTest.class).getBundleContext();
        inWorker = new Contributions(context, true);
        inProcess = new Contributions(context, false);
    }

    @AfterAll
    static void close() {
        inWorker.close();
        inProcess.close();
    }

    @Test
    void theWorkerComputesAndTracesWhatThisJvmDoes() throws Exception {
        Path model = PlantedModels.write(folder, "division", PlantedModels::division);
        Map<String, TensorData> feeds = Map.of("x", TensorData.ofFloats("x", Shape.of(3), 1, 0, 4),
                "y", TensorData.ofFloats("y", Shape.of(3), 2, 0, 0));
        Trace remote = trace(inWorker, model, feeds);
        Trace local = trace(inProcess, model, feeds);

        assertEquals(local.rows().stream().map(TensorHealth::tensor).toList(),
                remote.rows().stream().map(TensorHealth::tensor).toList());
        TensorHealth division = remote.row("div").orElseThrow();
        assertEquals(1, division.nanCount(), "0/0");
        assertEquals(1, division.posInfCount(), "4/0");
        assertEquals(withoutTime(local.row("div").orElseThrow()), withoutTime(division));
        assertEquals(local.isComplete(), remote.isComplete());
        assertArrayEquals(values(local.outputs().get("out:0")), values(remote.outputs().get("out:0")));
        // the constant 1 is checked once per session, and the trace says so in the worker too
        assertTrue(local.notProbed().keySet().stream().anyMatch(t -> t.startsWith("Const")), local.notProbed().toString());
        assertEquals(local.notProbed(), remote.notProbed());
    }

    @Test
    void aRealModelGivesTheSameOutputsInTheWorker() throws Exception {
        Path model = TestModels.get("tfjs/handskeleton/handskeleton.json");
        try (LoadedModel remote = inWorker.open(model, new NullProgressMonitor());
                LoadedModel local = inProcess.open(model, new NullProgressMonitor())) {
            assertEquals(local.graph().ops().size(), remote.graph().ops().size());
            assertEquals(local.graph().signatures(), remote.graph().signatures());
            String output = remote.graph().defaultSignature().orElseThrow().outputs().get(0).tensor().name();
            var input = remote.graph().defaultSignature().orElseThrow().inputs().get(0).tensor();
            TensorData ramp = ramp(input.name(), new Shape(java.util.Arrays.stream(input.shape().dims()).map(d -> d < 0 ? 1 : d).toArray()));
            try (InferenceSession remoteSession = inWorker.backendFor(remote).open(remote, org.tensorscope.core.service.Device.CPU);
                    InferenceSession localSession = inProcess.backendFor(local).open(local, org.tensorscope.core.service.Device.CPU)) {
                Map<String, TensorData> feeds = Map.of(input.name(), ramp);
                assertArrayEquals(values(localSession.fetch(feeds, List.of(output), Map.of(), null).get(output)),
                        values(remoteSession.fetch(feeds, List.of(output), Map.of(), null).get(output)));
                // a large activation comes back whole (through the replies' shared area where there is one)
                String conv = remote.graph().ops().stream().filter(op -> op.type().contains("Conv2D")).findFirst()
                        .orElseThrow().outputs().get(0).name();
                // a CURT pass that probes nothing computed its outputs as plain inference does, and says so across
                Trace remoteTrace = remoteSession.healthPass(feeds, List.of(output), HealthMode.CURT, Map.of(), null);
                assertTrue(remoteTrace.outputsAsPlainRun(), remoteTrace.notProbed().size() + " rows not probed");
                TensorData remoteConv = remoteSession.fetch(feeds, List.of(conv), Map.of(), null).get(conv);
                assertTrue(remoteConv.size() > 100_000, conv + " has " + remoteConv.size() + " elements");
                assertArrayEquals(values(localSession.fetch(feeds, List.of(conv), Map.of(), null).get(conv)),
                        values(remoteConv));
                // fetched as traced, the worker writes TensorFlow's own memory into its reply, with no copy of its own:
                // the same values as copies in this JVM, the large activation's, the output's and the fed input's
                List<String> traced = List.of(conv, output, input.name());
                Map<String, TensorData> remoteTraced = remoteSession.fetchAsTraced(feeds, traced, Map.of(), null);
                Map<String, TensorData> localTraced = localSession.fetchAsTraced(feeds, traced, Map.of(), null);
                assertEquals(traced, List.copyOf(remoteTraced.keySet()));
                for (String tensor : traced) {
                    assertArrayEquals(values(localTraced.get(tensor)), values(remoteTraced.get(tensor)), tensor);
                }
                Map<String, double[]> handed = localSession.fetchAsTraced(feeds, traced, Map.of(), null, views -> {
                    Map<String, double[]> read = new java.util.LinkedHashMap<>();
                    views.forEach((name, data) -> read.put(name, values(data)));
                    return read;
                });
                for (String tensor : traced) {
                    assertArrayEquals(values(localTraced.get(tensor)), handed.get(tensor), tensor + ", handed as TensorFlow's own memory");
                }
                Map<String, double[]> handedPlain = localSession.fetch(feeds, List.of(conv), Map.of(), null,
                        views -> Map.of(conv, values(views.get(conv))));
                assertArrayEquals(values(remoteConv), handedPlain.get(conv), conv + ", a plain fetch handed as TensorFlow's own memory");
                if (Files.isDirectory(Path.of("/dev/shm")) && Files.isDirectory(Path.of("/proc/self"))) {
                    String maps = Files.readString(Path.of("/proc", Long.toString(awaitWorker().pid()), "maps"));
                    assertTrue(maps.contains("/dev/shm/tensorscope-worker") && maps.contains("/requests (deleted)")
                            && maps.contains("/replies (deleted)"),
                            "the worker maps both shared areas, whose files are already deleted");
                }
            }
        }
    }

    @Test
    void aRepeatedInputGivesTheSameOutputAndAnInputChangedInPlaceIsSentAgain() throws Exception {
        Path model = PlantedModels.write(folder, "pass_through", PlantedModels::passThrough);
        int n = 1 << 20; // 4 MB: through the shared area where there is one
        ByteBuffer bytes = ByteBuffer.allocate(n * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            bytes.putFloat(i * Float.BYTES, i % 1000);
        }
        TensorData input = new TensorData("x", DType.FLOAT32, Shape.of(n), bytes);
        try (LoadedModel loaded = inWorker.open(model, new NullProgressMonitor());
                InferenceSession session = inWorker.backendFor(loaded).open(loaded, org.tensorscope.core.service.Device.CPU)) {
            Map<String, TensorData> feeds = Map.of("x", input);
            TensorData first = session.fetch(feeds, List.of("out:0"), Map.of(), null).get("out:0");
            TensorData again = session.fetch(Map.of("x", new TensorData("x", DType.FLOAT32, Shape.of(n), bytes.duplicate())),
                    List.of("out:0"), Map.of(), null).get("out:0");
            for (int i : new int[] {0, 1, 999, n / 2, n - 1}) {
                assertEquals(2.0 * (i % 1000), first.getDouble(i), 0, "out[" + i + "]");
                assertEquals(2.0 * (i % 1000), again.getDouble(i), 0, "out[" + i + "] of the repeated input");
            }
            // the same TensorData, its buffer changed in place at the last element and at the first
            bytes.putFloat((n - 1) * Float.BYTES, 12345f);
            TensorData changedAtEnd = session.fetch(feeds, List.of("out:0"), Map.of(), null).get("out:0");
            assertEquals(2 * 12345.0, changedAtEnd.getDouble(n - 1), 0, "the changed element");
            assertEquals(2.0 * ((n - 2) % 1000), changedAtEnd.getDouble(n - 2), 0);
            bytes.putFloat(0, 7f);
            TensorData changedAtStart = session.fetch(feeds, List.of("out:0"), Map.of(), null).get("out:0");
            assertEquals(14.0, changedAtStart.getDouble(0), 0);
            assertEquals(2 * 12345.0, changedAtStart.getDouble(n - 1), 0);
            // the fed input itself comes back exact, twice in a row
            for (int round = 0; round < 2; round++) {
                TensorData echoed = session.fetch(feeds, List.of("x:0"), Map.of(), null).get("x:0");
                assertEquals(0, input.bytes().compareTo(echoed.bytes()), "the fed input, round " + round);
            }
            assertEquals(2.0 * ((n - 1) % 1000), first.getDouble(n - 1), 0, "an earlier output is not changed by later runs");
            assertEquals(0, first.bytes().compareTo(again.bytes()));
        }
    }

    @Test
    void aLoadErrorNamesTheFileAsInThisJvm() throws IOException {
        Path truncated = folder.resolve("truncated.pb");
        byte[] whole = Files.readAllBytes(PlantedModels.write(folder, "whole", PlantedModels::division));
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));
        ModelLoadException remote = assertThrows(ModelLoadException.class,
                () -> inWorker.open(truncated, new NullProgressMonitor()));
        ModelLoadException local = assertThrows(ModelLoadException.class,
                () -> inProcess.open(truncated, new NullProgressMonitor()));
        assertEquals(local.getMessage(), remote.getMessage());
    }

    @Test
    void aKilledWorkerIsNamedAndTheNextRunStartsANewOne() throws Exception {
        assertWorkerEndIsReported("KILL", "it was killed (SIGKILL)");
    }

    @Test
    void anAbortedWorkerIsNamedAndTheNextRunStartsANewOne() throws Exception {
        assertWorkerEndIsReported("ABRT", "it aborted (SIGABRT)");
    }

    /** The JVM's crash banner stays off the console; the message says what crashed it and where its report is. */
    @Test
    void aCrashedWorkerIsNamedWithItsCrashReport() throws Exception {
        String message = assertWorkerEndIsReported("SEGV", "it ");
        assertTrue(message.contains("; it said: SIGSEGV (0xb) at pc="), message);
        var report = java.util.regex.Pattern.compile("\\(its crash report: (.*tensorscope-worker-crash-\\d+\\.log)\\)")
                .matcher(message);
        assertTrue(report.find(), message);
        assertTrue(Files.deleteIfExists(Path.of(report.group(1))), "the report is where the message says");
    }

    private String assertWorkerEndIsReported(String signal, String expected) throws Exception {
        Path model = slowModel();
        try (LoadedModel loaded = inWorker.open(model, new NullProgressMonitor());
                InferenceSession session = inWorker.backendFor(loaded).open(loaded, org.tensorscope.core.service.Device.CPU)) {
            Map<String, TensorData> feeds = Map.of("x", identityScaled());
            CompletableFuture<Trace> tracing = CompletableFuture.supplyAsync(() -> {
                try {
                    return session.healthPass(feeds, List.of("out:0"), HealthMode.CONCISE, Map.of(), null);
                } catch (BackendException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            });
            ProcessHandle worker = awaitWorker();
            Thread.sleep(1_000);
            new ProcessBuilder("kill", "-" + signal, Long.toString(worker.pid())).start().waitFor();

            ExecutionException failed = assertThrows(ExecutionException.class, () -> tracing.get(60, TimeUnit.SECONDS));
            String message = failed.getCause().getMessage();
            assertTrue(message.startsWith("the inference worker stopped while tracing slow.pb: " + expected), message);
            assertFalse(worker.isAlive());

            // the same session runs again: a new worker loads the model again
            TensorData first = session.fetch(feeds, List.of("step0:0"), Map.of(), null).get("step0:0");
            assertEquals(Math.tanh(0.25), first.getDouble(0), 1e-6);
            assertEquals(0, first.getDouble(1), 0);
            return message;
        }
    }

    @Test
    void cancelStopsARunningInferenceEvenWhenTensorFlowCannotBeInterrupted() throws Exception {
        Path model = slowModel();
        try (LoadedModel loaded = inWorker.open(model, new NullProgressMonitor());
                InferenceSession session = inWorker.backendFor(loaded).open(loaded, org.tensorscope.core.service.Device.CPU)) {
            Map<String, TensorData> feeds = Map.of("x", identityScaled());
            java.util.concurrent.atomic.AtomicReference<String> task = new java.util.concurrent.atomic.AtomicReference<>("");
            NullProgressMonitor monitor = new NullProgressMonitor() {
                @Override
                public void subTask(String name) {
                    task.set(name);
                }
            };
            CompletableFuture<Long> cancelled = CompletableFuture.supplyAsync(() -> {
                try {
                    session.fetch(feeds, List.of("out:0"), Map.of(), monitor);
                    return -1L;
                } catch (OperationCanceledException e) {
                    return System.nanoTime();
                } catch (BackendException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            });
            ProcessHandle worker = awaitWorker();
            // cancelled before TensorFlow's run starts, the worker stops by itself, and that is not what this tests
            for (int i = 0; i < 600 && !task.get().startsWith("Running"); i++) {
                Thread.sleep(100);
            }
            Thread.sleep(1_000);
            long cancelAt = System.nanoTime();
            monitor.setCanceled(true);
            long returnedAt = cancelled.get(60, TimeUnit.SECONDS);
            assertTrue(returnedAt > 0, "the run was not cancelled");
            // the run alone takes far longer (see slowModel); the bound is the promise to the user
            assertTrue(TimeUnit.NANOSECONDS.toMillis(returnedAt - cancelAt) < 5_000,
                    "cancel took " + TimeUnit.NANOSECONDS.toMillis(returnedAt - cancelAt) + " ms");
            assertTrue(worker.onExit().get(10, TimeUnit.SECONDS) != null && !worker.isAlive());

            TensorData first = session.fetch(feeds, List.of("step0:0"), Map.of(), null).get("step0:0");
            assertEquals(Math.tanh(0.25), first.getDouble(0), 1e-6);
        }
    }

    private static TensorHealth withoutTime(TensorHealth row) {
        return new TensorHealth(row.tensor(), row.opType(), row.device(), row.elements(), row.nanCount(),
                row.negInfCount(), row.posInfCount(), row.min(), row.max(), row.mean(), row.std(), 0, row.zeroCount());
    }

    private static Trace trace(Contributions contributions, Path model, Map<String, TensorData> feeds) throws Exception {
        try (LoadedModel loaded = contributions.open(model, new NullProgressMonitor());
                InferenceSession session = contributions.backendFor(loaded).open(loaded, org.tensorscope.core.service.Device.CPU)) {
            return session.healthPass(feeds, List.of("out:0"), HealthMode.FULL, Map.of(), new NullProgressMonitor());
        }
    }

    /**
     * out = tanh(...tanh(tanh(x·x)·x)...·x): {@value #SLOW_STEPS} products of {@value #SIDE}² matrices,
     * seconds to tens of seconds on two cores (400 took under 3 s on an AVX-512 machine, so a cancel came after the run
     * and the worker had nothing left to stop), as one TensorFlow run that nothing in it can interrupt.
     */
    private static Path slowModel() throws IOException {
        Path file = folder.resolve("slow.pb");
        if (Files.exists(file)) {
            return file;
        }
        return PlantedModels.write(folder, "slow", tf -> {
            Operand<TFloat32> x = PlantedModels.x(tf);
            Operand<TFloat32> value = x;
            for (int i = 0; i < SLOW_STEPS; i++) {
                value = tf.withName("step" + i).math.tanh(tf.linalg.matMul(value, x));
            }
            tf.withName("out").identity(value);
        });
    }

    /** 0.5 times the identity matrix, so every step stays finite and step0 is tanh(0.25) on the diagonal, 0 elsewhere. */
    private static TensorData identityScaled() {
        ByteBuffer bytes = ByteBuffer.allocate(SIDE * SIDE * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < SIDE; i++) {
            bytes.putFloat((i * SIDE + i) * Float.BYTES, 0.5f);
        }
        return new TensorData("x", DType.FLOAT32, Shape.of(SIDE, SIDE), bytes);
    }

    private static TensorData ramp(String name, Shape shape) {
        int n = (int) shape.numElements();
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (i % 256);
        }
        return TensorData.ofFloats(name, shape, values);
    }

    /**
     * The worker started last: a worker of an earlier test may still be alive (idle, or ending), and the one this
     * test's session runs on is the newest.
     */
    private static ProcessHandle awaitWorker() throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            Optional<ProcessHandle> worker = ProcessHandle.current().children()
                    .filter(p -> p.isAlive() && p.info().commandLine().orElse("").contains("EclipseStarter"))
                    .max(java.util.Comparator.comparing(p -> p.info().startInstant().orElse(java.time.Instant.EPOCH)));
            if (worker.isPresent()) {
                return worker.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no worker process");
    }

    private static double[] values(TensorData tensor) {
        double[] values = new double[(int) tensor.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = tensor.getDouble(i);
        }
        return values;
    }
}
