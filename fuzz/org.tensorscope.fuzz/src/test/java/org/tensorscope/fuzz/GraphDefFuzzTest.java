package org.tensorscope.fuzz;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.tensorflow.internal.TfModel;
import org.tensorscope.tensorflow.internal.load.FrozenGraphLoader;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Frozen graphs in binary form ({@code .pb}): protobuf decoding, {@code GraphLimits}, function inlining, TF import. */
@EnabledIf("org.tensorscope.fuzz.FuzzSelection#chosen")
class GraphDefFuzzTest {

    private static final Path FOLDER = Scratch.folder("graphdef");

    static Stream<byte[]> seeds() {
        return TinyGraphs.all().stream().map(g -> g.toByteArray());
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "30s")
    void frozenGraph(byte[] bytes) {
        Oracle.input(bytes);
        Path file = Scratch.write(FOLDER.resolve("model.pb"), bytes);
        TfModel model = Oracle.check(List.of(file), () -> new FrozenGraphLoader().load(file, null), ModelLoadException.class);
        if (model != null) {
            ModelInfo.describe(model.graph());
        }
    }
}
