package org.tensorscope.fuzz;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorscope.core.input.InputSources;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.TensorSpec;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The {@code --input} texts (ramp, const:V, uniform, scaling, {@code @DIMS} shapes, {@code example:}
 * JSON for tf.Example inputs): a user's typo is an {@link IllegalArgumentException} that quotes the
 * text, documented as such; the tensor made must fit the shape asked for.
 */
@EnabledIf("org.tensorscope.fuzz.FuzzSelection#chosen")
class InputSourceFuzzTest {

    private static final TensorSpec FLOATS = new TensorSpec("x:0", DType.FLOAT32, Shape.of(2, 3));
    private static final TensorSpec STRINGS = new TensorSpec("examples:0", DType.STRING, Shape.of(-1));

    static Stream<String> seeds() {
        return Stream.of("ramp", "zeros", "const:1.5", "uniform:-1:1:7", "normal:0:2", "ramp*1e38", "ramp@2x3",
                "const:2@scalar", "example:{\"x\":[1.5, 2]}", "example:[{\"x\":[1]},{\"name\":[\"a\"]}]");
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "30s")
    void inputSource(String text) {
        if (text == null) {
            return;
        }
        for (TensorSpec spec : List.of(FLOATS, STRINGS)) {
            Oracle.checkQuoting(text, () -> InputSources.parse(text).create(spec), IllegalArgumentException.class,
                    IOException.class);
        }
    }
}
