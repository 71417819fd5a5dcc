package org.tensorscope.tensorflow.tests.keras;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorscope.tensorflow.internal.TfModel;
import org.tensorscope.tensorflow.tests.TestModels;

/** Keras test models: the real ones under testdata/ and small ones written by a test, and running them. */
public final class KerasFiles {

    /** tycho-surefire runs in the test bundle's folder. */
    public static final Path ROOT = Path.of("../../testdata").toAbsolutePath().normalize();

    private KerasFiles() {
    }

    public static Path model(String relative) {
        Path path = ROOT.resolve(relative);
        assertTrue(Files.exists(path), "test model missing: " + path);
        return path;
    }

    /** x[i] = ((i*7) mod 255)/255 times {@code scale}, the oracle's input. */
    public static TFloat32 ramp(float scale, long... shape) {
        TFloat32 x = TFloat32.tensorOf(Shape.of(shape));
        long n = x.shape().size();
        for (long i = 0; i < n; i++) {
            x.asRawTensor().data().asFloats().setFloat(((i * 7) % 255) / 255f * scale, i);
        }
        return x;
    }

    public static TFloat32 values(long[] shape, float... values) {
        return TestModels.vector(shape, values);
    }

    /** Runs the model's graph: feeds tensors by name, returns each fetched tensor's float values. */
    public static List<float[]> run(TfModel model, Map<String, Tensor> feeds, String... fetches) {
        return TestModels.run(model, feeds, fetches);
    }

    /** A TF.js layers model in a folder: model.json with this topology, one shard with these float32 weights. */
    public static Path tfjsLayers(Path folder, String modelConfig, Map<String, float[]> weights, Map<String, long[]> shapes)
            throws IOException {
        StringBuilder manifest = new StringBuilder();
        ByteBuffer data = ByteBuffer.allocate(weights.values().stream().mapToInt(w -> w.length * 4).sum())
                .order(ByteOrder.LITTLE_ENDIAN);
        for (Map.Entry<String, float[]> w : weights.entrySet()) {
            if (manifest.length() > 0) {
                manifest.append(',');
            }
            manifest.append("{\"name\":\"").append(w.getKey()).append("\",\"shape\":")
                    .append(java.util.Arrays.toString(shapes.get(w.getKey()))).append(",\"dtype\":\"float32\"}");
            for (float v : w.getValue()) {
                data.putFloat(v);
            }
        }
        Files.createDirectories(folder);
        Files.write(folder.resolve("weights.bin"), data.array());
        return Files.writeString(folder.resolve("model.json"), "{\"format\":\"layers-model\",\"modelTopology\":{\"model_config\":"
                + modelConfig + "},\"weightsManifest\":[{\"paths\":[\"weights.bin\"],\"weights\":[" + manifest + "]}]}");
    }
}
