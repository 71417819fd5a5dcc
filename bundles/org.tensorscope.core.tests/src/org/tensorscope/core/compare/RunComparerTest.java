package org.tensorscope.core.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.tensor.TensorData;

/**
 * Comparisons of a small model computed in Java with known differences: where the first divergence
 * is, which inputs made it differ, how tensors were matched and what could not be compared.
 */
class RunComparerTest {

    private static final float[] X = { 1, -2, 3, 4 };
    private static final float[] W = { 0.5f, 0.25f, 2, -1 };
    private static final float[] B = { 0.1f, 0.2f, 0.3f, 0.4f };

    private static Comparison compare(FakeRun a, FakeRun b, CompareOptions options) throws Exception {
        return new RunComparer().compare(a.run(), b.run(), options, new NullProgressMonitor());
    }

    @Test
    void aModelComparedWithItselfHasNoDivergenceAndEveryTensorMatches() throws Exception {
        Comparison c = compare(new FakeRun("", X, W, B), new FakeRun("", X, W, B), CompareOptions.defaults());

        assertFalse(c.diverged());
        assertTrue(c.firstDivergence().isEmpty());
        assertEquals(TensorMatching.NAME, c.matching());
        assertEquals(List.of("x:0", "mul:0", "add:0", "out:0"), c.pairs().stream().map(TensorPair::tensorA).toList());
        assertTrue(c.pairs().stream().allMatch(p -> p.status() == PairStatus.MATCH && p.metrics().identical()));
        assertEquals(1.0, c.pairs().get(1).metrics().cosine(), 1e-12);
        assertEquals(List.of(), c.unmatchedA());
        assertEquals(List.of("out:0"), c.outputs().stream().map(TensorPair::tensorA).toList());
        assertEquals(2, c.weights().pairs().size());
        assertTrue(c.weights().diverged().isEmpty());
    }

    /** As a batch norm's reserve spaces in inference: an output no op reads may hold anything on either side. */
    @Test
    void anOutputNoOpReadsIsNotCompared() throws Exception {
        FakeRun a = new FakeRun("", X, W, B);
        a.unread = new float[] { Float.NaN, 1e30f, 0, 0 };
        FakeRun b = new FakeRun("", X, W, B);
        b.unread = new float[] { 0, 0, Float.NaN, -7 };
        Comparison c = compare(a, b, CompareOptions.defaults());

        assertFalse(c.diverged(), c.firstDivergence().toString());
        assertEquals(List.of("x:0", "mul:0", "add:0", "out:0"), c.pairs().stream().map(TensorPair::tensorA).toList());
        assertEquals(List.of(), c.unmatchedA());
        assertTrue(c.matchingNotes().stream().anyMatch(n -> n.startsWith("not compared: 1 tensor of A and 1 of B that no"
                + " op of the run reads")), "the report counts what it left out: " + c.matchingNotes());
    }

    /** A name map entry that pairs nothing says why, instead of being ignored without a word. */
    @Test
    void aMapEntryThatPairsNothingSaysWhy() throws Exception {
        FakeRun a = new FakeRun("", X, W, B);
        a.unread = new float[] { 1, 2, 3, 4 };
        FakeRun b = new FakeRun("", X, W, B);
        b.unread = new float[] { 1, 2, 3, 4 };
        Comparison c = compare(a, b, new CompareOptions(1e-4,
                NameMap.of(Map.of("mul:1", "mul:1", "nosuch", "add", "add", "missing/op:0", "add:5", "add:0")), false));

        List<String> notes = c.matchingNotes();
        assertTrue(notes.contains("--map mul:1=mul:1 pairs nothing: mul:1 of A is not compared: no op of the run reads it"
                + " and it is no output"), notes.toString());
        assertTrue(notes.contains("--map nosuch=add pairs nothing: A has no op named nosuch"), notes.toString());
        assertTrue(notes.contains("--map add=missing/op:0 pairs nothing: B has no op named missing/op"), notes.toString());
        assertTrue(notes.contains("--map add:5=add:0 pairs nothing: add of A has 1 output, not add:5"), notes.toString());
        assertEquals(4, notes.stream().filter(n -> n.startsWith("--map ")).count(), notes.toString());
    }

    @Test
    void aPerturbedWeightMakesItsOpTheFirstDivergenceAndIsNamedAsTheReason() throws Exception {
        float[] perturbed = W.clone();
        perturbed[2] = 2.01f;
        Comparison c = compare(new FakeRun("", X, W, B), new FakeRun("", X, perturbed, B), CompareOptions.defaults());

        assertTrue(c.diverged());
        Divergence first = c.firstDivergence().orElseThrow();
        assertEquals("mul:0", first.pair().tensorA());
        assertEquals("Mul", first.pair().opType());
        assertEquals(List.of("w:0"), first.differingInputs());
        assertEquals(0.03, first.pair().metrics().maxAbsError(), 1e-5, "3 * 0.01");
        assertEquals(List.of(2L), first.pair().metrics().worstPosition());
        assertEquals(PairStatus.MATCH, c.pairOfA("x").orElseThrow().status(), "the input before it matches");
        assertEquals(PairStatus.DIVERGED, c.pairOfA("out").orElseThrow().status());
        assertEquals("w", c.weights().ranked().get(0).weightA());
        assertEquals(0.01 / Math.sqrt(0.25 + 0.0625 + 4 + 1), c.weights().mostChanged().orElseThrow().relativeChange(), 1e-6);
    }

    @Test
    void aDifferenceWithinTheToleranceIsNoDivergence() throws Exception {
        float[] perturbed = W.clone();
        perturbed[2] = 2.00001f;
        Comparison c = compare(new FakeRun("", X, W, B), new FakeRun("", X, perturbed, B), CompareOptions.defaults());

        assertFalse(c.diverged());
        assertTrue(c.pairOfA("mul").orElseThrow().metrics().maxAbsError() > 0, "small but not zero");
        Comparison strict = compare(new FakeRun("", X, W, B), new FakeRun("", X, perturbed, B),
                new CompareOptions(1e-6, NameMap.EMPTY, false));
        assertEquals("mul:0", strict.firstDivergence().orElseThrow().pair().tensorA());
    }

    @Test
    void twoInputsDivergeAtTheFirstOpReadingTheInput() throws Exception {
        float[] other = X.clone();
        other[0] = 1.5f;
        Comparison c = compare(new FakeRun("", X, W, B), new FakeRun("", other, W, B), CompareOptions.defaults());

        assertEquals(PairStatus.DIVERGED, c.pairs().get(0).status());
        assertTrue(c.pairs().get(0).input());
        Divergence first = c.firstDivergence().orElseThrow();
        assertEquals("mul:0", first.pair().tensorA(), "the input itself is not the first divergence: it was given");
        assertEquals(List.of("x:0"), first.differingInputs());
    }

    @Test
    void graphsWithOtherNamesAreMatchedByPositionAlongTheirOpTypes() throws Exception {
        Comparison c = compare(new FakeRun("", X, W, B), new FakeRun("converted/", X, W, B), CompareOptions.defaults());

        assertEquals(TensorMatching.POSITION, c.matching());
        assertEquals(List.of("converted/x:0", "converted/mul:0", "converted/add:0", "converted/out:0"),
                c.pairs().stream().map(TensorPair::tensorB).toList());
        assertFalse(c.diverged());
        assertEquals(List.of("w", "b"), c.weights().pairs().stream().map(WeightPair::weightA).toList());
        assertEquals(List.of("converted/w", "converted/b"), c.weights().pairs().stream().map(WeightPair::weightB).toList());
    }

    @Test
    void aNameMapPairsWhatItNamesAndNamesTheRestByName() throws Exception {
        Comparison c = compare(new FakeRun("", X, W, B), new FakeRun("converted/", X, W, B),
                new CompareOptions(1e-4, NameMap.of(Map.of("mul", "converted/add")), false));

        assertEquals(TensorMatching.MAP, c.matching());
        assertEquals("converted/add:0", c.pairOfA("mul").orElseThrow().tensorB());
        assertEquals("mul:0", c.firstDivergence().orElseThrow().pair().tensorA(), "mul against add differs by b");
        assertTrue(c.unmatchedA().contains("add:0"));
        assertTrue(c.unmatchedB().contains("converted/mul:0"));
    }

    @Test
    void aTensorThatCannotBeFetchedIsListedWithTheReasonAndTheRestIsCompared() throws Exception {
        FakeRun a = new FakeRun("", X, W, B);
        FakeRun b = new FakeRun("", X, W, B);
        b.unfetchable = Set.of("add:0");
        Comparison c = new RunComparer(1).compare(a.run(), b.run(), CompareOptions.defaults(), new NullProgressMonitor());

        TensorPair add = c.pairOfA("add").orElseThrow();
        assertEquals(PairStatus.NOT_COMPARED, add.status());
        assertEquals("B: add:0 was not computed for this input", add.note());
        assertEquals(3, c.comparedCount());
        assertEquals(1, a.largestFetch, "a batch of one tensor's bytes holds one tensor");
        assertFalse(c.diverged());
    }

    @Test
    void batchesHoldSeveralTensorsAndASideThatCannotRunIsAnError() throws Exception {
        FakeRun a = new FakeRun("", X, W, B);
        new RunComparer().compare(a.run(), new FakeRun("", X, W, B).run(), CompareOptions.defaults(), new NullProgressMonitor());
        assertEquals(4, a.largestFetch);

        FakeRun broken = new FakeRun("", X, W, B);
        broken.unfetchable = Set.of("out:0");
        var e = assertThrows(org.tensorscope.core.service.BackendException.class, () -> compare(a, broken,
                CompareOptions.defaults()));
        assertTrue(e.getMessage().contains("out:0"), e.getMessage());
    }

    @Test
    void aCancelledComparisonStops() {
        NullProgressMonitor cancelled = new NullProgressMonitor();
        cancelled.setCanceled(true);
        assertThrows(OperationCanceledException.class, () -> new RunComparer().compare(new FakeRun("", X, W, B).run(),
                new FakeRun("", X, W, B).run(), CompareOptions.defaults(), cancelled));
    }

    @Test
    void weightsOnlyNamesTheWeightHoldingNanFirst() throws Exception {
        float[] diverged = W.clone();
        diverged[1] = Float.NaN;
        float[] changed = B.clone();
        changed[0] = 10;
        Comparison c = compare(new FakeRun("", X, W, B), new FakeRun("", X, diverged, changed),
                new CompareOptions(1e-4, NameMap.EMPTY, true));

        assertTrue(c.weightsOnly());
        assertTrue(c.diverged());
        assertTrue(c.pairs().isEmpty());
        WeightPair first = c.weights().ranked().get(0);
        assertEquals("w", first.weightA());
        assertEquals(1, first.nonFiniteB());
        assertEquals(0, first.nonFiniteA());
        assertEquals("w", c.weights().firstNonFinite().orElseThrow().weightA());
        assertEquals("b", c.weights().mostChanged().orElseThrow().weightA(), "w's change is not finite");
    }

    @Test
    void metricsOfKnownValues() {
        TensorData a = TensorData.ofFloats("a", Shape.of(4), 1, 2, 0, 4);
        TensorData b = TensorData.ofFloats("b", Shape.of(4), 1, 2.5f, 0.1f, Float.NaN);
        ErrorMetrics m = TensorDiff.of(a, b, 1e-4).metrics();

        assertEquals(0.5, m.maxAbsError(), 1e-6);
        assertEquals(0.25, m.maxRelError(), 1e-6, "0 in A is left out of the relative error");
        assertEquals(0.5 / 3, m.error(), 1e-6);
        assertEquals(1, m.nanB());
        assertEquals(0, m.nanA());
        assertEquals(1, m.nonFiniteMismatches());
        assertEquals(2, m.beyondTolerance());
        assertEquals(List.of(3L), m.worstPosition(), "the NaN mismatch comes first");
        assertEquals(4.0, m.worstA());
        assertTrue(m.diverges());
        assertEquals((1 + 5) / Math.sqrt(5 * (1 + 6.25 + 0.01)), m.cosine(), 1e-6);
    }

    @Test
    void nanAgainstNanIsNoMismatch() {
        TensorData a = TensorData.ofFloats("a", Shape.of(3), Float.NaN, Float.POSITIVE_INFINITY, 1);
        ErrorMetrics m = TensorDiff.of(a, a, 0).metrics();
        assertEquals(0, m.nonFiniteMismatches());
        assertTrue(m.identical());
        assertFalse(m.diverges());
        assertEquals(1, m.infA());
    }

    @Test
    void shapesThatDifferAreReportedAndThoseDifferingInOnesAreCompared() {
        var a = new BatchFetcher.Fetched(TensorData.ofFloats("a", Shape.of(1, 4), 1, 2, 3, 4), null);
        var b = new BatchFetcher.Fetched(TensorData.ofFloats("b", Shape.of(4), 1, 2, 3, 4), null);
        var c = new BatchFetcher.Fetched(TensorData.ofFloats("c", Shape.of(2, 2), 1, 2, 3, 4), null);

        ValueComparison ones = ValueComparison.of(a, b, Shape.of(1, 4), Shape.of(4), 1e-4, false);
        assertEquals(PairStatus.MATCH, ones.status());
        assertTrue(ones.note().contains("dimensions of size 1"), ones.note());
        ValueComparison other = ValueComparison.of(a, c, Shape.of(1, 4), Shape.of(2, 2), 1e-4, false);
        assertEquals(PairStatus.SHAPE_MISMATCH, other.status());
        assertEquals("shapes differ: A [1,4], B [2,2]", other.note());
    }

    @Test
    void aNameMapIsReadFromTextAndFilesAndBadLinesAreNamed(@TempDir Path folder) throws Exception {
        Path file = folder.resolve("names.txt");
        Files.writeString(file, "# A = B\nconv=model/conv\n\nsplit:1 = Split:0\n");
        NameMap map = NameMap.parse(List.of(file.toString(), "dense=model/dense"));
        assertEquals("model/conv:2", map.tensorOfB("conv:2").orElseThrow());
        assertEquals("Split:0", map.tensorOfB("split:1").orElseThrow());
        assertEquals("model/dense:0", map.tensorOfB("dense").orElseThrow());
        assertTrue(map.tensorOfB("split:0").isEmpty());

        Files.writeString(file, "conv=model/conv\nconv model/conv\n");
        var e = assertThrows(IllegalArgumentException.class, () -> NameMap.parse(List.of(file.toString())));
        assertEquals(file + " line 2: expected a=b (a name of A, a name of B), got 'conv model/conv'", e.getMessage());
        var missing = assertThrows(IllegalArgumentException.class, () -> NameMap.parse(List.of("nofile.txt")));
        assertEquals("--map nofile.txt: neither a file nor a mapping a=b", missing.getMessage());
    }
}
