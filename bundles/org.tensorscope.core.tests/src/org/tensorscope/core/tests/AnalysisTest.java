package org.tensorscope.core.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorscope.core.analysis.Histogram;
import org.tensorscope.core.analysis.TensorStats;
import org.tensorscope.core.input.InputSource;
import org.tensorscope.core.input.InputSources;
import org.tensorscope.core.input.Npy;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.tensor.TensorData;

class AnalysisTest {

    private static final float NAN = Float.NaN;
    private static final float INF = Float.POSITIVE_INFINITY;

    @Test
    void statsCountEverySpecialValueAndSummariseTheFiniteOnes() {
        TensorData t = TensorData.ofFloats("t:0", Shape.of(8), 1f, 2f, 3f, NAN, INF, -INF, 0f, 1e-40f);
        TensorStats s = TensorStats.of(t);
        assertEquals(8, s.count());
        assertEquals(1, s.nan());
        assertEquals(1, s.posInf());
        assertEquals(1, s.negInf());
        assertEquals(1, s.zeros());
        assertEquals(1, s.subnormals());
        assertEquals(0.0, s.min());
        assertEquals(3.0, s.max());
        assertEquals(6.0 / 5, s.mean(), 1e-6);
        assertEquals(1.0, s.percentile(50), 1e-6, "median of 0, 1e-40, 1, 2, 3");
    }

    @Test
    void statsOfAnAllNanTensorHaveNoRange() {
        TensorStats s = TensorStats.of(TensorData.ofFloats("t:0", Shape.of(3), NAN, NAN, NAN));
        assertEquals(3, s.nan());
        assertTrue(Double.isNaN(s.min()) && Double.isNaN(s.mean()) && Double.isNaN(s.percentile(99)));
    }

    @Test
    void histogramKeepsNanAndInfinitiesApart() {
        TensorData t = TensorData.ofFloats("t:0", Shape.of(7), 0f, 1f, 2f, 3f, NAN, INF, -INF);
        Histogram h = Histogram.of(t, 3, Histogram.Binning.LINEAR);
        assertArrayEquals(new long[] { 1, 1, 2 }, h.counts());
        assertArrayEquals(new double[] { 0, 1, 2, 3 }, h.edges(), 1e-9);
        assertEquals(1, h.nan());
        assertEquals(1, h.posInf());
        assertEquals(1, h.negInf());
        assertEquals(1, h.zeros());
    }

    @Test
    void histogramCopesWithEmptyAllNanAndAllEqualTensors() {
        Histogram empty = Histogram.of(TensorData.ofFloats("e:0", Shape.of(0)), 10, Histogram.Binning.LINEAR);
        assertEquals(0, empty.binCount());
        Histogram allNan = Histogram.of(TensorData.ofFloats("n:0", Shape.of(2), NAN, NAN), 10, Histogram.Binning.SYMLOG);
        assertEquals(0, allNan.binCount());
        assertEquals(2, allNan.nan());
        Histogram equal = Histogram.of(TensorData.ofFloats("q:0", Shape.of(3), 5f, 5f, 5f), 10, Histogram.Binning.LINEAR);
        assertArrayEquals(new long[] { 3 }, equal.counts());
        assertTrue(equal.edges()[0] < 5 && equal.edges()[1] > 5);
    }

    @Test
    void symlogBinsSpreadHugeAndSmallValues() {
        TensorData t = TensorData.ofFloats("t:0", Shape.of(4), -1e30f, -1f, 1f, 1e30f);
        Histogram h = Histogram.of(t, 4, Histogram.Binning.SYMLOG);
        assertArrayEquals(new long[] { 1, 1, 1, 1 }, h.counts());
        assertEquals(-1e30, h.edges()[0], 1e24);
        assertEquals(1e30, h.edges()[4], 1e24);
    }

    @Test
    void rampFollowsItsFormulaAndScales() throws IOException {
        TensorSpec input = new TensorSpec("x:0", DType.FLOAT32, Shape.of(-1, 40));
        TensorData ramp = InputSources.parse("ramp").create(input);
        assertEquals(Shape.of(1, 40), ramp.shape(), "unknown batch becomes 1");
        assertEquals((37 * 7 % 255) / 255.0, ramp.getDouble(37), 1e-6);
        InputSource scaled = InputSources.parse("ramp*1e38");
        assertEquals((37 * 7 % 255) / 255.0 * 1e38, scaled.create(input).getDouble(37), 1e32);
        assertArrayEquals(new double[] { 0, 1e38 }, scaled.promisedRange(), 1);
    }

    @Test
    void aScaledRampOnAnIntegerInputIsRoundedOnceAfterScaling() throws IOException {
        TensorSpec pixels = new TensorSpec("x:0", DType.INT32, Shape.of(1, 4));
        TensorData ramp = InputSources.parse("ramp*255").create(pixels);
        assertEquals(DType.INT32, ramp.dtype());
        assertEquals(List.of(0.0, 7.0, 14.0, 21.0), List.of(ramp.getDouble(0), ramp.getDouble(1), ramp.getDouble(2),
                ramp.getDouble(3)), "not the ramp rounded to 0/1, then scaled");
        TensorData bytes = InputSources.parse("ramp*255@1x2x2x3")
                .create(new TensorSpec("x:0", DType.UINT8, Shape.of(-1, -1, -1, 3)));
        assertEquals(DType.UINT8, bytes.dtype());
        assertEquals(77.0, bytes.getDouble(11));
    }

    @Test
    void anIntegerInputRefusesAValueItCannotHoldInsteadOfWrappingIt() throws IOException {
        TensorSpec bytes = new TensorSpec("image:0", DType.UINT8, Shape.of(1, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InputSources.parse("const:300").create(bytes));
        assertEquals("input image:0 is of type uint8, which cannot hold 300 (element 0); its values must lie in 0 .. 255",
                e.getMessage());
        IllegalArgumentException scaled = assertThrows(IllegalArgumentException.class,
                () -> InputSources.parse("ramp*1e38").create(new TensorSpec("n:0", DType.INT32, Shape.of(4))));
        assertEquals("input n:0 is of type int32, which cannot hold 2.7451e+36 (element 1); its values must lie in -2147483648 .. 2147483647",
                scaled.getMessage());
        assertEquals(255.0, InputSources.parse("const:255").create(bytes).getDouble(2), "the largest uint8 still fits");
    }

    @Test
    void constantsAndSeededRandomSources() throws IOException {
        TensorSpec input = new TensorSpec("x:0", DType.INT32, Shape.of(3));
        assertEquals(7.0, InputSources.parse("const:7").create(input).getDouble(2));
        TensorSpec floats = new TensorSpec("x:0", DType.FLOAT32, Shape.of(100));
        TensorData a = InputSources.parse("uniform:-1:1:42").create(floats);
        TensorData b = InputSources.parse("uniform:-1:1:42").create(floats);
        assertEquals(a.getDouble(50), b.getDouble(50), "the seed makes it repeatable");
        TensorStats s = TensorStats.of(a);
        assertTrue(s.min() >= -1 && s.max() <= 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InputSources.parse("uniform:0"));
        assertEquals("Input source 'uniform:0' should be uniform:LO:HI[:SEED]", e.getMessage());
    }

    @Test
    void npyRoundTripsAndRejectsWhatItCannotRead(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("x.npy");
        TensorData x = TensorData.ofFloats("x:0", Shape.of(2, 3), 1, 2, 3, 4, NAN, 6);
        Npy.write(x, file);
        TensorData back = Npy.read(file, "x:0");
        assertEquals(Shape.of(2, 3), back.shape());
        assertEquals(DType.FLOAT32, back.dtype());
        assertEquals(6.0, back.getDouble(5));
        assertTrue(Double.isNaN(back.getDouble(4)));

        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 4));
        IOException truncated = assertThrows(IOException.class, () -> Npy.read(file, "x:0"));
        assertTrue(truncated.getMessage().startsWith(file + ": truncated data"), truncated.getMessage());

        String header = new String(bytes, 10, 70, java.nio.charset.StandardCharsets.ISO_8859_1);
        Files.write(file, new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace(header, header.replace("'<f4'", "'<c8'")).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        IOException complex = assertThrows(IOException.class, () -> Npy.read(file, "x:0"));
        assertTrue(complex.getMessage().contains("dtype '<c8' is not supported"), complex.getMessage());
    }

    @Test
    void aSecondRunIsCountedInTheFirstRunsBins() {
        TensorData first = TensorData.ofFloats("x:0", Shape.of(4), 0f, 1f, 2f, 3f);
        TensorData second = TensorData.ofFloats("x:0", Shape.of(4), 0.5f, 10f, Float.NaN, -1f);
        Histogram bins = Histogram.of(first, 3, Histogram.Binning.LINEAR);
        Histogram again = bins.sameBins(second);
        assertArrayEquals(bins.edges(), again.edges());
        assertArrayEquals(new long[] {2, 0, 1}, again.counts(), "-1 and 0.5 in the first bin, 10 in the last");
        assertEquals(1, again.nan());
    }
}
