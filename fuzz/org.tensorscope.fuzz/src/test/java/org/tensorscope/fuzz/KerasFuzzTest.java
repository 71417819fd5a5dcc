package org.tensorscope.fuzz;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.core.service.ModelLoader;
import org.tensorscope.tensorflow.internal.keras.KerasH5Loader;
import org.tensorscope.tensorflow.internal.keras.KerasV3Loader;
import org.tensorscope.tensorflow.internal.keras.TfjsLayersModelLoader;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Keras models in their three files, one target (Jazzer fuzzes one target per JVM): the input's first
 * byte picks the format and the rest is the file. 0: a TF.js layers {@code model.json} in a folder
 * holding the real MobileNetV2 shard and a small shard, so a mutated manifest reads real bytes with
 * the wrong shapes, types or paths; 1: a {@code .keras} zip (config.json, model.weights.h5); 2: a
 * Keras 2 {@code .h5} file. All three end in the same topology reader and graph builder.
 */
@EnabledIf("org.tensorscope.fuzz.FuzzSelection#chosen")
class KerasFuzzTest {

    /** Building MobileNetV2 from its 10 MB .h5 takes seconds of processor time on a busy machine. */
    private static final long SLOW_MILLIS = 15_000;

    /** A Dense layer of two units on two inputs, its kernel and bias in wb.bin. */
    static final String DENSE = """
            {"format":"layers-model","generatedBy":"hand","convertedBy":"hand",
             "modelTopology":{"class_name":"Sequential","keras_version":"2.15.0","backend":"tensorflow",
              "config":{"name":"dense_model","layers":[
               {"class_name":"Dense","config":{"name":"dense","units":2,"activation":"relu","use_bias":true,
                "batch_input_shape":[null,2],"dtype":"float32"}}]}},
             "weightsManifest":[{"paths":["wb.bin"],"weights":[
              {"name":"dense/kernel","shape":[2,2],"dtype":"float32"},
              {"name":"dense/bias","shape":[2],"dtype":"float32"}]}]}
            """;

    private static final Path FOLDER = folder();

    private static Path folder() {
        Path folder = Scratch.folder("keras");
        Scratch.copy("tfjs-layers/mobilenet_v2/group1-shard1of1", folder);
        ByteBuffer wb = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : new float[] { 1f, 0f, 0f, 1f, -0.5f, 0.5f }) {
            wb.putFloat(v);
        }
        Scratch.write(folder.resolve("wb.bin"), wb.array());
        return folder;
    }

    private enum Format {
        LAYERS_JSON("model.json", new TfjsLayersModelLoader()),
        KERAS("model.keras", new KerasV3Loader()),
        H5("model.h5", new KerasH5Loader());

        final String file;
        final ModelLoader loader;

        Format(String file, ModelLoader loader) {
            this.file = file;
            this.loader = loader;
        }
    }

    static byte[] seed(Format format, byte[] file) {
        byte[] input = new byte[file.length + 1];
        input[0] = (byte) format.ordinal();
        System.arraycopy(file, 0, input, 1, file.length);
        return input;
    }

    static Stream<byte[]> seeds() {
        return Stream.of(seed(Format.LAYERS_JSON, DENSE.getBytes(StandardCharsets.UTF_8)),
                seed(Format.LAYERS_JSON, Scratch.read(Scratch.testdata("tfjs-layers/mobilenet_v2/model.json"))),
                seed(Format.KERAS, Scratch.read(Scratch.testdata("keras/mobilenet_v2.keras"))),
                seed(Format.H5, Scratch.read(Scratch.testdata("keras/mobilenet_v2.h5"))));
    }

    /** The seeds are models, not refusals: otherwise the fuzzer would start from the loaders' first check. */
    @Test
    void theSeedsLoad() {
        List<byte[]> seeds = seeds().toList();
        for (byte[] seed : seeds) {
            LoadedModel model = load(seed);
            assertNotNull(model, "seed of format " + seed[0] + " was refused");
            assertTrue(model.graph().ops().size() >= (seed == seeds.get(0) ? 2 : 100),
                    "seed of format " + seed[0] + " has " + model.graph().ops().size() + " ops");
        }
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "30s")
    void kerasFile(byte[] input) {
        LoadedModel model = load(input);
        if (model != null) {
            ModelInfo.describe(model.graph());
        }
    }

    private static LoadedModel load(byte[] input) {
        if (input.length == 0) {
            return null;
        }
        Format format = Format.values()[Byte.toUnsignedInt(input[0]) % Format.values().length];
        byte[] bytes = Arrays.copyOfRange(input, 1, input.length);
        Oracle.input(bytes);
        Path file = Scratch.write(FOLDER.resolve(format.file), bytes);
        return Oracle.check(SLOW_MILLIS, List.of(file), () -> format.loader.load(file, null), ModelLoadException.class);
    }
}
