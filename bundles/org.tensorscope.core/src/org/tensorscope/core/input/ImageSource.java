package org.tensorscope.core.input;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.tensorscope.core.model.TensorSpec;
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
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such image file");
        }
        BufferedImage image = ImageIO.read(file.toFile());
        if (image == null) {
            throw new IOException(file + ": not a PNG or JPEG image ImageIO can read");
        }
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
