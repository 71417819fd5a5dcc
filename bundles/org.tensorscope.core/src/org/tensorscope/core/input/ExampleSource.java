package org.tensorscope.core.input;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.tensor.StringTensors;
import org.tensorscope.core.tensor.TensorData;

/**
 * Serialized {@code tf.Example} protos built from a JSON feature map, for the string inputs of
 * TF Serving's classify and regress signatures: {@code example:{"x":[1.5],"id":[7],"tag":["a"]}}.
 * Numbers with a fraction or exponent become a float_list, whole numbers an int64_list, strings a
 * bytes_list (UTF-8); a single value counts as a list of one. One object gives a batch of one
 * example, a JSON list of objects a batch of several.
 * <p>
 * The proto wire format is written here directly (core has no protobuf): Example{1: Features},
 * Features{1: map entry {1: key, 2: Feature}}, Feature{oneof 1: BytesList, 2: FloatList, 3: Int64List},
 * each list's values in its field 1, floats and int64s packed.
 */
final class ExampleSource implements InputSource {

    static final String PREFIX = "example:";

    private final String text;
    private final List<byte[]> examples;
    private final boolean batch;

    private ExampleSource(String text, List<byte[]> examples, boolean batch) {
        this.text = text;
        this.examples = examples;
        this.batch = batch;
    }

    /** @param text the whole source text, starting with {@code example:} */
    static ExampleSource parse(String text) {
        String json = text.substring(text.indexOf(':') + 1);
        Object value;
        try {
            JsonReader reader = new JsonReader(json);
            value = reader.value();
            reader.end();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Input source '" + text + "': not valid JSON: " + e.getMessage(), e);
        }
        List<byte[]> examples = new ArrayList<>();
        if (value instanceof Map<?, ?> features) {
            examples.add(encode(features, text));
        } else if (value instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(Map.class::isInstance)) {
            list.forEach(features -> examples.add(encode((Map<?, ?>) features, text)));
        } else {
            throw new IllegalArgumentException("Input source '" + text + "' should be example:{\"feature\":[values]} "
                    + "or example:[{...},{...}] for a batch");
        }
        return new ExampleSource(text, examples, value instanceof List);
    }

    @Override
    public TensorData create(TensorSpec input) {
        Shape shape;
        if (input.shape().hasKnownRank() && input.shape().rank() == 0) {
            if (examples.size() != 1 || batch) {
                throw new IllegalArgumentException("Input " + input.name() + " takes one serialized tf.Example (a "
                        + "scalar string), not a batch: give example: one JSON object");
            }
            shape = Shape.of();
        } else {
            shape = Shape.of(examples.size());
        }
        return StringTensors.of(input.name(), shape, examples);
    }

    @Override
    public String describe() {
        return text;
    }

    @Override
    public double[] promisedRange() {
        return new double[] { Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY };
    }

    /** One Example message holding the given features, in the order written. */
    static byte[] encode(Map<?, ?> features, String text) {
        ByteArrayOutputStream entries = new ByteArrayOutputStream();
        for (Map.Entry<?, ?> feature : features.entrySet()) {
            ByteArrayOutputStream entry = new ByteArrayOutputStream();
            field(entry, 1, ((String) feature.getKey()).getBytes(StandardCharsets.UTF_8));
            field(entry, 2, feature(String.valueOf(feature.getKey()), feature.getValue(), text));
            field(entries, 1, entry.toByteArray());
        }
        ByteArrayOutputStream example = new ByteArrayOutputStream();
        field(example, 1, entries.toByteArray());
        return example.toByteArray();
    }

    private static byte[] feature(String key, Object value, String text) {
        List<?> values = value instanceof List<?> list ? list : List.of(value);
        ByteArrayOutputStream list = new ByteArrayOutputStream();
        ByteArrayOutputStream feature = new ByteArrayOutputStream();
        if (!values.isEmpty() && values.stream().allMatch(String.class::isInstance)) {
            values.forEach(v -> field(list, 1, ((String) v).getBytes(StandardCharsets.UTF_8)));
            field(feature, 1, list.toByteArray());
        } else if (values.stream().allMatch(Long.class::isInstance) && !values.isEmpty()) {
            ByteArrayOutputStream packed = new ByteArrayOutputStream();
            values.forEach(v -> varint(packed, (Long) v));
            field(list, 1, packed.toByteArray());
            field(feature, 3, list.toByteArray());
        } else if (values.stream().allMatch(v -> v instanceof Long || v instanceof Double)) {
            ByteArrayOutputStream packed = new ByteArrayOutputStream();
            for (Object v : values) {
                int bits = Float.floatToIntBits(((Number) v).floatValue());
                packed.write(bits);
                packed.write(bits >>> 8);
                packed.write(bits >>> 16);
                packed.write(bits >>> 24);
            }
            if (packed.size() > 0) {
                field(list, 1, packed.toByteArray());
            }
            field(feature, 2, list.toByteArray());
        } else {
            throw new IllegalArgumentException("Input source '" + text + "': feature '" + key + "' must hold numbers "
                    + "or strings, not a mix or nested values");
        }
        return feature.toByteArray();
    }

    /** A length-delimited field (wire type 2). */
    private static void field(ByteArrayOutputStream out, int number, byte[] payload) {
        varint(out, (number << 3) | 2);
        varint(out, payload.length);
        out.writeBytes(payload);
    }

    /** Base-128 varint; a negative int64 takes ten bytes, as protobuf writes it. */
    private static void varint(ByteArrayOutputStream out, long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    /**
     * Just enough JSON for feature maps: objects (keeping their order), arrays, strings, and
     * numbers as Long when whole and written without fraction or exponent, else Double.
     */
    private static final class JsonReader {

        private final String s;
        private int pos;

        JsonReader(String s) {
            this.s = s;
        }

        void end() {
            skipSpace();
            if (pos < s.length()) {
                throw new IllegalArgumentException("unexpected '" + s.charAt(pos) + "' at position " + pos);
            }
        }

        Object value() {
            skipSpace();
            if (pos >= s.length()) {
                throw new IllegalArgumentException("unexpected end");
            }
            char c = s.charAt(pos);
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                default -> {
                    if (c == '-' || Character.isDigit(c)) {
                        yield number();
                    }
                    throw new IllegalArgumentException("unexpected '" + c + "' at position " + pos);
                }
            };
        }

        private Map<String, Object> object() {
            Map<String, Object> map = new LinkedHashMap<>();
            pos++;
            skipSpace();
            if (peek() == '}') {
                pos++;
                return map;
            }
            while (true) {
                skipSpace();
                if (peek() != '"') {
                    throw new IllegalArgumentException("expected a feature name in quotes at position " + pos);
                }
                String key = string();
                skipSpace();
                expect(':');
                if (map.put(key, value()) != null) {
                    throw new IllegalArgumentException("feature '" + key + "' is given twice");
                }
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else {
                    expect('}');
                    return map;
                }
            }
        }

        private List<Object> array() {
            List<Object> list = new ArrayList<>();
            pos++;
            skipSpace();
            if (peek() == ']') {
                pos++;
                return list;
            }
            while (true) {
                list.add(value());
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else {
                    expect(']');
                    return list;
                }
            }
        }

        private String string() {
            StringBuilder out = new StringBuilder();
            pos++;
            while (true) {
                if (pos >= s.length()) {
                    throw new IllegalArgumentException("a string is not closed");
                }
                char c = s.charAt(pos++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (pos >= s.length()) {
                    throw new IllegalArgumentException("a string is not closed");
                }
                char e = s.charAt(pos++);
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (pos + 4 > s.length()) {
                            throw new IllegalArgumentException("a \\u escape is cut short");
                        }
                        try {
                            out.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException x) {
                            throw new IllegalArgumentException("bad \\u escape at position " + pos);
                        }
                        pos += 4;
                    }
                    default -> throw new IllegalArgumentException("bad escape \\" + e + " at position " + (pos - 1));
                }
            }
        }

        private Object number() {
            int start = pos;
            while (pos < s.length() && "+-0123456789.eE".indexOf(s.charAt(pos)) >= 0) {
                pos++;
            }
            String literal = s.substring(start, pos);
            try {
                if (literal.contains(".") || literal.contains("e") || literal.contains("E")) {
                    return Double.parseDouble(literal);
                }
                return Long.parseLong(literal);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + literal + "' is not a number (int64 or float)");
            }
        }

        private char peek() {
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        private void expect(char c) {
            if (peek() != c) {
                throw new IllegalArgumentException(pos < s.length()
                        ? "expected '" + c + "' at position " + pos + ", found '" + s.charAt(pos) + "'"
                        : "expected '" + c + "' at the end");
            }
            pos++;
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }
    }
}
