package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorscope.core.compare.CompareOptions;
import org.tensorscope.core.compare.ComparedRun;
import org.tensorscope.core.compare.Divergence;
import org.tensorscope.core.compare.Comparison;
import org.tensorscope.core.compare.NameMap;
import org.tensorscope.core.compare.PairStatus;
import org.tensorscope.core.compare.RunComparer;
import org.tensorscope.core.compare.TensorMatching;
import org.tensorscope.core.compare.TensorPair;
import org.tensorscope.core.compare.WeightPair;
import org.tensorscope.core.input.Npy;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.tensorflow.internal.TensorFlowBackend;
import org.tensorscope.tensorflow.internal.keras.KerasH5Loader;
import org.tensorscope.tensorflow.internal.keras.TfjsLayersModelLoader;
import org.tensorscope.tensorflow.internal.load.FrozenGraphLoader;
import org.tensorscope.tensorflow.internal.load.SavedModelLoader;
import org.tensorscope.tensorflow.internal.load.TfjsGraphModelLoader;
import org.tensorscope.tensorflow.internal.tflite.TfliteLoader;
import org.tensorscope.tensorflow.tests.keras.KerasFiles;

/**
 * Comparisons run in TensorFlow with a known answer: a generated two-layer model against itself and
 * against a copy with one weight perturbed; the hand-landmark model against a run on its input rounded
 * to float16; two checkpoints of one architecture, one holding NaN; two real SavedModels whose bias differs
 * (testdata's half_plus_two and half_plus_three).
 */
class CompareRunsTest {

    @TempDir
    static Path folder;

    private static final float[] X = { 0.5f, -1, 2, 0.25f, 1.5f, -0.75f, 3, -2 };

    /**
     * out = softmax(relu(x @ w1 + b1) @ w2 + b2), x [1,8], w1 [8,6], w2 [6,3]; {@code w2[row][col]} gets
     * {@code delta} added and {@code w1[0][0]} becomes {@code w1First}.
     */
    private static Consumer<Ops> twoLayers(int row, int col, float delta, float w1First) {
        return twoLayers(row, col, delta, w1First, "dense1", "dense2");
    }

    /** The same model with its layers named otherwise, as a converter might name them. */
    private static Consumer<Ops> twoLayers(int row, int col, float delta, float w1First, String first, String second) {
        return tf -> {
            float[][] w1 = new float[8][6];
            for (int i = 0; i < 8; i++) {
                for (int j = 0; j < 6; j++) {
                    w1[i][j] = ((i * 6 + j) % 7 - 3) / 4f;
                }
            }
            w1[0][0] = w1First;
            float[][] w2 = new float[6][3];
            for (int i = 0; i < 6; i++) {
                for (int j = 0; j < 3; j++) {
                    w2[i][j] = ((i * 3 + j) % 5 - 2) / 3f;
                }
            }
            w2[row][col] += delta;
            Operand<TFloat32> x = tf.withName("x").placeholder(TFloat32.class);
            Ops d1 = tf.withSubScope(first);
            Operand<TFloat32> h = d1.withName("MatMul").linalg.matMul(x, d1.withName("kernel").constant(w1));
            h = d1.withName("BiasAdd").nn.biasAdd(h, d1.withName("bias").constant(new float[] { 0.1f, -0.2f, 0.3f, 0,
                    0.05f, -0.1f }));
            h = d1.withName("Relu").nn.relu(h);
            Ops d2 = tf.withSubScope(second);
            Operand<TFloat32> y = d2.withName("MatMul").linalg.matMul(h, d2.withName("kernel").constant(w2));
            y = d2.withName("add").math.add(y, d2.withName("bias").constant(new float[] { 0.5f, 0, -0.5f }));
            tf.withName("out").nn.softmax(y);
        };
    }

    private record Side(LoadedModel model, InferenceSession session, ComparedRun run) implements AutoCloseable {
        @Override
        public void close() {
            session.close();
            model.close();
        }
    }

    /** @param inputs null for a weights-only comparison */
    private static Side open(LoadedModel model, List<String> inputs) throws Exception {
        InferenceSession session = new TensorFlowBackend().open(model, Device.CPU);
        ModelGraph graph = model.graph();
        if (inputs == null) { // weights only: nothing runs
            return new Side(model, session, new ComparedRun(graph, null, session, Map.of(), List.of()));
        }
        var signature = graph.defaultSignature().orElseThrow();
        PreparedInputs prepared = PreparedInputs.prepare(signature, inputs);
        return new Side(model, session, new ComparedRun(graph, signature, session, prepared.feeds(), inputs));
    }

    private static Side frozen(Path file, List<String> inputs) throws Exception {
        return open(new FrozenGraphLoader().load(file, new NullProgressMonitor()), inputs);
    }

    private static String input(String name, long[] shape, float... values) throws Exception {
        Path file = folder.resolve(name + "-" + System.nanoTime() + ".npy");
        Npy.write(TensorData.ofFloats(name, Shape.of(shape), values), file);
        return name + "=" + file;
    }

    private static Comparison compare(Side a, Side b, CompareOptions options) throws Exception {
        return new RunComparer().compare(a.run(), b.run(), options, new NullProgressMonitor());
    }

    @Test
    void aModelComparedWithItselfDoesNotDiverge() throws Exception {
        Path model = PlantedModels.write(folder, "two_layers", twoLayers(0, 0, 0, -0.75f));
        String x = input("x", new long[] { 1, 8 }, X);
        try (Side a = frozen(model, List.of(x)); Side b = frozen(model, List.of(x))) {
            Comparison c = compare(a, b, CompareOptions.defaults());

            assertFalse(c.diverged());
            assertTrue(c.firstDivergence().isEmpty());
            assertEquals(TensorMatching.NAME, c.matching());
            assertEquals(List.of("x:0", "dense1/MatMul:0", "dense1/BiasAdd:0", "dense1/Relu:0", "dense2/MatMul:0",
                    "dense2/add:0", "out:0"), c.pairs().stream().map(TensorPair::tensorA).toList());
            for (TensorPair p : c.pairs()) {
                assertEquals(PairStatus.MATCH, p.status(), p.tensorA());
                assertEquals(0.0, p.metrics().maxAbsError(), p.tensorA() + " is computed the same way on both sides");
            }
            assertEquals(List.of("out:0"), c.outputs().stream().map(TensorPair::tensorA).toList());
            assertEquals(4, c.weights().pairs().size());
            assertTrue(c.weights().diverged().isEmpty());
        }
    }

    /**
     * The same Keras MobileNetV2 as an .h5 file and as a TF.js layers model: their 52 batch norms' reserve spaces,
     * which no op reads and which hold whatever memory they were given, made the two seem to diverge there.
     */
    @Test
    void oneKerasModelInTwoFormatsDoesNotDiverge() throws Exception {
        try (Side a = open(new KerasH5Loader().load(KerasFiles.model("keras/mobilenet_v2.h5"), new NullProgressMonitor()),
                List.of("ramp"));
                Side b = open(new TfjsLayersModelLoader().load(KerasFiles.model("tfjs-layers/mobilenet_v2/model.json"),
                        new NullProgressMonitor()), List.of("ramp"))) {
            Comparison c = compare(a, b, CompareOptions.defaults());

            assertFalse(c.diverged(), c.firstDivergence().map(d -> d.pair().tensorA()).orElse(""));
            // 428 float tensors, less the five outputs of each of the 52 batch norms that no op reads
            assertEquals(428 - 5 * 52, c.pairs().size());
            assertTrue(c.pairs().stream().noneMatch(p -> p.tensorA().matches(".*FusedBatchNormV3:[345]")),
                    "no reserve space is compared");
            assertTrue(c.pairs().stream().anyMatch(p -> p.tensorA().equals("bn_Conv1/FusedBatchNormV3:0")));
        }
    }

    @Test
    void aPerturbedWeightMakesTheOpReadingItTheFirstDivergence() throws Exception {
        Path model = PlantedModels.write(folder, "two_layers_a", twoLayers(0, 0, 0, -0.75f));
        Path perturbed = PlantedModels.write(folder, "two_layers_b", twoLayers(2, 1, 0.05f, -0.75f));
        String x = input("x", new long[] { 1, 8 }, X);
        try (Side a = frozen(model, List.of(x)); Side b = frozen(perturbed, List.of(x))) {
            Comparison c = compare(a, b, CompareOptions.defaults());

            assertTrue(c.diverged());
            var first = c.firstDivergence().orElseThrow();
            assertEquals("dense2/MatMul", first.pair().opA());
            assertEquals("MatMul", first.pair().opType());
            assertEquals(List.of("dense2/kernel:0"), first.differingInputs());
            float h2 = relu(2);
            assertTrue(h2 > 0, "the perturbed row of w2 meets a non-zero activation");
            assertEquals(0.05 * h2, first.pair().metrics().maxAbsError(), 1e-5, "0.05 times the activation it multiplies");
            assertEquals(List.of(0L, 1L), first.pair().metrics().worstPosition(), "only output column 1 changes");
            for (String before : List.of("x", "dense1/MatMul", "dense1/BiasAdd", "dense1/Relu")) {
                assertEquals(0.0, c.pairOfA(before).orElseThrow().metrics().maxAbsError(), before + " matches exactly");
            }
            assertEquals(PairStatus.DIVERGED, c.pairOfA("out").orElseThrow().status());
            assertEquals(List.of("dense2/kernel"), c.weights().diverged().stream().map(WeightPair::weightA).toList());
        }
    }

    /** Row 2 of the first layer's output for X, computed in Java. */
    private static float relu(int column) {
        float sum = 0;
        for (int i = 0; i < 8; i++) {
            float w = i == 0 && column == 0 ? -0.75f : ((i * 6 + column) % 7 - 3) / 4f;
            sum += X[i] * w;
        }
        float[] bias = { 0.1f, -0.2f, 0.3f, 0, 0.05f, -0.1f };
        return Math.max(0, sum + bias[column]);
    }

    @Test
    void twoCheckpointsWhereOneWeightHoldsNanNameThatWeightFirst() throws Exception {
        Path before = PlantedModels.write(folder, "checkpoint_1", twoLayers(4, 2, 0.5f, -0.75f));
        Path after = PlantedModels.write(folder, "checkpoint_2", twoLayers(4, 2, 3f, Float.NaN));
        try (Side a = frozen(before, null); Side b = frozen(after, null)) {
            Comparison c = compare(a, b, new CompareOptions(1e-4, NameMap.EMPTY, true));

            assertTrue(c.weightsOnly());
            assertTrue(c.diverged());
            List<WeightPair> ranked = c.weights().ranked();
            assertEquals("dense1/kernel", ranked.get(0).weightA(), "the weight holding NaN comes first");
            assertEquals(1, ranked.get(0).nonFiniteB());
            assertEquals(0, ranked.get(0).nonFiniteA());
            assertEquals(PairStatus.DIVERGED, ranked.get(0).status());
            assertEquals("dense1/kernel", c.weights().firstNonFinite().orElseThrow().weightA());
            assertEquals("dense2/kernel", c.weights().mostChanged().orElseThrow().weightA(), "the finite change: 2.5");
            assertEquals("dense2/kernel", ranked.get(1).weightA());
            assertEquals(PairStatus.MATCH, c.weights().pairs().stream().filter(p -> p.weightA().equals("dense1/bias"))
                    .findFirst().orElseThrow().status());
        }
    }

    @Test
    void handLandmarksAgainstARunOnItsInputRoundedToFloat16() throws Exception {
        Path model = TestModels.get("tfjs/handlandmark-lite/handlandmark-lite.json");
        int n = 224 * 224 * 3;
        float[] ramp = new float[n];
        float[] rounded = new float[n];
        for (int i = 0; i < n; i++) {
            ramp[i] = ((i * 7L) % 255) / 255f;
            rounded[i] = Float.float16ToFloat(Float.floatToFloat16(ramp[i]));
        }
        long[] shape = { 1, 224, 224, 3 };
        try (Side a = open(new TfjsGraphModelLoader().load(model, new NullProgressMonitor()), List.of(input("input_1", shape, ramp)));
                Side b = open(new TfjsGraphModelLoader().load(model, new NullProgressMonitor()),
                        List.of(input("input_1", shape, rounded)))) {
            Comparison c = compare(a, b, CompareOptions.defaults());

            assertEquals(TensorMatching.NAME, c.matching());
            assertEquals(List.of(), c.unmatchedA());
            assertEquals(c.pairs().size(), c.comparedCount(), "every float tensor of the run was fetched and compared");
            assertTrue(c.pairs().size() > 100, "pairs: " + c.pairs().size());
            TensorPair in = c.pairOfA("input_1").orElseThrow();
            assertTrue(in.input());
            assertTrue(in.metrics().maxAbsError() > 0 && in.metrics().maxAbsError() <= 0x1p-12,
                    "rounding [0,1] to float16 moves a value by at most 2^-12: " + in.metrics().maxAbsError());
            var first = c.firstDivergence().orElseThrow();
            assertEquals("Conv2D", first.pair().opA(), "the first convolution reads the rounded input");
            assertEquals(List.of("input_1:0"), first.differingInputs());

            for (TensorPair p : c.pairs()) {
                assertTrue(p.metrics().error() < 1e-2 && p.metrics().nonFiniteMismatches() == 0,
                        p.tensorA() + ": float16 rounding of the input stays small everywhere: " + p.metrics());
                assertTrue(p.metrics().cosine() > 0.99999, p.tensorA() + " cosine " + p.metrics().cosine());
            }
            for (TensorPair out : c.outputs()) {
                assertTrue(out.metrics().maxAbsError() > 0, out.tensorA() + " differs, if only a little");
            }
            // the largest absolute error is in the 63 landmark coordinates, the largest values the model computes
            TensorPair landmarks = c.pairOfA("Identity").orElseThrow();
            double largestAbs = c.pairs().stream().mapToDouble(p -> p.metrics().maxAbsError()).max().orElseThrow();
            assertEquals(largestAbs, landmarks.metrics().maxAbsError());
            assertTrue(largestAbs > 1e-3 && largestAbs < 0.1, "landmarks move by " + largestAbs);
            assertTrue(landmarks.metrics().maxRelError() < 1e-2, "relative to the coordinates it stays small");
            // relative to the magnitudes, the error is largest in the first blocks, right after the input
            TensorPair worst = c.topByError(1).get(0);
            assertEquals("Add_2:0", worst.tensorA());
            assertTrue(worst.order() < first.pair().order() + 20, "within the first blocks: #" + worst.order());
        }
    }

    @Test
    void twoRealSavedModelsOfOneArchitectureDifferInTheirBias() throws Exception {
        try (Side a = open(new SavedModelLoader().load(TestModels.get("savedmodel/tf1_half_plus_two"), new NullProgressMonitor()), null);
                Side b = open(new SavedModelLoader().load(TestModels.get("savedmodel/tf1_half_plus_three"),
                        new NullProgressMonitor()), null)) {
            Comparison c = compare(a, b, new CompareOptions(1e-4, NameMap.EMPTY, true));
            assertTrue(c.diverged());
            WeightPair bias = c.weights().mostChanged().orElseThrow();
            assertEquals("b", bias.weightA(), "y = a*x + b: b is 2 in one, 3 in the other");
            assertEquals(0.5, bias.relativeChange(), 1e-7);
            assertEquals(2.0, bias.metrics().worstA());
            assertEquals(3.0, bias.metrics().worstB());
            assertEquals(List.of("b"), c.weights().diverged().stream().map(WeightPair::weightA).toList(), "a is 0.5 in both");
            assertTrue(c.weights().unmatchedA().contains("c"), "only half_plus_two has c: " + c.weights().unmatchedA());
            assertTrue(c.weights().firstNonFinite().isEmpty());
        }
    }

    @Test
    void aRenamedCopyIsMatchedByPositionAndItsPerturbedOpFound() throws Exception {
        Path model = PlantedModels.write(folder, "named", twoLayers(0, 0, 0, -0.75f));
        Path renamed = PlantedModels.write(folder, "renamed", twoLayers(2, 1, 0.05f, -0.75f, "fc_a", "fc_b"));
        String x = input("x", new long[] { 1, 8 }, X);
        try (Side a = frozen(model, List.of(x)); Side b = frozen(renamed, List.of(x))) {
            Comparison c = compare(a, b, CompareOptions.defaults());

            assertEquals(TensorMatching.POSITION, c.matching());
            assertEquals(List.of("x:0", "fc_a/MatMul:0", "fc_a/BiasAdd:0", "fc_a/Relu:0",
                    "fc_b/MatMul:0", "fc_b/add:0", "out:0"),
                    c.pairs().stream().map(TensorPair::tensorB).toList());
            assertEquals(List.of(), c.unmatchedA());
            var first = c.firstDivergence().orElseThrow();
            assertEquals("dense2/MatMul", first.pair().opA());
            assertEquals("fc_b/MatMul", first.pair().opB());
            assertEquals(List.of("dense2/kernel:0"), first.differingInputs(), "weights paired by shape, in order");
        }
    }

    /**
     * BlazePose lite as MediaPipe's TFLite file and as its TF.js conversion, compared as a user runs
     * {@code tensorscope compare}: the names differ (position matching), the {@code Identity_k} numbering of the
     * outputs differs (paired by shape), the TFLite loader's widened and transposed filters are weights, not
     * activations, and the one real difference is the sigmoid TF.js adds to the segmentation and heatmap outputs
     * (TfliteModelsTest measures the rest: ld_3d within 0.04 of values up to 184).
     */
    @Test
    void blazePoseAsTfliteAndAsTfjsPairsItsOutputsByShapeAndShowsTheSigmoidOnTwo() throws Exception {
        try (Side a = open(new TfliteLoader().load(TestModels.get("tflite/pose_landmark_lite.tflite"),
                new NullProgressMonitor()), List.of("ramp"));
                Side b = sameInputs(a, new TfjsGraphModelLoader().load(
                        TestModels.get("tfjs/blazepose-lite/blazepose-lite.json"), new NullProgressMonitor()))) {
            Comparison c = compare(a, b, CompareOptions.defaults());

            assertEquals(TensorMatching.POSITION, c.matching());
            assertTrue(c.matchingNotes().stream().anyMatch(n -> n.startsWith("outputs paired by shape")),
                    "the notes say so: " + c.matchingNotes());
            assertEquals(5, c.outputs().size());
            for (TensorPair out : c.outputs()) {
                assertEquals(out.shapeA(), out.shapeB(), out.tensorA() + " paired with " + out.tensorB());
            }
            for (TensorPair p : c.pairs()) {
                assertNotEquals(PairStatus.SHAPE_MISMATCH, p.status(), p.tensorA() + " / " + p.tensorB());
                assertFalse(p.opA().endsWith("/filter"), "a filter computed from weights is no activation: " + p.tensorA());
            }
            assertTrue(c.unmatchedA().stream().noneMatch(t -> t.contains("/filter")), "unmatched A: " + c.unmatchedA());
            assertTrue(c.unmatchedA().size() <= 3, describe(c));
            assertTrue(c.unmatchedB().size() <= 10, "unmatched B: " + c.unmatchedB());
            assertTrue(c.pairs().size() > 250, "pairs: " + c.pairs().size());

            // the known difference: TF.js ends two outputs with a sigmoid the TFLite file leaves out
            ModelGraph graphB = b.model().graph();
            List<String> sigmoidsB = c.unmatchedB().stream()
                    .filter(t -> graphB.op(TensorSpec.opNameOf(t)).orElseThrow().type().equals("Sigmoid")).toList();
            assertEquals(2, sigmoidsB.size(), "B's sigmoids have no counterpart in A: " + c.unmatchedB());
            for (TensorPair out : List.of(outputOfShape(c, 1, 256, 256, 1), outputOfShape(c, 1, 64, 64, 39))) {
                assertEquals(PairStatus.DIVERGED, out.status(), out.tensorA());
                assertTrue(out.metrics().error() > 0.9, out.tensorA() + ": logits against probabilities " + out.metrics());
                String readB = TensorSpec.opNameOf(graphB.op(out.opB()).orElseThrow().inputs().get(0));
                assertTrue(sigmoidsB.contains(readB + ":0"), out.tensorB() + " is B's sigmoid, read from " + readB);
                assertTrue(out.note().startsWith("B computes it through ops A has no counterpart for: " + readB
                        + " (Sigmoid)"), "the pair says why: " + out.note());
            }
            assertTrue(outputOfShape(c, 1, 256, 256, 1).metrics().maxAbsError() > 100);
            // the other three outputs agree up to float16 weights and round-off, as every tensor before them
            for (long[] shape : List.of(new long[] { 1, 195 }, new long[] { 1, 1 }, new long[] { 1, 117 })) {
                TensorPair out = outputOfShape(c, shape);
                assertTrue(out.metrics().maxAbsError() < 0.05, out.tensorA() + " / " + out.tensorB() + ": " + out.metrics());
            }
            for (TensorPair p : c.pairs()) {
                if (!p.output() || p.shapeA().rank() == 2) {
                    assertTrue(p.metrics().error() < 0.2 && p.metrics().cosine() > 0.999,
                            p.tensorA() + " / " + p.tensorB() + " is paired with its counterpart: " + p.metrics());
                }
            }
            // at the default tolerance the first divergence is round-off at one op present on both sides
            Divergence first = c.firstDivergence().orElseThrow();
            assertEquals(graphB.op(first.pair().opB()).orElseThrow().type(), first.pair().opType(),
                    first.pair().opA() + " / " + first.pair().opB());
            assertEquals(first.pair().opA().substring(first.pair().opA().indexOf("/model/")),
                    first.pair().opB().substring(first.pair().opB().indexOf("/model/")), "the same layer on both sides");
            assertEquals(PairStatus.DIVERGED, first.pair().status());
            assertTrue(first.pair().metrics().maxAbsError() < 1e-3, "round-off: " + first.pair().metrics());
            // why: the convolution before it already differs a little, as some float16 filters are rounded otherwise
            assertTrue(first.differingInputs().stream().map(c::pairOfA).flatMap(java.util.Optional::stream)
                    .anyMatch(p -> !p.input() && p.status() == PairStatus.MATCH && p.metrics().maxAbsError() > 0),
                    "an input within the tolerance, not identical: " + first.differingInputs());

            // the weights as the ops read them: the TFLite filters transposed into place pair with TF.js's
            assertTrue(c.weights().pairs().size() > 150, "weights read: " + c.weights().pairs().size());
            assertTrue(c.weights().pairs().stream().noneMatch(w -> w.status() == PairStatus.SHAPE_MISMATCH));
            assertTrue(c.weights().unmatchedA().size() <= 2, "the two output biases B reads before its sigmoids: "
                    + c.weights().unmatchedA());
            List<WeightPair> rounded = c.weights().pairs().stream().filter(w -> !w.metrics().identical()).toList();
            assertFalse(rounded.isEmpty(), "some filters are rounded to float16 otherwise");
            for (WeightPair w : rounded) {
                assertTrue(w.metrics().maxAbsError() <= 1e-3 && w.metrics().cosine() > 0.99999,
                        w.weightA() + " / " + w.weightB() + " differs by float16 rounding only: " + w.metrics());
            }
        }
    }

    private static TensorPair outputOfShape(Comparison c, long... shape) {
        return c.outputs().stream().filter(p -> p.shapeA().equals(Shape.of(shape))).findFirst().orElseThrow(
                () -> new AssertionError("no output of shape " + Shape.of(shape)));
    }

    /** B fed A's values, as {@code tensorscope compare} does without --input-b (same input keys). */
    private static Side sameInputs(Side a, LoadedModel modelB) throws Exception {
        InferenceSession session = new TensorFlowBackend().open(modelB, Device.CPU);
        var signature = modelB.graph().defaultSignature().orElseThrow();
        Map<String, TensorData> feeds = new java.util.LinkedHashMap<>();
        for (var input : signature.inputs()) {
            var inputA = a.run().signature().input(input.key()).orElseThrow();
            TensorData data = a.run().feeds().get(inputA.tensor().name());
            feeds.put(input.tensor().name(), new TensorData(input.tensor().name(), data.dtype(), data.shape(), data.bytes()));
        }
        return new Side(modelB, session, new ComparedRun(modelB.graph(), signature, session, feeds,
                List.of("input_1 = A's values")));
    }

    private static String describe(Comparison c) {
        StringBuilder s = new StringBuilder("matching ").append(c.matching()).append(", ").append(c.pairs().size())
                .append(" pairs\nweights: ").append(c.weights().pairs().size()).append(" diverged ")
                .append(c.weights().diverged().stream().map(w -> w.weightA() + "/" + w.weightB() + " " + w.metrics())
                        .toList()).append("\nweights unmatched ").append(c.weights().unmatchedA()).append(' ')
                .append(c.weights().unmatchedB()).append("\nnotes: ").append(c.matchingNotes()).append("\nunmatched A: ").append(c.unmatchedA())
                .append("\nunmatched B: ").append(c.unmatchedB()).append('\n');
        c.firstDivergence().ifPresent(d -> s.append("first divergence: ").append(d.pair().tensorA()).append(" / ")
                .append(d.pair().tensorB()).append(' ').append(d.pair().opType()).append(' ').append(d.pair().metrics())
                .append(' ').append(d.differingInputs()).append('\n'));
        for (TensorPair p : c.pairs()) {
            s.append(p.order()).append(' ').append(p.tensorA()).append(" | ").append(p.tensorB()).append(' ')
                    .append(p.opType()).append(' ').append(p.shapeA()).append(' ').append(p.status()).append(' ')
                    .append(p.metrics() == null ? p.note() : p.metrics().error() + " abs " + p.metrics().maxAbsError())
                    .append(p.output() ? " OUTPUT" : "").append('\n');
        }
        return s.toString();
    }
}
