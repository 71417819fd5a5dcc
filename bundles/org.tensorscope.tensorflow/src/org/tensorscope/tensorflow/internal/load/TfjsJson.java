package org.tensorscope.tensorflow.internal.load;

import java.util.Base64;
import java.util.Map;

import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.FunctionDefLibrary;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Reads the proto3 JSON of a TF.js {@code modelTopology} node into a NodeDef, and its function library: names, inputs and
 * attributes (bytes are base64, 64-bit integers are strings, as proto3 JSON writes them).
 */
final class TfjsJson {

    private TfjsJson() {
    }

    static NodeDef node(JsonObject json) {
        NodeDef.Builder node = NodeDef.newBuilder().setName(json.get("name").getAsString())
                .setOp(json.get("op").getAsString());
        if (json.has("input")) {
            json.getAsJsonArray("input").forEach(i -> node.addInput(i.getAsString()));
        }
        if (json.has("attr")) {
            for (Map.Entry<String, JsonElement> attr : json.getAsJsonObject("attr").entrySet()) {
                node.putAttr(attr.getKey(), attr(attr.getValue().getAsJsonObject()));
            }
        }
        return node.build();
    }

    /**
     * The function library ({@code modelTopology.library}): each function's signature, nodes,
     * returned tensors and control outputs, as the TF.js converter writes them.
     */
    static FunctionDefLibrary library(JsonObject json) {
        FunctionDefLibrary.Builder library = FunctionDefLibrary.newBuilder();
        for (JsonElement element : array(json, "function")) {
            JsonObject function = element.getAsJsonObject();
            FunctionDef.Builder def = FunctionDef.newBuilder().setSignature(signature(function.getAsJsonObject("signature")));
            array(function, "nodeDef").forEach(n -> def.addNodeDef(node(n.getAsJsonObject())));
            strings(function, "ret").forEach(def::putRet);
            strings(function, "controlRet").forEach(def::putControlRet);
            if (function.has("attr")) {
                function.getAsJsonObject("attr").entrySet()
                        .forEach(a -> def.putAttr(a.getKey(), attr(a.getValue().getAsJsonObject())));
            }
            library.addFunction(def);
        }
        return library.build();
    }

    private static OpDef signature(JsonObject json) {
        OpDef.Builder signature = OpDef.newBuilder().setName(json.get("name").getAsString());
        array(json, "inputArg").forEach(a -> signature.addInputArg(arg(a.getAsJsonObject())));
        array(json, "outputArg").forEach(a -> signature.addOutputArg(arg(a.getAsJsonObject())));
        array(json, "controlOutput").forEach(c -> signature.addControlOutput(c.getAsString()));
        if (json.has("isStateful")) {
            signature.setIsStateful(json.get("isStateful").getAsBoolean());
        }
        return signature.build();
    }

    private static OpDef.ArgDef arg(JsonObject json) {
        OpDef.ArgDef.Builder arg = OpDef.ArgDef.newBuilder().setName(json.get("name").getAsString());
        if (json.has("type")) {
            arg.setType(type(json.get("type").getAsString()));
        }
        if (json.has("typeAttr")) {
            arg.setTypeAttr(json.get("typeAttr").getAsString());
        }
        if (json.has("numberAttr")) {
            arg.setNumberAttr(json.get("numberAttr").getAsString());
        }
        if (json.has("typeListAttr")) {
            arg.setTypeListAttr(json.get("typeListAttr").getAsString());
        }
        return arg.build();
    }

    private static Map<String, String> strings(JsonObject json, String key) {
        Map<String, String> strings = new java.util.LinkedHashMap<>();
        if (json.has(key)) {
            json.getAsJsonObject(key).entrySet().forEach(e -> strings.put(e.getKey(), e.getValue().getAsString()));
        }
        return strings;
    }

    static AttrValue attr(JsonObject json) {
        AttrValue.Builder value = AttrValue.newBuilder();
        if (json.has("s")) {
            value.setS(com.google.protobuf.ByteString.copyFrom(Base64.getDecoder().decode(json.get("s").getAsString())));
        } else if (json.has("i")) {
            value.setI(json.get("i").getAsLong());
        } else if (json.has("f")) {
            value.setF(number(json.get("f")));
        } else if (json.has("b")) {
            value.setB(json.get("b").getAsBoolean());
        } else if (json.has("type")) {
            value.setType(type(json.get("type").getAsString()));
        } else if (json.has("shape")) {
            value.setShape(shape(json.getAsJsonObject("shape")));
        } else if (json.has("tensor")) {
            JsonObject tensor = json.getAsJsonObject("tensor");
            TensorProto.Builder proto = TensorProto.newBuilder().setDtype(type(tensor.get("dtype").getAsString()));
            if (tensor.has("tensorShape")) {
                proto.setTensorShape(shape(tensor.getAsJsonObject("tensorShape")));
            }
            // the converter moves values to the weights; strings written inline are kept (file names, formats)
            array(tensor, "stringVal").forEach(e -> proto.addStringVal(com.google.protobuf.ByteString.copyFrom(
                    Base64.getDecoder().decode(e.getAsString()))));
            value.setTensor(proto);
        } else if (json.has("func")) {
            value.setFunc(org.tensorflow.proto.NameAttrList.newBuilder()
                    .setName(json.getAsJsonObject("func").get("name").getAsString()));
        } else if (json.has("list")) {
            value.setList(list(json.getAsJsonObject("list")));
        }
        return value.build();
    }

    private static AttrValue.ListValue list(JsonObject json) {
        AttrValue.ListValue.Builder list = AttrValue.ListValue.newBuilder();
        array(json, "i").forEach(e -> list.addI(e.getAsLong()));
        array(json, "f").forEach(e -> list.addF(number(e)));
        array(json, "b").forEach(e -> list.addB(e.getAsBoolean()));
        array(json, "s").forEach(e -> list.addS(com.google.protobuf.ByteString.copyFrom(
                Base64.getDecoder().decode(e.getAsString()))));
        array(json, "type").forEach(e -> list.addType(type(e.getAsString())));
        array(json, "shape").forEach(e -> list.addShape(shape(e.getAsJsonObject())));
        return list.build();
    }

    private static JsonArray array(JsonObject json, String key) {
        return json.has(key) ? json.getAsJsonArray(key) : new JsonArray();
    }

    /** proto3 JSON writes NaN and infinities as strings. */
    private static float number(JsonElement e) {
        String text = e.getAsString();
        return switch (text) {
            case "NaN" -> Float.NaN;
            case "Infinity" -> Float.POSITIVE_INFINITY;
            case "-Infinity" -> Float.NEGATIVE_INFINITY;
            default -> Float.parseFloat(text);
        };
    }

    private static final java.util.regex.Pattern QUALIFIED_EXCEPTION = java.util.regex.Pattern
            .compile("(?:[a-z_][\\w]*\\.)+[A-Z][\\w$]*(?:Exception|Error):\\s*");

    /**
     * Gson's words for a syntax error ("Expected ':' at line 1 column 101 path $.weights"), without
     * the exception class names it prefixes them with or its pointer to its troubleshooting page.
     */
    static String syntaxProblem(com.google.gson.JsonParseException e) {
        Throwable deepest = e;
        while (deepest.getCause() != null && deepest.getCause() != deepest) {
            deepest = deepest.getCause();
        }
        String message = deepest.getMessage() == null ? e.getMessage() : deepest.getMessage();
        String line = QUALIFIED_EXCEPTION.matcher(GraphDefConverter.firstLine(message)).replaceAll("");
        return line.isBlank() ? "the JSON is malformed" : line;
    }

    /** A JSON value's kind in words, for messages about JSON of the wrong shape. */
    static String kind(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return "missing";
        }
        if (e.isJsonObject()) {
            return "an object";
        }
        if (e.isJsonArray()) {
            return "a list";
        }
        String text = e.toString();
        return (e.getAsJsonPrimitive().isString() ? "the string " : e.getAsJsonPrimitive().isNumber() ? "the number "
                : "the value ") + (text.length() > 40 ? text.substring(0, 40) + "..." : text);
    }

    /** Gson's complaint about JSON of the wrong shape, in words without Java class names. */
    static String wrongShape(RuntimeException e) {
        if (e instanceof ClassCastException) {
            return "a value has the wrong JSON type (an object, list, string or number where another was expected)";
        }
        if (e instanceof NullPointerException) {
            return "a required field is missing";
        }
        if (e instanceof NumberFormatException) {
            return "a value that should be a number is not one, or is out of range";
        }
        String message = e.getMessage() == null ? "" : e.getMessage();
        return message.length() > 120 ? message.substring(0, 120) + "..." : message;
    }

    static DataType type(String name) {
        try {
            return DataType.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown data type " + name);
        }
    }

    static TensorShapeProto shape(JsonObject json) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        if (json.has("unknownRank") && json.get("unknownRank").getAsBoolean()) {
            return shape.setUnknownRank(true).build();
        }
        array(json, "dim").forEach(d -> shape.addDim(TensorShapeProto.Dim.newBuilder()
                .setSize(d.getAsJsonObject().has("size") ? d.getAsJsonObject().get("size").getAsLong() : 0)));
        return shape.build();
    }
}
