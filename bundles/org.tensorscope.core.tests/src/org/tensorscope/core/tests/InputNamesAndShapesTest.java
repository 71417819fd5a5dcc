package org.tensorscope.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.SignatureTensor;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.run.PreparedInputs;

/** Inputs named with a name scope, and inputs whose shape the model leaves unknown. */
class InputNamesAndShapesTest {

    private static final Signature SCOPED = new Signature("serving_default",
            List.of(new SignatureTensor("input/x-input", new TensorSpec("input/x-input:0", DType.FLOAT32, Shape.of(1, 4)))),
            List.of());
    private static final Signature UNKNOWN = new Signature("serving_default",
            List.of(new SignatureTensor("state", new TensorSpec("state:0", DType.FLOAT32, Shape.unknownRank())),
                    new SignatureTensor("audio", new TensorSpec("audio:0", DType.FLOAT32, Shape.of(-1, -1)))),
            List.of());

    @Test
    void anInputInANameScopeIsFedByItsName() throws Exception {
        PreparedInputs inputs = PreparedInputs.prepare(SCOPED, List.of("input/x-input=const:2"));
        assertEquals(2.0, inputs.feeds().get("input/x-input:0").getDouble(3));
        assertEquals("const:2", inputs.health().get(0).source());
    }

    @Test
    void anExplicitShapeFeedsAnInputOfUnknownShape() throws Exception {
        PreparedInputs inputs = PreparedInputs.prepare(UNKNOWN, List.of("state=zeros@1x1x1x1", "audio=ramp@1x512"));
        assertEquals(Shape.of(1, 1, 1, 1), inputs.feeds().get("state:0").shape());
        assertEquals(Shape.of(1, 512), inputs.feeds().get("audio:0").shape());
        assertEquals("ramp@1x512", inputs.health().get(1).source());
        assertTrue(inputs.shapeNotes().isEmpty(), "nothing was guessed");
    }

    @Test
    void shapeOptionGivesTheShapeSeparately() throws Exception {
        PreparedInputs inputs = PreparedInputs.prepare(UNKNOWN, List.of("state=zeros@2x3"), Map.of("audio", "1x16"));
        assertEquals(Shape.of(1, 16), inputs.feeds().get("audio:0").shape());
    }

    @Test
    void aGuessedShapeIsSaidAndAnUnknownRankNamesTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PreparedInputs.prepare(UNKNOWN, List.of("audio=ramp")));
        assertEquals("input state:0 has an unknown rank: give its shape, e.g. --input state=ramp@1x1x1x1 or "
                + "--shape state=1x1x1x1 (@scalar for a single value), or feed a .npy file", e.getMessage());
    }

    @Test
    void unknownDimensionsFedAsOneAreReported() throws Exception {
        PreparedInputs inputs = PreparedInputs.prepare(UNKNOWN, List.of("state=zeros@1", "audio=ramp"));
        assertEquals(Shape.of(1, 1), inputs.feeds().get("audio:0").shape());
        assertEquals(List.of("input audio has shape [?,?] in the model and was fed as [1,1]; give another with "
                + "--input audio=ramp@1x1 or --shape audio=1x1"), inputs.health().get(1).problems());
    }

    @Test
    void aShapeThatContradictsTheModelIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PreparedInputs.prepare(SCOPED, List.of("input/x-input=ramp@1x5")));
        assertEquals("input input/x-input:0 has shape [1,4]; the shape given, [1,5], does not fit it", e.getMessage());
    }
}
