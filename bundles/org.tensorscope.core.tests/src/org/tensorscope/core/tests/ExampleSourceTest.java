package org.tensorscope.core.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.tensorscope.core.input.InputSource;
import org.tensorscope.core.input.InputSources;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.SignatureTensor;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.tensor.StringTensors;
import org.tensorscope.core.tensor.TensorData;

/**
 * The {@code example:} input source writes tf.Example protos byte for byte as protobuf does. The
 * expected bytes are worked out by hand from the wire format: a field's key is (number << 3) | 2
 * for length-delimited values, followed by the payload length and the payload.
 */
class ExampleSourceTest {

    private static final TensorSpec BATCH = new TensorSpec("tf_example:0", DType.STRING, Shape.unknownRank());

    private static List<byte[]> examples(String text, TensorSpec input) throws Exception {
        TensorData data = InputSources.parse(text).create(input);
        assertEquals(DType.STRING, data.dtype());
        return StringTensors.values(data);
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    /**
     * A generated source for a string input is refused before anything is made: a billion elements (within the
     * budget of one byte each) once filled an array of doubles first, and ran out of heap (found by the fuzzer).
     */
    @Test
    void aGeneratedSourceForAStringInputIsRefusedBeforeItIsMade() {
        for (String source : List.of("ramp@1000000000", "ramp*2@1000000000", "zeros@1000000000")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> InputSources.parse(source).create(BATCH));
            assertEquals("input tf_example:0 is of type string, which Tensorscope cannot make from numbers", e.getMessage(),
                    source);
        }
    }

    @Test
    void oneFloatFeatureIsAPackedFloatList() throws Exception {
        TensorData data = InputSources.parse("example:{\"x\":[1.5]}").create(BATCH);
        assertEquals(Shape.of(1), data.shape(), "one object is a batch of one");
        byte[] expected = bytes(
                0x0A, 0x0F, //            Example.features (field 1), 15 bytes
                0x0A, 0x0D, //            Features.feature map entry (field 1), 13 bytes
                0x0A, 0x01, 'x', //       entry key (field 1) "x"
                0x12, 0x08, //            entry value (field 2): Feature, 8 bytes
                0x12, 0x06, //            Feature.float_list (field 2), 6 bytes
                0x0A, 0x04, //            FloatList.value (field 1), packed, 4 bytes
                0x00, 0x00, 0xC0, 0x3F); // 1.5f little-endian (0x3FC00000)
        assertArrayEquals(expected, StringTensors.values(data).get(0));
    }

    @Test
    void wholeNumbersAreAnInt64ListAndStringsABytesList() throws Exception {
        byte[] expected = bytes(
                0x0A, 0x23, //            Example.features, 35 bytes
                0x0A, 0x14, //            entry "n", 20 bytes
                0x0A, 0x01, 'n',
                0x12, 0x0F, //            Feature, 15 bytes
                0x1A, 0x0D, //            Feature.int64_list (field 3), 13 bytes
                0x0A, 0x0B, //            Int64List.value, packed, 11 bytes
                0x01, //                  1
                0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, // -1: ten bytes of varint
                0x0A, 0x0B, //            entry "s", 11 bytes
                0x0A, 0x01, 's',
                0x12, 0x06, //            Feature, 6 bytes
                0x0A, 0x04, //            Feature.bytes_list (field 1), 4 bytes
                0x0A, 0x02, 'a', 'b'); // BytesList.value "ab"
        assertArrayEquals(expected, examples("example:{\"n\":[1,-1], \"s\":[\"ab\"]}", BATCH).get(0));
    }

    @Test
    void aListOfObjectsIsABatchAndASingleValueAListOfOne() throws Exception {
        TensorData data = InputSources.parse("example:[{\"x\":1.5},{\"x\":[2]}]").create(BATCH);
        assertEquals(Shape.of(2), data.shape());
        List<byte[]> examples = StringTensors.values(data);
        assertArrayEquals(examples("example:{\"x\":[1.5]}", BATCH).get(0), examples.get(0));
        assertArrayEquals(bytes(0x0A, 0x0C, 0x0A, 0x0A, 0x0A, 0x01, 'x', 0x12, 0x05, 0x1A, 0x03, 0x0A, 0x01, 0x02),
                examples.get(1));
    }

    @Test
    void aFloatAmongIntegersMakesAFloatList() throws Exception {
        // 2 -> 2.0f (0x40000000), 0.5 -> 0x3F000000
        assertArrayEquals(bytes(0x0A, 0x13, 0x0A, 0x11, 0x0A, 0x01, 'x', 0x12, 0x0C, 0x12, 0x0A, 0x0A, 0x08,
                0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x3F), examples("example:{\"x\":[2, 0.5]}", BATCH).get(0));
    }

    @Test
    void aScalarInputTakesOneExampleAsAScalarString() throws Exception {
        TensorSpec scalar = new TensorSpec("tf_example:0", DType.STRING, Shape.of());
        assertEquals(Shape.of(), InputSources.parse("example:{\"x\":[1.5]}").create(scalar).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InputSources.parse("example:[{\"x\":1.5},{\"x\":2.5}]").create(scalar));
        assertEquals("Input tf_example:0 takes one serialized tf.Example (a scalar string), not a batch: give "
                + "example: one JSON object", e.getMessage());
    }

    @Test
    void jsonWithStarsColonsAndEscapesIsNotReadAsAScaleFactor() throws Exception {
        InputSource source = InputSources.parse("example:{\"s\":[\"a*2:\\u00e9\"]}");
        assertEquals("example:{\"s\":[\"a*2:\\u00e9\"]}", source.describe());
        byte[] example = examples(source.describe(), BATCH).get(0);
        byte[] utf8 = "a*2:\u00e9".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertArrayEquals(utf8, java.util.Arrays.copyOfRange(example, example.length - utf8.length, example.length));
    }

    @Test
    void badJsonIsNamedWithWhereItGoesWrong() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InputSources.parse("example:{x:[1]}"));
        assertEquals("Input source 'example:{x:[1]}': not valid JSON: expected a feature name in quotes at position 1",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> InputSources.parse("example:{\"x\":[1, \"a\"]}"));
        assertEquals("Input source 'example:{\"x\":[1, \"a\"]}': feature 'x' must hold numbers or strings, not a mix "
                + "or nested values", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> InputSources.parse("example:[1.5]"));
        assertEquals("Input source 'example:[1.5]' should be example:{\"feature\":[values]} or example:[{...},{...}] "
                + "for a batch", e.getMessage());
    }

    @Test
    void aStringInputIsPreparedWithoutNumericHealthProblems() throws Exception {
        Signature regress = new Signature("regress_x_to_y", List.of(new SignatureTensor("inputs", BATCH)),
                List.of(new SignatureTensor("outputs", new TensorSpec("y:0", DType.FLOAT32, Shape.of(-1, 1)))));
        PreparedInputs prepared = PreparedInputs.prepare(regress, List.of("inputs=example:[{\"x\":[1.0]},{\"x\":[2.0]}]"));
        TensorData fed = prepared.feeds().get("tf_example:0");
        assertEquals(Shape.of(2), fed.shape());
        assertEquals(List.of(), prepared.health().get(0).problems());
        assertEquals(2, prepared.health().get(0).summary().count());
        assertEquals("string", prepared.health().get(0).summary().dtype());
    }
}
