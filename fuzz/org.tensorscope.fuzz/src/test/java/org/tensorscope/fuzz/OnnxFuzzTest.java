package org.tensorscope.fuzz;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.onnx.internal.OnnxModel;
import org.tensorscope.onnx.internal.load.OnnxModelLoader;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** ONNX models: the wire-level ModelProto reader, subgraphs, tensor decoding and the graph conversion. */
@EnabledIf("org.tensorscope.fuzz.FuzzSelection#chosen")
class OnnxFuzzTest {

    private static final Path FOLDER = Scratch.folder("onnx");

    static Stream<byte[]> seeds() {
        return TinyOnnxModels.all().stream();
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "30s")
    void onnx(byte[] bytes) {
        Oracle.input(bytes);
        Path file = Scratch.write(FOLDER.resolve("model.onnx"), bytes);
        OnnxModel model = Oracle.check(List.of(file), () -> new OnnxModelLoader().load(file, null), ModelLoadException.class);
        if (model != null) {
            ModelInfo.describe(model.graph());
        }
    }
}
