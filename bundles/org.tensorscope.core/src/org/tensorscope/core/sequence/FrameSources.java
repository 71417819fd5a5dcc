package org.tensorscope.core.sequence;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.tensorscope.core.input.InputSource;
import org.tensorscope.core.input.InputSources;
import org.tensorscope.core.input.Npy;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.tensor.TensorData;

/**
 * Parses frame source texts: {@code SOURCE[*K^t][+noise:STD[:SEED]][@DIMS]} where SOURCE is
 * <ul>
 * <li>a folder: its PNG/JPEG images sorted by name, each through the preprocessing chain after {@code ?}, as an
 * image input source takes it ({@code frames/?scale=1/255&clip=0:1});</li>
 * <li>a {@code .npy} file whose first axis is time;</li>
 * <li>any generated input source ({@code ramp}, {@code const:V}, {@code uniform:LO:HI[:SEED]}...): the same values
 * every step.</li>
 * </ul>
 * {@code *K^t} multiplies frame t by K to the power t (a scale ramp: {@code ramp*1.5^t});
 * {@code +noise:STD[:SEED]} adds Gaussian noise drawn afresh each step; {@code @DIMS} gives the frame's shape
 * where the model leaves it unknown.
 */
public final class FrameSources {

    private static final Pattern SHAPE = Pattern.compile("@([0-9x, ]+|scalar)$");
    private static final Pattern NOISE = Pattern.compile("\\+noise:([^*+@]+)$");
    private static final Pattern GROWTH = Pattern.compile("\\*([0-9.eE+-]+(?:/[0-9.eE+-]+)?)\\^t$");

    private FrameSources() {
    }

    /**
     * @throws IllegalArgumentException for a text that is none of the forms, naming it and the problem
     * @throws IOException              for a folder without images or an unreadable {@code .npy} file
     */
    public static FrameSource parse(String text) throws IOException {
        String rest = text.trim();
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("--frames: give a folder of images, a .npy file or a generated source such as ramp*1.5^t");
        }
        String shape = "";
        Double growth = null;
        double noiseStd = 0;
        long noiseSeed = 0;
        boolean matched = true;
        while (matched) {
            matched = false;
            Matcher m = SHAPE.matcher(rest);
            if (shape.isEmpty() && m.find()) {
                shape = "@" + m.group(1);
                rest = rest.substring(0, m.start());
                matched = true;
                continue;
            }
            m = NOISE.matcher(rest);
            if (noiseStd == 0 && m.find()) {
                String[] parts = m.group(1).split(":");
                noiseStd = number(parts[0], text, "noise STD");
                noiseSeed = parts.length > 1 ? (long) number(parts[1], text, "noise SEED") : 0;
                if (parts.length > 2 || !(noiseStd > 0)) {
                    throw new IllegalArgumentException("--frames '" + text + "': noise should be +noise:STD[:SEED] with STD above 0");
                }
                rest = rest.substring(0, m.start());
                matched = true;
                continue;
            }
            m = GROWTH.matcher(rest);
            if (growth == null && m.find()) {
                growth = number(m.group(1), text, "growth factor K of *K^t");
                rest = rest.substring(0, m.start());
                matched = true;
            }
        }
        if (rest.contains("^t")) {
            throw new IllegalArgumentException("--frames '" + text + "': a scale ramp is written *K^t at the end, e.g. ramp*1.5^t");
        }
        FrameSource source = base(rest, shape, text);
        if (growth != null) {
            source = new Scaled(source, growth, text);
        }
        if (noiseStd > 0) {
            source = new Noisy(source, noiseStd, noiseSeed, text);
        }
        return source;
    }

    private static FrameSource base(String spec, String shape, String text) throws IOException {
        String path = spec.contains("?") ? spec.substring(0, spec.indexOf('?')) : spec;
        String chain = spec.substring(path.length());
        Path file = looksLikeFile(path) ? Path.of(path) : null;
        if (file != null && Files.isDirectory(file)) {
            return ImageFolder.of(file, chain + shape, text);
        }
        if (path.toLowerCase(Locale.ROOT).endsWith(".npy")) {
            if (!shape.isEmpty() || !chain.isEmpty()) {
                throw new IllegalArgumentException("--frames '" + text + "': a .npy stack takes its shape from the file; "
                        + "drop the " + (shape.isEmpty() ? chain : shape));
            }
            return NpyStack.of(Path.of(path), text);
        }
        if (file != null && (path.endsWith("/") || path.endsWith(java.io.File.separator))) {
            throw new IOException(path + ": no such folder of frames");
        }
        InputSource generated;
        try {
            generated = InputSources.parse(spec + shape);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--frames '" + text + "': not a folder of images, a .npy file or a "
                    + "generated source (ramp, zeros, const:V, uniform:LO:HI[:SEED], normal:MEAN:STD[:SEED]), "
                    + "optionally with *K^t, +noise:STD[:SEED] and @DIMS");
        }
        if (Files.isRegularFile(Path.of(path)) || path.toLowerCase(Locale.ROOT).matches(".*\\.(png|jpe?g)$")) {
            throw new IllegalArgumentException("--frames '" + text + "': one image is not a sequence; give the folder "
                    + "holding the frames");
        }
        return new Generated(generated);
    }

    private static boolean looksLikeFile(String path) {
        try {
            Path.of(path);
            return true;
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    private static double number(String s, String text, String what) {
        String t = s.trim();
        try {
            int slash = t.indexOf('/');
            double v = slash > 0 ? Double.parseDouble(t.substring(0, slash)) / Double.parseDouble(t.substring(slash + 1))
                    : Double.parseDouble(t);
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("--frames '" + text + "': " + what + " '" + s + "' is not a finite number");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--frames '" + text + "': " + what + " '" + s + "' is not a number");
        }
    }

    /** A generated input source: the same frame every step. */
    private record Generated(InputSource source) implements FrameSource {

        @Override
        public int count() {
            return -1;
        }

        @Override
        public TensorData frame(int step, TensorSpec input) throws IOException {
            return source.create(input);
        }

        @Override
        public String describe() {
            return source.describe();
        }

        @Override
        public String describe(int step) {
            return source.describe();
        }
    }

    /** The images of a folder, sorted by name. */
    private record ImageFolder(Path folder, List<Path> images, String suffix, String text) implements FrameSource {

        static ImageFolder of(Path folder, String suffix, String text) throws IOException {
            List<Path> images;
            try (Stream<Path> files = Files.list(folder)) {
                images = files.filter(Files::isRegularFile)
                        .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(png|jpe?g)"))
                        .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
            }
            if (images.isEmpty()) {
                throw new IOException(folder + ": no PNG or JPEG images in the folder of frames");
            }
            return new ImageFolder(folder, images, suffix, text);
        }

        @Override
        public int count() {
            return images.size();
        }

        @Override
        public TensorData frame(int step, TensorSpec input) throws IOException {
            return InputSources.parse(images.get(step) + suffix).create(input);
        }

        @Override
        public String describe() {
            return text;
        }

        @Override
        public String describe(int step) {
            return images.get(step).toString();
        }
    }

    /** A .npy array whose first axis is time. */
    private record NpyStack(Path file, TensorData stack, String text) implements FrameSource {

        static NpyStack of(Path file, String text) throws IOException {
            TensorData stack = Npy.read(file, "frames");
            if (stack.shape().rank() < 1 || stack.shape().dim(0) == 0) {
                throw new IOException(file + ": a stack of frames needs a first (time) axis with at least one frame, "
                        + "the array has shape " + stack.shape());
            }
            return new NpyStack(file, stack, text);
        }

        @Override
        public int count() {
            return (int) stack.shape().dim(0);
        }

        @Override
        public TensorData frame(int step, TensorSpec input) {
            long[] dims = stack.shape().dims();
            long[] frameDims = java.util.Arrays.copyOfRange(dims, 1, dims.length);
            Shape frameShape = Shape.of(frameDims);
            Shape shape = frameShape;
            if (!input.shape().accepts(frameShape)) {
                long[] batched = new long[frameDims.length + 1];
                batched[0] = 1;
                System.arraycopy(frameDims, 0, batched, 1, frameDims.length);
                shape = Shape.of(batched);
                if (!input.shape().accepts(shape)) {
                    throw new IllegalArgumentException(file + ": a frame of the stack has shape " + frameShape
                            + ", input " + input.name() + " takes " + input.shape());
                }
            }
            long n = frameShape.numElements();
            double[] values = new double[Math.toIntExact(n)];
            for (int i = 0; i < values.length; i++) {
                values[i] = stack.getDouble(step * n + i);
            }
            return FrameValues.tensor(input.name(), input.dtype(), shape, values);
        }

        @Override
        public String describe() {
            return text;
        }

        @Override
        public String describe(int step) {
            return file + "[" + step + "]";
        }
    }

    /** Frame t times K^t. */
    private record Scaled(FrameSource source, double factor, String text) implements FrameSource {

        @Override
        public int count() {
            return source.count();
        }

        @Override
        public TensorData frame(int step, TensorSpec input) throws IOException {
            TensorData base = source.frame(step, input);
            double k = Math.pow(factor, step);
            double[] values = FrameValues.of(base);
            for (int i = 0; i < values.length; i++) {
                values[i] *= k;
            }
            return FrameValues.tensor(base.name(), base.dtype(), base.shape(), values);
        }

        @Override
        public String describe() {
            return text;
        }

        @Override
        public String describe(int step) {
            return source.describe(step) + " *" + factor + "^" + step;
        }
    }

    /** Frame t plus Gaussian noise drawn for that step. */
    private record Noisy(FrameSource source, double std, long seed, String text) implements FrameSource {

        @Override
        public int count() {
            return source.count();
        }

        @Override
        public TensorData frame(int step, TensorSpec input) throws IOException {
            TensorData base = source.frame(step, input);
            Random random = new Random(seed * 1_000_003L + step);
            double[] values = FrameValues.of(base);
            for (int i = 0; i < values.length; i++) {
                values[i] += std * random.nextGaussian();
            }
            return FrameValues.tensor(base.name(), base.dtype(), base.shape(), values);
        }

        @Override
        public String describe() {
            return text;
        }

        @Override
        public String describe(int step) {
            return source.describe(step) + " +noise(" + std + ", step " + step + ")";
        }
    }
}
