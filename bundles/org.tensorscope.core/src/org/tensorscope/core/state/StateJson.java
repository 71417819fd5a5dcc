package org.tensorscope.core.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

/**
 * Reads state files written as JSON objects, checking each value's kind, so that a file of the
 * wrong shape is named as such ({@link CorruptStateException}) instead of failing somewhere later.
 */
public final class StateJson {

    private static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls()
            .create();
    private static final Pattern WHERE = Pattern.compile("line (\\d+) column (\\d+)");

    private StateJson() {
    }

    /** The text as a JSON object. */
    public static JsonObject object(String text) throws CorruptStateException {
        if (text.isBlank()) {
            throw new CorruptStateException("is empty");
        }
        JsonElement root;
        try {
            root = JsonParser.parseString(text);
        } catch (JsonParseException e) {
            Matcher where = WHERE.matcher(String.valueOf(e.getMessage()));
            throw new CorruptStateException("is not valid JSON"
                    + (where.find() ? " (line " + where.group(1) + ", column " + where.group(2) + ")" : ""));
        }
        if (!root.isJsonObject()) {
            throw new CorruptStateException("holds " + kind(root) + " where a JSON object was expected");
        }
        return root.getAsJsonObject();
    }

    /** The object under a key, or null when absent or null. */
    public static JsonObject optionalObject(JsonObject object, String key) throws CorruptStateException {
        JsonElement value = object.get(key);
        if (value == null || value.isJsonNull()) {
            return null;
        }
        if (!value.isJsonObject()) {
            throw wrongKind(key, value, "an object");
        }
        return value.getAsJsonObject();
    }

    /** The text under a key, or the fallback when absent or null. */
    public static String string(JsonObject object, String key, String fallback) throws CorruptStateException {
        JsonElement value = object.get(key);
        if (value == null || value.isJsonNull()) {
            return fallback;
        }
        if (!(value instanceof JsonPrimitive primitive && primitive.isString())) {
            throw wrongKind(key, value, "a text");
        }
        return value.getAsString();
    }

    /** The list of texts under a key; empty when absent. */
    public static List<String> strings(JsonObject object, String key) throws CorruptStateException {
        JsonElement value = object.get(key);
        if (value == null || value.isJsonNull()) {
            return List.of();
        }
        if (!value.isJsonArray()) {
            throw wrongKind(key, value, "a list of texts");
        }
        List<String> strings = new ArrayList<>();
        JsonArray array = value.getAsJsonArray();
        for (int i = 0; i < array.size(); i++) {
            JsonElement item = array.get(i);
            if (!(item instanceof JsonPrimitive primitive && primitive.isString())) {
                throw new CorruptStateException("holds " + kind(item) + " at \"" + key + "\"[" + i + "] where a text was expected");
            }
            strings.add(item.getAsString());
        }
        return strings;
    }

    /** Pretty-printed JSON of a map of texts, lists and maps (null values are kept, as "no value"). */
    public static String toJson(Map<String, ?> object) {
        return PRETTY.toJson(object) + "\n";
    }

    private static CorruptStateException wrongKind(String key, JsonElement value, String expected) {
        return new CorruptStateException("holds " + kind(value) + " at \"" + key + "\" where " + expected + " was expected");
    }

    private static String kind(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return "null";
        }
        if (element.isJsonObject()) {
            return "an object";
        }
        if (element.isJsonArray()) {
            return "a list";
        }
        JsonPrimitive primitive = element.getAsJsonPrimitive();
        return primitive.isString() ? "a text" : primitive.isNumber() ? "a number" : "a true/false value";
    }
}
