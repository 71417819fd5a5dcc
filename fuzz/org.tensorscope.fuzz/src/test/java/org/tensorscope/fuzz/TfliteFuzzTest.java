package org.tensorscope.fuzz;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

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
        return Stream.of("tflite/face_detection_short_range.tflite", "tflite/pose_landmark_lite.tflite")
                .map(f -> Scratch.read(Scratch.testdata(f)));
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "30s")
    void tflite(byte[] bytes) {
        Oracle.input(bytes);
        Path file = Scratch.write(FOLDER.resolve("model.tflite"), bytes);
        TfModel model = Oracle.check(SLOW_MILLIS, List.of(file), () -> new TfliteLoader().load(file, null),
                ModelLoadException.class);
        if (model != null) {
            ModelInfo.describe(model.graph());
        }
    }
}
