package org.tensorscope.fuzz;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.tensorflow.internal.TfModel;
import org.tensorscope.tensorflow.internal.load.FrozenGraphLoader;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Frozen graphs in text form ({@code .pbtxt}): protobuf's text parser, then as {@link GraphDefFuzzTest}. */
@EnabledIf("org.tensorscope.fuzz.FuzzSelection#chosen")
class GraphDefTextFuzzTest {

    private static final Path FOLDER = Scratch.folder("graphdef-text");

    static Stream<byte[]> seeds() {
        return TinyGraphs.all().stream()
                .map(g -> com.google.protobuf.TextFormat.printer().printToString(g).getBytes(StandardCharsets.UTF_8));
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "30s")
    void frozenGraphText(byte[] text) {
        Oracle.input(text);
        Path file = Scratch.write(FOLDER.resolve("model.pbtxt"), text);
        TfModel model = Oracle.check(List.of(file), () -> new FrozenGraphLoader().load(file, null), ModelLoadException.class);
        if (model != null) {
            ModelInfo.describe(model.graph());
        }
    }
}
