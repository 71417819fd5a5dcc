package org.tensorscope.fuzz;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorscope.core.input.InputSources;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.tensor.TensorData;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Image inputs: ImageIO's readers behind Tensorscope's size check, then the resize and
 * preprocessing chain into a [1,8,8,3] float input.
 */
@EnabledIf("org.tensorscope.fuzz.FuzzSelection#chosen")
class ImageFuzzTest {

    private static final Path FOLDER = Scratch.folder("image");
    private static final TensorSpec INPUT = new TensorSpec("image:0", DType.FLOAT32, Shape.of(1, 8, 8, 3));

    static Stream<byte[]> seeds() {
        return Stream.of(encode(BufferedImage.TYPE_INT_RGB, "png"), encode(BufferedImage.TYPE_BYTE_GRAY, "png"),
                encode(BufferedImage.TYPE_INT_ARGB, "png"), encode(BufferedImage.TYPE_USHORT_GRAY, "png"),
                encode(BufferedImage.TYPE_BYTE_INDEXED, "png"), encode(BufferedImage.TYPE_INT_RGB, "jpeg"),
                encode(BufferedImage.TYPE_BYTE_GRAY, "jpeg"), encode(BufferedImage.TYPE_INT_RGB, "bmp"),
                encode(BufferedImage.TYPE_BYTE_INDEXED, "gif"));
    }

    private static byte[] encode(int type, String format) {
        BufferedImage image = new BufferedImage(5, 4, type);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 5; x++) {
                image.setRGB(x, y, (x * 50) << 16 | (y * 60) << 8 | 0x80);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "30s")
    void image(byte[] bytes) {
        Oracle.input(bytes);
        Path file = Scratch.write(FOLDER.resolve("input.png"), bytes);
        TensorData data = Oracle.check(List.of(file),
                () -> InputSources.parse(file + "?scale=1/255&mean=0.5&std=0.25").create(INPUT), IOException.class);
        if (data != null && !data.shape().equals(INPUT.shape())) {
            throw new IllegalStateException("an image read as " + data.shape());
        }
    }
}
