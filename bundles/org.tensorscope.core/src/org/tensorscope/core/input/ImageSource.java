package org.tensorscope.core.input;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.service.ModelFiles;
import org.tensorscope.core.tensor.TensorData;

/**
 * A PNG or JPEG image resized to an NHWC input, with the preprocessing chain
 * scale, clip, mean/std and channel order (see {@link InputSources}).
 */
final class ImageSource implements InputSource {

    private final Path file;
    private final String text;
    private double scale = 1;
    private double clipLo = Double.NEGATIVE_INFINITY;
    private double clipHi = Double.POSITIVE_INFINITY;
    private double[] mean = { 0 };
    private double[] std = { 1 };
    private boolean bgr;

    private ImageSource(Path file, String text) {
        this.file = file;
        this.text = text;
    }

    static ImageSource parse(Path file, String chain, String text) {
        ImageSource source = new ImageSource(file, text);
        for (String step : chain.split("&")) {
            if (step.isBlank()) {
                continue;
            }
            String[] kv = step.split("=", 2);
            String value = kv.length > 1 ? kv[1] : "";
            switch (kv[0]) {
                case "scale" -> source.scale = InputSources.number(value, text, "scale");
                case "clip" -> {
                    String[] lohi = value.split(":");
                    if (lohi.length != 2) {
                        throw new IllegalArgumentException("Input source '" + text + "': clip should be LO:HI");
                    }
                    source.clipLo = InputSources.number(lohi[0], text, "clip LO");
                    source.clipHi = InputSources.number(lohi[1], text, "clip HI");
                }
                case "mean" -> source.mean = numbers(value, text, "mean");
                case "std" -> source.std = numbers(value, text, "std");
                case "order" -> {
                    if (!value.equals("rgb") && !value.equals("bgr")) {
                        throw new IllegalArgumentException("Input source '" + text + "': order should be rgb or bgr");
                    }
                    source.bgr = value.equals("bgr");
                }
                default -> throw new IllegalArgumentException("Input source '" + text + "': unknown step '" + kv[0]
                        + "' (use scale, clip, mean, std, order)");
            }
        }
        return source;
    }

    private static double[] numbers(String value, String text, String what) {
        String[] parts = value.split(",");
        double[] result = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            result[i] = InputSources.number(parts[i], text, what);
        }
        return result;
    }

    /**
     * The decoded image; only a regular file is read, and its declared size is checked against
     * the {@link TensorBudget} before its pixels are decoded.
     */
    static BufferedImage read(Path file) throws IOException {
        String irregular = ModelFiles.irregularKind(file);
        if (irregular != null) {
            throw new IOException(file + ": " + (irregular.equals("no such file") ? "no such image file" : irregular));
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? java.util.Collections.emptyIterator() : ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException(file + ": not a PNG or JPEG image ImageIO can read");
            }
            ImageReader reader = readers.next();
            String format = reader.getFormatName().toUpperCase(java.util.Locale.ROOT);
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                long budget = TensorBudget.bytes();
                if (pixels * 4 > budget) {
                    throw new IOException(file + ": the image is " + reader.getWidth(0) + "x" + reader.getHeight(0)
                            + " pixels, more than the " + ModelFiles.sizeText(budget) + " allowed for one tensor");
                }
                BufferedImage image = reader.read(0);
                if (image == null) {
                    throw new IOException(file + ": not a readable " + format + " image");
                }
                return image;
            } catch (IOException e) {
                if (e.getMessage() != null && e.getMessage().startsWith(file.toString())) {
                    throw e;
                }
                throw new IOException(file + ": not a readable " + format + " image (" + e.getMessage() + ")", e);
            } catch (RuntimeException e) {
                throw new IOException(file + ": not a readable " + format + " image (" + e.getMessage() + ")", e);
            } finally {
                reader.dispose();
            }
        }
    }

    @Override
    public TensorData create(TensorSpec input) throws IOException {
        long[] dims = Shapes.concrete(input).dims();
        if (dims.length != 4) {
            throw new IllegalArgumentException("Input " + input.name() + " has shape " + input.shape()
                    + ": an image needs a 4-D [N,H,W,C] input");
        }
        int height = (int) dims[1];
        int width = (int) dims[2];
        int channels = (int) dims[3];
        TensorBudget.check("input " + input.name(), Shapes.concrete(input), input.dtype());
        BufferedImage image = read(file);
        BufferedImage resized = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = resized.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, width, height, null);
        g.dispose();
        double[] values = new double[(int) dims[0] * height * width * channels];
        int i = 0;
        for (int n = 0; n < dims[0]; n++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int rgb = resized.getRGB(x, y);
                    int[] pixel = { (rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff };
                    for (int c = 0; c < channels; c++) {
                        int channel = channels == 1 ? -1 : bgr ? 2 - Math.min(c, 2) : Math.min(c, 2);
                        double v = channel < 0 ? (pixel[0] * 0.299 + pixel[1] * 0.587 + pixel[2] * 0.114) : pixel[channel];
                        v = Math.min(clipHi, Math.max(clipLo, v * scale));
                        values[i++] = (v - mean[c % mean.length]) / std[c % std.length];
                    }
                }
            }
        }
        return Tensors.of(input.name(), input.dtype(), Shapes.concrete(input), values);
    }

    @Override
    public String describe() {
        return text;
    }

    @Override
    public double[] promisedRange() {
        double lo = Math.max(clipLo, 0);
        double hi = Math.min(clipHi, 255 * scale);
        double m = mean[0];
        double s = std[0];
        double a = (lo - m) / s;
        double b = (hi - m) / s;
        return new double[] { Math.min(a, b), Math.max(a, b) };
    }
}
