package org.tensorscope.fuzz;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.tensorflow.internal.TfModel;
import org.tensorscope.tensorflow.internal.tflite.TfliteLoader;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * TFLite flatbuffers: the fuzzer writes {@code model.tflite}, read by our own flatbuffer reader
 * ({@code TfliteModel} and its tables), the operator conversion and the GraphDef conversion. Offsets
 * and vector lengths of a mutated flatbuffer point anywhere, so this is where a reader that trusts
 * them would fail.
 */
@EnabledIf("org.tensorscope.fuzz.FuzzSelection#chosen")
class TfliteFuzzTest {

    /** Converting the 2.8 MB pose model takes seconds of processor time on a busy machine. */
    private static final long SLOW_MILLIS = 15_000;

    private static final Path FOLDER = Scratch.folder("tflite");

    static Stream<byte[]> seeds() {
        return Stream.of("tflite/face_detection_short_range.tflite", "tflite/pose_landmark_lite.tflite",
                "tflite/face_detection_full_range_sparse.tflite")
                .map(f -> Scratch.read(Scratch.testdata(f)));
    }

    /** The seeds are models, not refusals: otherwise the fuzzer would start from the loader's first check. */
    @Test
    void theSeedsLoad() {
        for (byte[] seed : seeds().toList()) {
            TfModel model = load(seed);
            assertNotNull(model, "a seed of " + seed.length + " bytes was refused");
            assertTrue(model.graph().ops().size() >= 100, "a seed has only " + model.graph().ops().size() + " ops");
        }
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "30s")
    void tflite(byte[] bytes) {
        TfModel model = load(bytes);
        if (model != null) {
            ModelInfo.describe(model.graph());
        }
    }

    private static TfModel load(byte[] bytes) {
        Oracle.input(bytes);
        Path file = Scratch.write(FOLDER.resolve("model.tflite"), bytes);
        return Oracle.check(SLOW_MILLIS, List.of(file), () -> new TfliteLoader().load(file, null), ModelLoadException.class);
    }
}
