package org.tensorscope.core.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.tensorscope.core.model.OpRole;
import org.tensorscope.core.model.Shape;

/**
 * How two graphs whose names differ (a model and its conversion) are paired: what is computed from weights alone
 * is a weight, outputs whose keys disagree pair by shape, branches ordered otherwise pair along the edges, and a
 * pair by position that the computed shapes refute is unmatched rather than a divergence.
 */
class PairingTest {

    private static final Shape FOUR = Shape.of(4);
    private static final float[] X = { 1, -2, 3, 4 };

    private static Comparison compare(TableRun a, TableRun b) throws Exception {
        return new RunComparer().compare(a.run(), b.run(), CompareOptions.defaults(), new NullProgressMonitor());
    }

    /** A converter's layout: the weight is stored otherwise and transposed into place by an op of the graph. */
    private static TableRun converted(float[] w) {
        float[] mul = new float[4];
        for (int i = 0; i < 4; i++) {
            mul[i] = X[i] * w[i];
        }
        return new TableRun("a.tflite").op("a/x", "Placeholder", OpRole.INPUT, List.of(), FOUR, FOUR, X)
                .op("a/w", "Const", OpRole.CONSTANT, List.of(), FOUR, FOUR, w)
                .op("a/w/filter", "Transpose", List.of("a/w:0"), FOUR, w)
                .op("a/mul", "Mul", List.of("a/x:0", "a/w/filter:0"), FOUR, mul)
                .op("a/out", "Relu", List.of("a/mul:0"), FOUR, relu(mul))
                .input("x", "a/x").output("y", "a/out");
    }

    private static TableRun original(float[] w) {
        float[] mul = new float[4];
        for (int i = 0; i < 4; i++) {
            mul[i] = X[i] * w[i];
        }
        return new TableRun("b.json").op("b/x", "Placeholder", OpRole.INPUT, List.of(), FOUR, FOUR, X)
                .op("b/w", "Const", OpRole.CONSTANT, List.of(), FOUR, FOUR, w)
                .op("b/mul", "Mul", List.of("b/x:0", "b/w:0"), FOUR, mul)
                .op("b/out", "Relu", List.of("b/mul:0"), FOUR, relu(mul))
                .input("x", "b/x").output("y", "b/out");
    }

    private static float[] relu(float[] v) {
        float[] r = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = Math.max(0, v[i]);
        }
        return r;
    }

    @Test
    void aTensorComputedFromWeightsAloneIsAWeightAndTheWeightBehindItIsNamed() throws Exception {
        float[] w = { 0.5f, 0.25f, 2, -1 };
        Comparison same = compare(converted(w), original(w));
        assertEquals(TensorMatching.POSITION, same.matching());
        assertEquals(List.of("a/x:0", "a/mul:0", "a/out:0"), same.pairs().stream().map(TensorPair::tensorA).toList(),
                "the transposed filter is not an activation");
        assertEquals(List.of(), same.unmatchedA());
        assertEquals(List.of(), same.unmatchedB());
        assertFalse(same.diverged());
        WeightPair filter = same.weights().pairs().get(0);
        assertEquals(List.of("a/w/filter"), same.weights().pairs().stream().map(WeightPair::weightA).toList(),
                "the weight as the op reads it");
        assertEquals("b/w", filter.weightB());
        assertEquals(PairStatus.MATCH, filter.status());

        float[] other = w.clone();
        other[2] = 2.5f;
        Comparison c = compare(converted(w), original(other));
        Divergence first = c.firstDivergence().orElseThrow();
        assertEquals("a/mul", first.pair().opA());
        assertEquals("b/mul", first.pair().opB());
        assertEquals(List.of("a/w/filter:0"), first.differingInputs(), "the filter, because the weight behind it differs");
        assertEquals(0.5, c.weights().pairs().get(0).metrics().maxAbsError(), 1e-6);
    }

    @Test
    void outputsWhoseKeysPairDifferentShapesArePairedByShapeAndTheReportSaysSo() throws Exception {
        TableRun a = new TableRun("a.tflite").op("a/x", "Placeholder", OpRole.INPUT, List.of(), FOUR, FOUR, X)
                .op("a/sum", "Sum", List.of("a/x:0"), Shape.of(1), 6)
                .op("a/relu", "Relu", List.of("a/x:0"), FOUR, 1, 0, 3, 4)
                .input("x", "a/x").output("Identity", "a/sum").output("Identity_1", "a/relu");
        TableRun b = new TableRun("b.json").op("b/x", "Placeholder", OpRole.INPUT, List.of(), FOUR, FOUR, X)
                .op("b/relu", "Relu", List.of("b/x:0"), FOUR, 1, 0, 3, 4)
                .op("b/sum", "Sum", List.of("b/x:0"), Shape.of(1), 6)
                .input("x", "b/x").output("Identity", "b/relu").output("Identity_1", "b/sum");
        Comparison c = compare(a, b);

        assertEquals("b/sum:0", c.pairOfA("a/sum").orElseThrow().tensorB());
        assertEquals("b/relu:0", c.pairOfA("a/relu").orElseThrow().tensorB());
        assertFalse(c.diverged());
        assertEquals(List.of("outputs paired by shape, in order, not by signature key, as their keys pair tensors of "
                + "different shapes (Identity [1] in A, [4] in B; Identity_1 [4] in A, [1] in B): Identity with "
                + "Identity_1 [1], Identity_1 with Identity [4]"), c.matchingNotes());
    }

    @Test
    void branchesTheTwoFilesOrderOtherwiseArePairedAlongTheEdgesNotByTypeAlone() throws Exception {
        TableRun a = new TableRun("a.tflite").op("a/x", "Placeholder", OpRole.INPUT, List.of(), FOUR, FOUR, X)
                .op("a/narrow", "Pool", List.of("a/x:0"), Shape.of(2), 1, 3)
                .op("a/wide", "Pool", List.of("a/x:0"), FOUR, 1, 2, 3, 4)
                .op("a/out", "Concat", List.of("a/narrow:0", "a/wide:0"), Shape.of(6), 1, 3, 1, 2, 3, 4)
                .input("x", "a/x").output("y", "a/out");
        TableRun b = new TableRun("b.json").op("b/x", "Placeholder", OpRole.INPUT, List.of(), FOUR, FOUR, X)
                .op("b/wide", "Pool", List.of("b/x:0"), FOUR, 1, 2, 3, 4)
                .op("b/narrow", "Pool", List.of("b/x:0"), Shape.of(2), 1, 3)
                .op("b/out", "Concat", List.of("b/narrow:0", "b/wide:0"), Shape.of(6), 1, 3, 1, 2, 3, 4)
                .input("x", "b/x").output("y", "b/out");
        Comparison c = compare(a, b);

        assertEquals("b/narrow:0", c.pairOfA("a/narrow").orElseThrow().tensorB());
        assertEquals("b/wide:0", c.pairOfA("a/wide").orElseThrow().tensorB());
        assertTrue(c.pairs().stream().allMatch(p -> p.status() == PairStatus.MATCH), "" + c.pairs());
        assertFalse(c.diverged());
    }

    @Test
    void aPairByPositionThatTheComputedShapesRefuteIsUnmatchedNotTheFirstDivergence() throws Exception {
        Shape unknown = Shape.unknownRank();
        TableRun a = new TableRun("a.tflite").op("a/x", "Placeholder", OpRole.INPUT, List.of(), FOUR, FOUR, X)
                .op("a/pool", "Pool", OpRole.COMPUTATION, List.of("a/x:0"), unknown, Shape.of(2), 1, 3)
                .op("a/relu", "Relu", List.of("a/x:0"), FOUR, 1, 0, 3, 4)
                .input("x", "a/x").output("y", "a/relu").output("z", "a/pool");
        TableRun b = new TableRun("b.json").op("b/x", "Placeholder", OpRole.INPUT, List.of(), FOUR, FOUR, X)
                .op("b/pool", "Pool", OpRole.COMPUTATION, List.of("b/x:0"), unknown, Shape.of(3), 1, 3, 4)
                .op("b/relu", "Relu", List.of("b/x:0"), FOUR, 1, 0, 3, 4)
                .input("x", "b/x").output("y", "b/relu").output("z", "b/pool");
        Comparison c = compare(a, b);

        assertTrue(c.pairs().stream().noneMatch(p -> p.status() == PairStatus.SHAPE_MISMATCH), "" + c.pairs());
        assertTrue(c.firstDivergence().isEmpty());
        assertEquals(List.of("a/pool:0"), c.unmatchedA());
        assertEquals(List.of("b/pool:0"), c.unmatchedB());
        assertTrue(c.matchingNotes().contains("1 tensor lined up by position computed other shapes than their "
                + "counterparts: listed as unmatched"), "" + c.matchingNotes());
        assertTrue(c.matchingNotes().get(0).endsWith("no counterpart of that shape: z of A, z of B"), c.matchingNotes().get(0));
    }

    /**
     * openWakeWord's ONNX file against its TFLite conversion: the Gemm adds its bias itself, the conversion in a
     * BiasAdd after a MatMul (and ONNX files exported otherwise in an Add of a weight).
     */
    @Test
    void aBiasTheOneSideAddsInItsProductAndTheOtherAfterItPairsTheBiasedResults() throws Exception {
        Shape two = Shape.of(2);
        float[] product = { -3, 6 };
        float[] biased = { 97, 106 };
        TableRun a = new TableRun("a.onnx").op("a/x", "Placeholder", OpRole.INPUT, List.of(), FOUR, FOUR, X)
                .op("a/w", "Initializer", OpRole.CONSTANT, List.of(), Shape.of(4, 2), Shape.of(4, 2), 1, 0, 0, 1, 0, 0, -1, 2)
                .op("a/b", "Initializer", OpRole.CONSTANT, List.of(), two, two, 100, 100)
                .op("a/gemm", "Gemm", List.of("a/x:0", "a/w:0", "a/b:0"), two, biased).computing("MatMul")
                .op("a/relu", "Relu", List.of("a/gemm:0"), two, biased)
                .input("x", "a/x").output("y", "a/relu");
        for (String add : List.of("BiasAdd", "AddV2")) {
            TableRun b = new TableRun("b.tflite").op("b/x", "Placeholder", OpRole.INPUT, List.of(), FOUR, FOUR, X)
                    .op("b/w", "Const", OpRole.CONSTANT, List.of(), Shape.of(4, 2), Shape.of(4, 2), 1, 0, 0, 1, 0, 0, -1, 2)
                    .op("b/b", "Const", OpRole.CONSTANT, List.of(), two, two, 100, 100)
                    .op("b/matmul", "MatMul", List.of("b/x:0", "b/w:0"), two, product)
                    .op("b/biasadd", add, List.of("b/b:0", "b/matmul:0"), two, biased)
                    .op("b/relu", "Relu", List.of("b/biasadd:0"), two, biased)
                    .input("x", "b/x").output("y", "b/relu");
            Comparison c = compare(a, b);

            assertEquals("b/biasadd:0", c.pairOfA("a/gemm").orElseThrow().tensorB(), add);
            assertEquals(List.of("b/matmul:0"), c.unmatchedB(), add);
            assertTrue(c.pairs().stream().allMatch(p -> p.status() == PairStatus.MATCH), add + " " + c.pairs());
            assertTrue(c.firstDivergence().isEmpty(), add);

            // the other way round, the conversion as A, with B's Gemm computing otherwise: the op is to blame, as the
            // product A keeps apart is part of it and the product's inputs match
            TableRun otherGemm = new TableRun("a.onnx").op("a/x", "Placeholder", OpRole.INPUT, List.of(), FOUR, FOUR, X)
                    .op("a/w", "Initializer", OpRole.CONSTANT, List.of(), Shape.of(4, 2), Shape.of(4, 2), 1, 0, 0, 1, 0, 0, -1, 2)
                    .op("a/b", "Initializer", OpRole.CONSTANT, List.of(), two, two, 100, 100)
                    .op("a/gemm", "Gemm", List.of("a/x:0", "a/w:0", "a/b:0"), two, 90, 106).computing("MatMul")
                    .op("a/relu", "Relu", List.of("a/gemm:0"), two, 90, 106)
                    .input("x", "a/x").output("y", "a/relu");
            Divergence first = compare(b, otherGemm).firstDivergence().orElseThrow();
            assertEquals("b/biasadd:0", first.pair().tensorA(), add);
            assertTrue(first.inTheOpItself(), add + ": " + first);
        }
    }

    /** An ONNX model (channels first) against its TensorFlow conversion (channels last). */
    private static TableRun laidOut(String file, Shape shape, float[] values, float[] relu) {
        String p = file.substring(0, 1);
        return new TableRun(file).op(p + "/x", "Placeholder", OpRole.INPUT, List.of(), Shape.of(1, 6), Shape.of(1, 6),
                        1, -2, 3, 4, -5, 6)
                .op(p + "/image", "Reshape", List.of(p + "/x:0"), shape, values)
                .op(p + "/relu", "Relu", List.of(p + "/image:0"), shape, relu)
                .input("x", p + "/x").output("y", p + "/relu");
    }

    @Test
    void aTensorTheOtherSideHoldsWithItsChannelsLastIsComparedInALayout() throws Exception {
        // A [1,2,1,3]: channel 0 holds 1, -2, 3, channel 1 holds 4, -5, 6; B [1,1,3,2] the same, channels last
        TableRun a = laidOut("a.onnx", Shape.of(1, 2, 1, 3), new float[] { 1, -2, 3, 4, -5, 6 },
                new float[] { 1, 0, 3, 4, 0, 6 });
        Comparison same = compare(a, laidOut("b.tflite", Shape.of(1, 1, 3, 2), new float[] { 1, 4, -2, -5, 3, 6 },
                new float[] { 1, 4, 0, 0, 3, 6 }));

        assertEquals("b/relu:0", same.pairOfA("a/relu").orElseThrow().tensorB());
        assertTrue(same.pairs().stream().allMatch(p -> p.status() == PairStatus.MATCH), "" + same.pairs());
        assertEquals("compared in A's layout: B holds it with its channels last, [1,1,3,2]",
                same.pairOfA("a/relu").orElseThrow().note());
        assertFalse(same.diverged());

        Comparison other = compare(a, laidOut("b.tflite", Shape.of(1, 1, 3, 2), new float[] { 1, 4, -2, -5, 3, 6 },
                new float[] { 1, 4, 0, 0, 3, 7 }));
        TensorPair relu = other.firstDivergence().orElseThrow().pair();
        assertEquals("a/relu:0", relu.tensorA());
        assertEquals(PairStatus.DIVERGED, relu.status());
        assertEquals(List.of(0L, 1L, 0L, 2L), relu.metrics().worstPosition(), "in A's layout");
        assertEquals(6, relu.metrics().worstA());
        assertEquals(7, relu.metrics().worstB());

        Comparison oneFormat = compare(a, laidOut("b.onnx", Shape.of(1, 1, 3, 2), new float[] { 1, 4, -2, -5, 3, 6 },
                new float[] { 1, 4, 0, 0, 3, 6 }));
        assertTrue(oneFormat.pairOfA("a/relu").isEmpty(), "two files of one format keep one layout: "
                + oneFormat.pairs());
    }

    /** A's input channels first, B's channels last under the same key: they pair, and so do their outputs. */
    @Test
    void inputsAndOutputsOfTheTwoChannelLayoutsPairByKey() throws Exception {
        Shape first = Shape.of(1, 2, 1, 3);
        Shape last = Shape.of(1, 1, 3, 2);
        TableRun a = new TableRun("a.onnx").op("a/x", "Placeholder", OpRole.INPUT, List.of(), first, first,
                        1, -2, 3, 4, -5, 6)
                .op("a/relu", "Relu", List.of("a/x:0"), first, 1, 0, 3, 4, 0, 6).input("x", "a/x").output("y", "a/relu");
        TableRun b = new TableRun("b.tflite").op("b/x", "Placeholder", OpRole.INPUT, List.of(), last, last,
                        1, 4, -2, -5, 3, 6)
                .op("b/relu", "Relu", List.of("b/x:0"), last, 1, 4, 0, 0, 3, 6).input("x", "b/x").output("y", "b/relu");
        Comparison c = compare(a, b);

        assertEquals("b/x:0", c.pairOfA("a/x").orElseThrow().tensorB());
        assertEquals("b/relu:0", c.outputs().get(0).tensorB());
        assertTrue(c.pairs().stream().allMatch(p -> p.status() == PairStatus.MATCH), "" + c.pairs());
        assertEquals(List.of(), c.matchingNotes(), "paired by key");
    }

    /**
     * openWakeWord's layer normalisation, ONNX against its TFLite conversion: the converter made the division by a
     * square root a product with its reciprocal and kept the other ops' names behind a prefix of its own.
     */
    @Test
    void opsWhoseNamesTheConverterPrefixedArePairedBeforeAnOpItRewroteCanTakeTheirPlace() throws Exception {
        TableRun a = new TableRun("a.onnx").op("x", "Placeholder", OpRole.INPUT, List.of(), FOUR, FOUR, X)
                .op("One", "Initializer", OpRole.CONSTANT, List.of(), Shape.of(), Shape.of(), 1)
                .op("Two", "Initializer", OpRole.CONSTANT, List.of(), Shape.of(), Shape.of(), 2)
                .op("Gamma", "Initializer", OpRole.CONSTANT, List.of(), Shape.of(), Shape.of(), 3)
                .op("Sub_3", "Sub", List.of("x:0", "One:0"), FOUR, 0, -3, 2, 3)
                .op("Div_10", "Div", List.of("Sub_3:0", "Two:0"), FOUR, 0, -1.5f, 1, 1.5f)
                .op("Mul_11", "Mul", List.of("Div_10:0", "Gamma:0"), FOUR, 0, -4.5f, 3, 4.5f)
                .op("Relu_12", "Relu", List.of("Mul_11:0"), FOUR, 0, 0, 3, 4.5f)
                .input("x", "x").output("y", "Relu_12");
        TableRun b = new TableRun("b.tflite").op("input", "Placeholder", OpRole.INPUT, List.of(), FOUR, FOUR, X)
                .op("one", "Const", OpRole.CONSTANT, List.of(), Shape.of(), Shape.of(), 1)
                .op("half", "Const", OpRole.CONSTANT, List.of(), Shape.of(), Shape.of(), 0.5f)
                .op("gamma", "Const", OpRole.CONSTANT, List.of(), Shape.of(), Shape.of(), 3)
                .op("onnx_tf_prefix_Sub_3", "Sub", List.of("input:0", "one:0"), FOUR, 0, -3, 2, 3)
                .op("onnx_tf_prefix_Div_10_1", "Mul", List.of("onnx_tf_prefix_Sub_3:0", "half:0"), FOUR,
                        0, -1.5f, 1, 1.5f)
                .op("onnx_tf_prefix_Mul_11", "Mul", List.of("onnx_tf_prefix_Div_10_1:0", "gamma:0"), FOUR,
                        0, -4.5f, 3, 4.5f)
                .op("onnx_tf_prefix_Relu_12", "Relu", List.of("onnx_tf_prefix_Mul_11:0"), FOUR, 0, 0, 3, 4.5f)
                .input("x", "input").output("y", "onnx_tf_prefix_Relu_12");
        Comparison c = compare(a, b);

        assertEquals(TensorMatching.POSITION, c.matching());
        assertEquals("onnx_tf_prefix_Mul_11:0", c.pairOfA("Mul_11").orElseThrow().tensorB());
        assertEquals(List.of("Div_10:0"), c.unmatchedA());
        assertEquals(List.of("onnx_tf_prefix_Div_10_1:0"), c.unmatchedB());
        assertTrue(c.pairs().stream().allMatch(p -> p.status() == PairStatus.MATCH), "" + c.pairs());
        assertFalse(c.diverged());
    }

    /** Two files of one name holding two trainings of another width (openWakeWord's hey_rhasspy, ONNX and TFLite). */
    @Test
    void aDivergenceWhoseInputHasNoCounterpartDoesNotClaimTheOpComputesDifferently() throws Exception {
        TableRun a = new TableRun("a.onnx").op("a/x", "Placeholder", OpRole.INPUT, List.of(), FOUR, FOUR, X)
                .op("a/hidden", "Dense", List.of("a/x:0"), Shape.of(3), 1, 2, 3)
                .op("a/mean", "Mean", List.of("a/hidden:0"), Shape.of(1), 2)
                .input("x", "a/x").output("y", "a/mean");
        TableRun b = new TableRun("b.tflite").op("b/x", "Placeholder", OpRole.INPUT, List.of(), FOUR, FOUR, X)
                .op("b/hidden", "Dense", List.of("b/x:0"), Shape.of(5), 1, 2, 3, 4, 5)
                .op("b/mean", "Mean", List.of("b/hidden:0"), Shape.of(1), 3)
                .input("x", "b/x").output("y", "b/mean");
        Comparison c = compare(a, b);

        Divergence first = c.firstDivergence().orElseThrow();
        assertEquals("a/mean:0", first.pair().tensorA());
        assertEquals(List.of(), first.differingInputs());
        assertEquals(List.of("a/hidden:0"), first.uncomparedInputs());
        assertFalse(first.inTheOpItself());
    }

    @Test
    void anOutputOneSideEndsWithAnOpOfItsOwnSaysSo() throws Exception {
        TableRun a = new TableRun("a.tflite").op("a/x", "Placeholder", OpRole.INPUT, List.of(), FOUR, FOUR, X)
                .op("a/logits", "Relu", List.of("a/x:0"), FOUR, 1, 0, 3, 4)
                .input("x", "a/x").output("y", "a/logits");
        TableRun b = new TableRun("b.json").op("b/x", "Placeholder", OpRole.INPUT, List.of(), FOUR, FOUR, X)
                .op("b/logits", "Relu", List.of("b/x:0"), FOUR, 1, 0, 3, 4)
                .op("b/sigmoid", "Sigmoid", List.of("b/logits:0"), FOUR, 0.731f, 0.5f, 0.953f, 0.982f)
                .op("b/y", "Identity", List.of("b/sigmoid:0"), FOUR, 0.731f, 0.5f, 0.953f, 0.982f)
                .input("x", "b/x").output("y", "b/y");
        Comparison c = compare(a, b);

        TensorPair y = c.outputs().get(0);
        assertEquals("b/y:0", y.tensorB());
        assertEquals(PairStatus.DIVERGED, y.status());
        assertEquals("B computes it through ops A has no counterpart for: b/sigmoid (Sigmoid), b/logits (Relu)", y.note());
        assertEquals(y, c.firstDivergence().orElseThrow().pair());
    }
}
