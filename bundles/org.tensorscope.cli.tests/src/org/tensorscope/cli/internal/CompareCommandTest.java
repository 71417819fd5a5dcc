package org.tensorscope.cli.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.IProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.SignatureTensor;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.core.service.ModelLoader;
import org.tensorscope.core.tensor.TensorData;

/**
 * {@code compare}'s command line: wrong options are one line naming the option, the file or the
 * line, with exit code 2, before any model is opened; B gets A's input values by key or position.
 */
class CompareCommandTest {

    @RegisterExtension
    static final StubCli cli = new StubCli(new ModelLoader() {
        @Override
        public String format() {
            return "Refusing format";
        }

        @Override
        public boolean canLoad(Path path) {
            return path.getFileName().toString().endsWith(".refused");
        }

        @Override
        public LoadedModel load(Path path, IProgressMonitor monitor) throws ModelLoadException {
            throw new ModelLoadException(path, "not a model this test can open");
        }
    });

    @TempDir
    Path folder;

    @Test
    void bothModelsAreNeeded() {
        assertEquals(TensorscopeCommand.EXIT_USAGE, cli.run("compare", "a.pb"));
        assertTrue(cli.err().contains("Missing required parameter: 'B'"), cli.err());
    }

    @Test
    void aNegativeOrNanToleranceIsRefused() {
        assertEquals(TensorscopeCommand.EXIT_USAGE, cli.run("compare", "a.pb", "b.pb", "--tolerance", "-1"));
        assertEquals("tensorscope: --tolerance -1.0: give a number of 0 or more", cli.oneLine());
        cli.forgetErr();
        assertEquals(TensorscopeCommand.EXIT_USAGE, cli.run("compare", "a.pb", "b.pb", "--tolerance", "NaN"));
        assertEquals("tensorscope: --tolerance NaN: give a number of 0 or more", cli.oneLine());
    }

    @Test
    void aBadMapLineNamesTheFileAndLine() throws IOException {
        Path map = Files.writeString(folder.resolve("names.txt"), "conv=model/conv\nconv2\n");
        assertEquals(TensorscopeCommand.EXIT_USAGE, cli.run("compare", "a.pb", "b.pb", "--map", map.toString()));
        assertEquals("tensorscope: " + map + " line 2: expected a=b (a name of A, a name of B), got 'conv2'", cli.oneLine());
    }

    @Test
    void aMapThatIsNeitherFileNorPairIsNamed() {
        assertEquals(TensorscopeCommand.EXIT_USAGE, cli.run("compare", "a.pb", "b.pb", "--map", "names.txt"));
        assertEquals("tensorscope: --map names.txt: neither a file nor a mapping a=b", cli.oneLine());
    }

    @Test
    void aReportMustBeJsonOrHtml() {
        assertEquals(TensorscopeCommand.EXIT_USAGE, cli.run("compare", "a.pb", "b.pb", "--report", "out.txt"));
        assertEquals("tensorscope: --report out.txt: the file name must end in .json or .html", cli.oneLine());
    }

    @Test
    void weightsOnlyTakesNoInputs() {
        assertEquals(TensorscopeCommand.EXIT_USAGE, cli.run("compare", "a.pb", "b.pb", "--weights-only", "--input", "ramp"));
        assertEquals("tensorscope: --weights-only runs neither model: leave out --input and --input-b", cli.oneLine());
    }

    @Test
    void aMissingModelIsNamed() {
        Path missing = folder.resolve("no-such-model.pb");
        assertEquals(TensorscopeCommand.EXIT_USAGE, cli.run("compare", missing.toString(), missing.toString()));
        assertEquals("tensorscope: " + missing + ": no such file or folder", cli.oneLine());
    }

    @Test
    void aModelTheLoaderRefusesIsNamedInWeightsOnlyMode() throws IOException {
        Path bad = Files.writeString(folder.resolve("b.refused"), "x");
        assertEquals(TensorscopeCommand.EXIT_USAGE, cli.run("compare", bad.toString(), bad.toString(), "--weights-only"));
        assertEquals("tensorscope: " + bad + ": not a model this test can open", cli.oneLine());
    }

    @Test
    void helpShowsTheCompareOptions() {
        assertEquals(0, cli.run("help", "compare"));
        for (String option : List.of("--tolerance=T", "--map=FILE|A=B", "--weights-only", "--input-b", "--report=FILE",
                "--json", "--input=[NAME=]SOURCE", "Exit code: 0 no divergence, 3 diverged")) {
            assertTrue(cli.out().contains(option), option + " missing from:\n" + cli.out());
        }
    }

    private static Signature signature(String... inputs) {
        return new Signature("serving_default", java.util.Arrays.stream(inputs).map(name -> new SignatureTensor(name,
                new TensorSpec(name + "_op:0", DType.FLOAT32, Shape.of(-1, 2)))).toList(), List.of());
    }

    /** A PyTorch or ONNX model (NCHW) against its conversion to TensorFlow or TFLite (NHWC). */
    @Test
    void bConvertedToTheOtherChannelLayoutIsFedAsImageWithItsChannelsMoved() {
        // channel 0 holds 1, 2, 3 and channel 1 holds 4, 5, 6
        TensorData x = TensorData.ofFloats("x_op:0", Shape.of(1, 2, 1, 3), 1, 2, 3, 4, 5, 6);
        Signature channelsFirst = new Signature("serving_default", List.of(new SignatureTensor("x",
                new TensorSpec("x_op:0", DType.FLOAT32, Shape.of(-1, 2, 1, 3)))), List.of());
        Signature channelsLast = new Signature("serving_default", List.of(new SignatureTensor("x",
                new TensorSpec("x_op:0", DType.FLOAT32, Shape.of(-1, 1, 3, 2)))), List.of());

        TensorData fed = CompareCommand.sameInputs(channelsFirst, Map.of("x_op:0", x), channelsLast, Path.of("b.tflite"))
                .get("x_op:0");
        assertEquals(Shape.of(1, 1, 3, 2), fed.shape());
        float[] values = new float[6];
        for (int i = 0; i < 6; i++) {
            values[i] = (float) fed.getDouble(i);
        }
        assertArrayEquals(new float[] { 1, 4, 2, 5, 3, 6 }, values);

        TensorData back = CompareCommand.sameInputs(channelsLast, Map.of("x_op:0", fed), channelsFirst,
                Path.of("a.onnx")).get("x_op:0");
        assertEquals(Shape.of(1, 2, 1, 3), back.shape());
        assertEquals(4.0, back.getDouble(3), "channels last to first");
    }

    @Test
    void bIsFedAsValuesByKeyOrElseByPosition() {
        TensorData x = TensorData.ofFloats("x_op:0", Shape.of(1, 2), 1, 2);
        Map<String, TensorData> sameKey = CompareCommand.sameInputs(signature("x"), Map.of("x_op:0", x), signature("x"),
                Path.of("b.pb"));
        assertEquals(2.0, sameKey.get("x_op:0").getDouble(1));

        Map<String, TensorData> byPosition = CompareCommand.sameInputs(signature("x"), Map.of("x_op:0", x),
                signature("input_1"), Path.of("b.pb"));
        assertEquals(List.of("input_1_op:0"), List.copyOf(byPosition.keySet()));
        assertEquals("input_1_op:0", byPosition.get("input_1_op:0").name());

        var e = assertThrows(IllegalArgumentException.class, () -> CompareCommand.sameInputs(signature("x"),
                Map.of("x_op:0", x), signature("a", "b"), Path.of("b.pb")));
        assertEquals("b.pb: its inputs (a, b) are not those of A (x); give B its own with --input-b", e.getMessage());
    }
}
