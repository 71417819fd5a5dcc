package org.tensorscope.core.input;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Parses input source texts:
 * <ul>
 * <li>{@code ramp}: x[i] = ((i*7) mod 255) / 255</li>
 * <li>{@code zeros}, {@code const:V}</li>
 * <li>{@code uniform:LO:HI[:SEED]}, {@code normal:MEAN:STD[:SEED]}</li>
 * <li>a {@code .npy} file (NumPy format 1.0 to 3.0)</li>
 * <li>a PNG or JPEG image with an optional preprocessing chain after {@code ?}:
 * {@code photo.png?scale=1/255&clip=0:1&mean=0.485,0.456,0.406&std=0.229,0.224,0.225&order=bgr}. The image
 * is resized to the input's height and width; steps run in the order scale, clip, mean/std.</li>
 * <li>{@code example:{"x":[1.5]}}: serialized {@code tf.Example}s for a string input (see {@link ExampleSource})</li>
 * </ul>
 * Any source can be scaled by a factor with {@code *K}, e.g. {@code ramp*1e38} (pixels never clipped),
 * and given an explicit shape with {@code @DIMS} at the end, e.g. {@code ramp@1x512}, for inputs whose
 * dimensions the model leaves unknown.
 */
public final class InputSources {

    private InputSources() {
    }

    public static InputSource parse(String text) {
        String spec = text.trim();
        if (spec.startsWith(ExampleSource.PREFIX)) {
            return ExampleSource.parse(spec); // before the other forms: its JSON may hold '*', ':' or '@'
        }
        int at = spec.lastIndexOf('@');
        if (at > 0 && spec.substring(at + 1).matches("[0-9x, ]*|scalar")) {
            return new ShapedSource(parse(spec.substring(0, at)), ShapedSource.parseShape(spec.substring(at + 1), text));
        }
        int star = spec.lastIndexOf('*');
        if (star > 0 && !spec.substring(star + 1).contains("/") && !spec.substring(star + 1).contains(".npy")) {
            double factor = number(spec.substring(star + 1), text, "scale factor");
            return new ScaledSource(parse(spec.substring(0, star)), factor, spec);
        }
        String[] parts = spec.split(":");
        switch (parts.length == 0 ? "" : parts[0]) {
            case "ramp":
                return GeneratedSource.ramp();
            case "zeros":
                return GeneratedSource.constant(0, "zeros");
            case "const":
                expect(parts, 2, 2, text, "const:V");
                return GeneratedSource.constant(number(parts[1], text, "value"), spec);
            case "uniform":
                expect(parts, 3, 4, text, "uniform:LO:HI[:SEED]");
                return GeneratedSource.uniform(number(parts[1], text, "LO"), number(parts[2], text, "HI"),
                        parts.length > 3 ? (long) number(parts[3], text, "SEED") : 0, spec);
            case "normal":
                expect(parts, 3, 4, text, "normal:MEAN:STD[:SEED]");
                return GeneratedSource.normal(number(parts[1], text, "MEAN"), number(parts[2], text, "STD"),
                        parts.length > 3 ? (long) number(parts[3], text, "SEED") : 0, spec);
            default:
                break;
        }
        String path = spec.contains("?") ? spec.substring(0, spec.indexOf('?')) : spec;
        String lowerPath = path.toLowerCase(Locale.ROOT);
        if (lowerPath.endsWith(".npy")) {
            return new NpySource(file(path, text));
        }
        if (lowerPath.endsWith(".png") || lowerPath.endsWith(".jpg") || lowerPath.endsWith(".jpeg")) {
            return ImageSource.parse(file(path, text), spec.contains("?") ? spec.substring(spec.indexOf('?') + 1) : "",
                    spec);
        }
        throw new IllegalArgumentException("Unknown input source '" + text + "': use ramp, zeros, const:V, "
                + "uniform:LO:HI[:SEED], normal:MEAN:STD[:SEED], example:{JSON}, a .npy file or a .png/.jpg image");
    }

    private static Path file(String path, String text) {
        try {
            return Path.of(path);
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException("Input source '" + text + "': not a valid file name");
        }
    }

    private static void expect(String[] parts, int min, int max, String text, String form) {
        if (parts.length < min || parts.length > max) {
            throw new IllegalArgumentException("Input source '" + text + "' should be " + form);
        }
    }

    static double number(String s, String text, String what) {
        String t = s.trim();
        try {
            int slash = t.indexOf('/');
            if (slash > 0) {
                return Double.parseDouble(t.substring(0, slash)) / Double.parseDouble(t.substring(slash + 1));
            }
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Input source '" + text + "': " + what + " '" + s + "' is not a number");
        }
    }
}
