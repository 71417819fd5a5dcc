package org.tensorscope.tensorflow.internal.keras;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/** Typed reads of a Keras layer's config, with the defaults Keras uses when a key is absent. */
final class LayerConfig {

    private final JsonObject json;

    LayerConfig(JsonObject json) {
        this.json = json;
    }

    JsonObject json() {
        return json;
    }

    boolean has(String key) {
        return json.has(key) && !json.get(key).isJsonNull();
    }

    String string(String key, String fallback) {
        return has(key) ? json.get(key).getAsString() : fallback;
    }

    boolean bool(String key, boolean fallback) {
        return has(key) ? json.get(key).getAsBoolean() : fallback;
    }

    double number(String key, double fallback) {
        return has(key) ? json.get(key).getAsDouble() : fallback;
    }

    /** A number or, for layers that take per-dimension values, the first of a list. */
    double numberOrFirst(String key, double fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonElement e = json.get(key);
        return e.isJsonArray() ? e.getAsJsonArray().get(0).getAsDouble() : e.getAsDouble();
    }

    long integer(String key, long fallback) {
        return has(key) ? json.get(key).getAsLong() : fallback;
    }

    /** An int or a list of ints, as {@code n} values ({@code kernel_size: 3} is {@code [3, 3]}). */
    long[] ints(String key, int n, long fallback) {
        long[] values = new long[n];
        java.util.Arrays.fill(values, fallback);
        if (!has(key)) {
            return values;
        }
        JsonElement e = json.get(key);
        if (e.isJsonArray()) {
            JsonArray a = e.getAsJsonArray();
            for (int i = 0; i < n && i < a.size(); i++) {
                values[i] = a.get(i).getAsLong();
            }
        } else {
            java.util.Arrays.fill(values, e.getAsLong());
        }
        return values;
    }

    /** A list of ints of any length; an int alone is a list of one. */
    long[] list(String key) {
        JsonElement e = json.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonArray()) {
            return new long[] { e.getAsLong() };
        }
        JsonArray a = e.getAsJsonArray();
        long[] values = new long[a.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = a.get(i).isJsonNull() ? -1 : a.get(i).getAsLong();
        }
        return values;
    }

    /** A nested layer config ({@code TimeDistributed.layer}, {@code Bidirectional.layer}). */
    JsonObject object(String key) {
        if (!has(key) || !json.get(key).isJsonObject()) {
            throw new IllegalStateException("its config has no " + key);
        }
        return json.getAsJsonObject(key);
    }

    /** Keras 3 writes a dtype policy object where Keras 2 writes a name. */
    String dtype(String fallback) {
        if (!has("dtype")) {
            return fallback;
        }
        JsonElement e = json.get("dtype");
        if (e.isJsonObject()) {
            JsonObject config = e.getAsJsonObject().getAsJsonObject("config");
            return config != null && config.has("name") ? config.get("name").getAsString() : fallback;
        }
        String name = e.getAsString();
        return name.startsWith("mixed_") ? "float32" : name;
    }

    /** An activation by name; Keras 3 may write it as an object with its name in {@code config}. */
    String activation(String key, String fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonElement e = json.get(key);
        if (e.isJsonObject()) {
            JsonObject o = e.getAsJsonObject();
            if (o.has("config") && o.getAsJsonObject("config").has("name")) {
                return o.getAsJsonObject("config").get("name").getAsString();
            }
            return o.has("class_name") ? o.get("class_name").getAsString() : fallback;
        }
        return e.getAsString();
    }
}
