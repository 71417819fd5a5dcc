package org.tensorscope.tensorflow.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorscope.tensorflow.internal.TfModel;

/**
 * The real models under the project's testdata/ folder (see its NOTICE.md), and running a loaded
 * model's frozen GraphDef with a plain TensorFlow session.
 */
public final class TestModels {

    /** tycho-surefire runs in the test bundle's folder. */
    public static final Path ROOT = Path.of("../../testdata").toAbsolutePath().normalize();

    private TestModels() {
    }

    public static Path get(String relative) {
        Path path = ROOT.resolve(relative);
        if (!Files.exists(path)) {
            throw new IllegalStateException("test model missing: " + path);
        }
        return path;
    }

    /** x[i] = ((i*7) mod 255)/255, the reference input. */
    public static TFloat32 ramp(long... shape) {
        TFloat32 x = TFloat32.tensorOf(Shape.of(shape));
        long n = x.shape().size();
        for (long i = 0; i < n; i++) {
            x.asRawTensor().data().asFloats().setFloat(((i * 7) % 255) / 255f, i);
        }
        return x;
    }

    public static TFloat32 vector(long[] shape, float... values) {
        TFloat32 x = TFloat32.tensorOf(Shape.of(shape));
        for (int i = 0; i < values.length; i++) {
            x.asRawTensor().data().asFloats().setFloat(values[i], i);
        }
        return x;
    }

    /** Runs the frozen graph: feeds tensors by name, returns each fetched tensor's float values. */
    public static List<float[]> run(TfModel model, Map<String, Tensor> feeds, String... fetches) {
        try (Graph graph = new Graph()) {
            graph.importGraphDef(model.frozenGraph());
            try (Session session = new Session(graph)) {
                Session.Runner runner = session.runner();
                feeds.forEach(runner::feed);
                for (String fetch : fetches) {
                    runner.fetch(fetch);
                }
                try (Result result = runner.run()) {
                    List<float[]> values = new ArrayList<>();
                    for (int k = 0; k < fetches.length; k++) {
                        TFloat32 t = (TFloat32) result.get(k);
                        float[] v = new float[(int) t.shape().size()];
                        for (int i = 0; i < v.length; i++) {
                            v[i] = t.asRawTensor().data().asFloats().getFloat(i);
                        }
                        values.add(v);
                    }
                    return values;
                }
            }
        }
    }

    /** Copies a model folder so a test can damage the copy. */
    public static Path copyFolder(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                    target.toFile().setWritable(true);
                }
            }
        }
        return to;
    }
}
