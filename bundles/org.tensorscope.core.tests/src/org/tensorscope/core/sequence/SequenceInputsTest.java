package org.tensorscope.core.sequence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorscope.core.input.Npy;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.SignatureTensor;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.tensor.TensorData;

/** Frame sources, feedback rules and their expressions: what each step is fed, and the messages for mistakes. */
class SequenceInputsTest {

    @TempDir
    Path folder;

    private static final TensorSpec IMAGE = new TensorSpec("image:0", DType.FLOAT32, Shape.of(1, 2, 2, 1));
    private static final Signature SIGNATURE = new Signature("serving_default",
            List.of(new SignatureTensor("image", IMAGE),
                    new SignatureTensor("box", new TensorSpec("box:0", DType.FLOAT32, Shape.of(1, 4)))),
            List.of(new SignatureTensor("Identity", new TensorSpec("Identity:0", DType.FLOAT32, Shape.of(1, 4))),
                    new SignatureTensor("Identity_1", new TensorSpec("Identity_1:0", DType.FLOAT32, Shape.of(1, 4)))));

    private void grey(String name, int level) throws IOException {
        BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                image.setRGB(x, y, (level << 16) | (level << 8) | level);
            }
        }
        ImageIO.write(image, "png", folder.resolve(name).toFile());
    }

    @Test
    void aFolderGivesItsImagesSortedByNameThroughThePreprocessingChain() throws IOException {
        grey("b.png", 200);
        grey("a.png", 100);
        grey("c.png", 50);
        Files.writeString(folder.resolve("notes.txt"), "not a frame");
        FrameSource frames = FrameSources.parse(folder + "?scale=1/255");
        assertEquals(3, frames.count());
        assertEquals(folder.resolve("a.png").toString(), frames.describe(0));
        assertEquals(100 / 255.0, frames.frame(0, IMAGE).getDouble(0), 1e-6);
        assertEquals(200 / 255.0, frames.frame(1, IMAGE).getDouble(3), 1e-6);
        assertEquals(50 / 255.0, frames.frame(2, IMAGE).getDouble(0), 1e-6);
        // a scale ramp on top of the chain: frame t times 10^t
        FrameSource brighter = FrameSources.parse(folder + "?scale=1/255*10^t");
        assertEquals(200 / 255.0 * 10, brighter.frame(1, IMAGE).getDouble(0), 1e-4);
    }

    @Test
    void aNpyStackGivesOneFrameAlongItsFirstAxisWithTheBatchAdded() throws IOException {
        float[] values = new float[3 * 2 * 2 * 1];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        Path file = folder.resolve("frames.npy");
        Npy.write(TensorData.ofFloats("frames", Shape.of(3, 2, 2, 1), values), file);
        FrameSource frames = FrameSources.parse(file.toString());
        assertEquals(3, frames.count());
        TensorData second = frames.frame(1, IMAGE);
        assertEquals(Shape.of(1, 2, 2, 1), second.shape(), "[2,2,1] frames go to a [1,2,2,1] input");
        assertEquals(4.0, second.getDouble(0));
        assertEquals(7.0, second.getDouble(3));
        TensorSpec wrong = new TensorSpec("image:0", DType.FLOAT32, Shape.of(1, 3, 3, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> frames.frame(0, wrong));
        assertTrue(e.getMessage().contains("frames.npy") && e.getMessage().contains("[2,2,1]"), e.getMessage());
    }

    @Test
    void generatedFramesGrowAndGetFreshNoiseEachStep() throws IOException {
        FrameSource ramp = FrameSources.parse("ramp*1.5^t");
        assertEquals(-1, ramp.count());
        double first = ramp.frame(0, IMAGE).getDouble(1);
        assertEquals(7 / 255.0, first, 1e-6);
        assertEquals(7 / 255.0 * 1.5 * 1.5, ramp.frame(2, IMAGE).getDouble(1), 1e-6);
        FrameSource noisy = FrameSources.parse("const:1+noise:0.5:3");
        double a = noisy.frame(0, IMAGE).getDouble(0);
        double b = noisy.frame(1, IMAGE).getDouble(0);
        assertTrue(a != b && a != 1, a + " " + b);
        assertEquals(a, FrameSources.parse("const:1+noise:0.5:3").frame(0, IMAGE).getDouble(0), "seeded per step");
        TensorData shaped = FrameSources.parse("zeros*2^t@1x2x2x1").frame(0, new TensorSpec("x:0", DType.FLOAT32,
                Shape.of(-1, -1, -1, 1)));
        assertEquals(Shape.of(1, 2, 2, 1), shaped.shape());
    }

    @Test
    void badFrameSourcesAreNamedWithTheProblem() throws IOException {
        Path empty = Files.createDirectory(folder.resolve("empty"));
        IOException none = assertThrows(IOException.class, () -> FrameSources.parse(empty.toString()));
        assertEquals(empty + ": no PNG or JPEG images in the folder of frames", none.getMessage());
        IllegalArgumentException word = assertThrows(IllegalArgumentException.class, () -> FrameSources.parse("rampp"));
        assertTrue(word.getMessage().startsWith("--frames 'rampp': not a folder of images, a .npy file or a generated"),
                word.getMessage());
        IllegalArgumentException power = assertThrows(IllegalArgumentException.class,
                () -> FrameSources.parse("ramp*1.5^t+1"));
        assertTrue(power.getMessage().contains("*K^t at the end"), power.getMessage());
        grey("one.png", 10);
        IllegalArgumentException single = assertThrows(IllegalArgumentException.class,
                () -> FrameSources.parse(folder.resolve("one.png").toString()));
        assertTrue(single.getMessage().contains("one image is not a sequence"), single.getMessage());
        IOException missing = assertThrows(IOException.class, () -> FrameSources.parse(folder.resolve("no.npy").toString()));
        assertTrue(missing.getMessage().startsWith(folder.resolve("no.npy").toString()), missing.getMessage());
    }

    private static FeedbackExpression.Value tensor(double... values) {
        return new FeedbackExpression.Value(values, Shape.of(1, values.length));
    }

    @Test
    void expressionsFollowArithmeticPrecedenceAndTheirFunctions() {
        Map<String, FeedbackExpression.Value> names = Map.of("a", tensor(-2, 0.5, 3), "b", tensor(1, 2, 3));
        assertArrayEquals(new double[] { -1, 3.5, 8 }, FeedbackExpression.parse("a + b * 2 - 1").eval(names).values());
        assertArrayEquals(new double[] { -2, 5, 12 }, FeedbackExpression.parse("(a + b) * 2").eval(names).values());
        assertArrayEquals(new double[] { -2, 0.25, 1 }, FeedbackExpression.parse("a / b").eval(names).values());
        assertArrayEquals(new double[] { 0, 0.5, 1 }, FeedbackExpression.parse("clip(a, 0, 1)").eval(names).values());
        assertArrayEquals(new double[] { 1, 2, 3 }, FeedbackExpression.parse("max(a, b)").eval(names).values());
        assertArrayEquals(new double[] { -2, 0.5, 3 }, FeedbackExpression.parse("min(a, b)").eval(names).values());
        assertArrayEquals(new double[] { 2, 0.5, 3 }, FeedbackExpression.parse("abs(a)").eval(names).values());
        assertArrayEquals(new double[] { 2, -0.5, -3 }, FeedbackExpression.parse("-a").eval(names).values());
        assertArrayEquals(new double[] { 2e-3, 4e-3, 6e-3 }, FeedbackExpression.parse("2e-3 * b").eval(names).values(),
                1e-12);
    }

    @Test
    void expressionMistakesSayWhatIsWrong() {
        assertEquals("feedback expression 'clip(a, 0)': clip takes 3 arguments, not 2",
                assertThrows(IllegalArgumentException.class, () -> FeedbackExpression.parse("clip(a, 0)")).getMessage());
        assertEquals("feedback expression 'sqrt(a)': unknown function 'sqrt' (use clip, min, max, abs)",
                assertThrows(IllegalArgumentException.class, () -> FeedbackExpression.parse("sqrt(a)")).getMessage());
        assertEquals("feedback expression 'a +': it ends where a name or number was expected",
                assertThrows(IllegalArgumentException.class, () -> FeedbackExpression.parse("a +")).getMessage());
        assertEquals("feedback expression '(a': expected ')' at the end",
                assertThrows(IllegalArgumentException.class, () -> FeedbackExpression.parse("(a")).getMessage());
        assertEquals("feedback expression 'a $ b': unexpected '$' at position 3",
                assertThrows(IllegalArgumentException.class, () -> FeedbackExpression.parse("a $ b")).getMessage());
    }

    @Test
    void feedbackIsReadOutputToInputOrInputFromAnExpression() {
        Feedback plain = Feedback.parse("Identity=box", SIGNATURE);
        assertEquals("box", plain.input().key());
        assertTrue(plain.expression().isName());
        Feedback clipped = Feedback.parse("box=clip(Identity_1, 0, 1)", SIGNATURE);
        assertEquals("box", clipped.input().key());
        TensorData next = clipped.next(SIGNATURE, Map.of("Identity:0", TensorData.ofFloats("Identity:0", Shape.of(1, 4), 9, 9, 9, 9),
                "Identity_1:0", TensorData.ofFloats("Identity_1:0", Shape.of(1, 4), -1, 0.25f, 0.5f, 7)));
        assertEquals("box:0", next.name());
        assertEquals(Shape.of(1, 4), next.shape());
        assertEquals(List.of(0.0, 0.25, 0.5, 1.0), List.of(next.getDouble(0), next.getDouble(1), next.getDouble(2),
                next.getDouble(3)));
    }

    @Test
    void feedbackMistakesNameTheRuleAndWhatTheSignatureHas() {
        assertEquals("--feedback 'box=clip(Identity_9, 0, 1)': unknown name 'Identity_9'; an expression reads outputs of "
                + "signature 'serving_default': Identity, Identity_1",
                assertThrows(IllegalArgumentException.class,
                        () -> Feedback.parse("box=clip(Identity_9, 0, 1)", SIGNATURE)).getMessage());
        assertEquals("--feedback 'r1o=r1i': neither 'r1o' nor 'r1i' is an input of signature 'serving_default'; its "
                + "inputs are image, box",
                assertThrows(IllegalArgumentException.class, () -> Feedback.parse("r1o=r1i", SIGNATURE)).getMessage());
        assertEquals("--feedback 'r1o=box': 'r1o' is not an output of signature 'serving_default'; its outputs are "
                + "Identity, Identity_1",
                assertThrows(IllegalArgumentException.class, () -> Feedback.parse("r1o=box", SIGNATURE)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Feedback.parse("box", SIGNATURE)).getMessage()
                .startsWith("--feedback 'box': write OUTPUT=INPUT"));
        Feedback wide = Feedback.parse("box=Identity * 1", SIGNATURE);
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> wide.next(SIGNATURE,
                Map.of("Identity:0", TensorData.ofFloats("Identity:0", Shape.of(1, 2), 1, 2))));
        assertEquals("--feedback 'box=Identity * 1': input box must have shape [1,4], the source gives [1,2]",
                shape.getMessage());
    }

    @Test
    void expressionsTooDeepTooLongOrWithNumbersBeyondDoubleAreRefusedInOneShortLine() {
        String deep = "(".repeat(100_000) + "a" + ")".repeat(100_000);
        String message = assertThrows(IllegalArgumentException.class, () -> FeedbackExpression.parse(deep)).getMessage();
        assertTrue(message.endsWith("(200001 characters)': nested more than 100 deep"), message);
        assertTrue(message.length() < 200, message);
        String negated = "-".repeat(100_000) + "a";
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FeedbackExpression.parse(negated)).getMessage()
                .endsWith("nested more than 100 deep"));
        String chain = "a" + "+a".repeat(50_000);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FeedbackExpression.parse(chain)).getMessage()
                .endsWith("more than 1000 operations; a feedback expression is meant to be small"));
        assertEquals("feedback expression 'clip(a, 0, 1e999)': '1e999' is beyond the largest number (about 1.8e308)",
                assertThrows(IllegalArgumentException.class, () -> FeedbackExpression.parse("clip(a, 0, 1e999)"))
                        .getMessage());
        assertEquals(3.0, FeedbackExpression.parse("(".repeat(50) + "a" + ")".repeat(50) + " + 1")
                .eval(Map.of("a", FeedbackExpression.Value.number(2))).values()[0]);
        IllegalArgumentException growth = assertThrows(IllegalArgumentException.class,
                () -> FrameSources.parse("ramp*1e999^t"));
        assertEquals("--frames 'ramp*1e999^t': growth factor K of *K^t '1e999' is not a finite number",
                growth.getMessage());
    }

    @Test
    void integerInputsRefuseValuesTheyCannotHoldInsteadOfWrappingThem() throws IOException {
        TensorSpec bytes = new TensorSpec("pixels:0", DType.UINT8, Shape.of(1, 2));
        FrameSource brighter = FrameSources.parse("const:200*1.5^t");
        assertEquals(200, brighter.frame(0, bytes).getDouble(0));
        IllegalArgumentException frame = assertThrows(IllegalArgumentException.class, () -> brighter.frame(1, bytes));
        assertEquals("input pixels:0 is of type uint8, which cannot hold 300 (element 0); its values must lie in 0 .. 255", frame.getMessage());

        Signature counter = new Signature("serving_default",
                List.of(new SignatureTensor("count", new TensorSpec("count:0", DType.INT32, Shape.of(1)))),
                List.of(new SignatureTensor("next", new TensorSpec("next:0", DType.FLOAT32, Shape.of(1)))));
        Feedback rule = Feedback.parse("next=count", counter);
        assertEquals(7, rule.next(counter, Map.of("next:0", TensorData.ofFloats("next:0", Shape.of(1), 7.4f)))
                .getDouble(0));
        assertEquals("--feedback 'next=count': input count:0 is of type int32, which cannot hold 4.295e+09 (element 0); its values must lie in -2147483648 .. 2147483647",
                assertThrows(IllegalArgumentException.class, () -> rule.next(counter,
                        Map.of("next:0", TensorData.ofFloats("next:0", Shape.of(1), 0x1p32f)))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> rule.next(counter,
                Map.of("next:0", TensorData.ofFloats("next:0", Shape.of(1), Float.NaN)))).getMessage()
                .contains("cannot hold NaN (element 0)"));
    }
}
