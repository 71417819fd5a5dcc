package org.tensorscope.fuzz;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.tensorflow.internal.TfModel;
import org.tensorscope.tensorflow.internal.load.SavedModelLoader;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * SavedModels: the input's first byte picks one of the real SavedModels of testdata/, whose
 * {@code variables/} and {@code assets/} stay as they are; the rest is its {@code saved_model.pb}. The
 * loader checks the meta graph and the files, restores the checkpoint and freezes the variables.
 */
@EnabledIf("org.tensorscope.fuzz.FuzzSelection#chosen")
class SavedModelFuzzTest {

    static final List<String> MODELS = List.of("tf1_half_plus_two", "tf1_half_plus_three", "tf1_half_plus_two_cpu",
            "tf2_python_functions");

    private static final Path FOLDER = folder();

    private static Path folder() {
        Path folder = Scratch.folder("savedmodel");
        MODELS.forEach(m -> Scratch.copy("savedmodel/" + m, folder));
        return folder;
    }

    static Stream<byte[]> seeds() {
        return IntStream.range(0, MODELS.size()).mapToObj(i -> {
            byte[] pb = Scratch.read(Scratch.testdata("savedmodel/" + MODELS.get(i) + "/saved_model.pb"));
            byte[] seed = new byte[pb.length + 1];
            seed[0] = (byte) i;
            System.arraycopy(pb, 0, seed, 1, pb.length);
            return seed;
        });
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "30s")
    void savedModel(byte[] input) {
        Oracle.input(input);
        if (input.length < 1) {
            return;
        }
        Path dir = FOLDER.resolve(MODELS.get((input[0] & 0xff) % MODELS.size()));
        Path pb = Scratch.write(dir.resolve("saved_model.pb"), Arrays.copyOfRange(input, 1, input.length));
        TfModel model = Oracle.check(List.of(dir), () -> new SavedModelLoader().load(pb, null), ModelLoadException.class);
        if (model != null) {
            ModelInfo.describe(model.graph());
        }
    }
}
