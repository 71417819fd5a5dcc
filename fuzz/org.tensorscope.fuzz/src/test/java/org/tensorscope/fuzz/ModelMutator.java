package org.tensorscope.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

/**
 * Breaks a model file the way a careless converter, a truncated download or a stranger would:
 * bytes flipped, cut or repeated, integers set to extremes; in JSON, one value (a shape, a dtype, a
 * path, a name, a quantization) replaced by a wrong one or removed. Each mutation is named, so that
 * a finding says what was done.
 */
final class ModelMutator {

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues().create();

    /** Replacement values for one JSON value: wrong types, extremes, paths leaving the folder. */
    private static final List<JsonElement> WRONG_VALUES = List.of(new JsonPrimitive(-1), new JsonPrimitive(0),
            new JsonPrimitive(1L << 31), new JsonPrimitive(Long.MAX_VALUE), new JsonPrimitive(1e300),
            new JsonPrimitive(0.5), new JsonPrimitive(""), new JsonPrimitive("NaN"), new JsonPrimitive("../../secret.bin"),
            new JsonPrimitive("/etc/passwd"), new JsonPrimitive("DT_INVALID"), new JsonPrimitive("float16"),
            new JsonPrimitive("uint8"), new JsonPrimitive("string"), new JsonPrimitive(true), new JsonArray(),
            new JsonObject(), parse("[1073741824, 1073741824]"), parse("[-1]"), parse("{\"dtype\":\"uint8\"}"),
            parse("[\"x\", \"x\", \"x\"]"));

    record Mutant(String what, byte[] bytes) {
    }

    private final Random random;

    ModelMutator(long seed) {
        random = new Random(seed);
    }

    Mutant mutate(byte[] original, boolean json) {
        if (json && random.nextInt(4) != 0) {
            Mutant m = mutateJson(original);
            if (m != null) {
                return m;
            }
        }
        return mutateBytes(original);
    }

    private Mutant mutateBytes(byte[] original) {
        byte[] bytes = original.clone();
        int n = Math.max(1, bytes.length);
        switch (random.nextInt(5)) {
            case 0 -> {
                int flips = 1 + random.nextInt(8);
                for (int i = 0; i < flips && bytes.length > 0; i++) {
                    bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                }
                return new Mutant(flips + " bits flipped", bytes);
            }
            case 1 -> {
                int at = random.nextInt(n);
                return new Mutant("cut at byte " + at, java.util.Arrays.copyOf(bytes, at));
            }
            case 2 -> {
                if (bytes.length < 4) {
                    return new Mutant("emptied", new byte[0]);
                }
                int at = random.nextInt(bytes.length - 3);
                int value = List.of(0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 0x7f7f7f7f).get(random.nextInt(5));
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
                return new Mutant("int32 at " + at + " set to " + value, bytes);
            }
            case 3 -> {
                int from = random.nextInt(n);
                int length = Math.min(bytes.length - from, 1 + random.nextInt(256));
                byte[] longer = new byte[bytes.length + length];
                System.arraycopy(bytes, 0, longer, 0, from + length);
                System.arraycopy(bytes, from, longer, from + length, bytes.length - from);
                return new Mutant(length + " bytes at " + from + " repeated", longer);
            }
            default -> {
                int at = random.nextInt(n);
                int length = Math.min(bytes.length - at, 1 + random.nextInt(64));
                for (int i = 0; i < length; i++) {
                    bytes[at + i] = (byte) random.nextInt(256);
                }
                return new Mutant(length + " random bytes at " + at, bytes);
            }
        }
    }

    private Mutant mutateJson(byte[] original) {
        JsonElement root;
        try {
            root = JsonParser.parseString(new String(original, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return null;
        }
        List<String> paths = new ArrayList<>();
        List<JsonElement> parents = new ArrayList<>();
        List<Object> keys = new ArrayList<>();
        collect(root, "$", paths, parents, keys);
        if (paths.isEmpty()) {
            return null;
        }
        // favour the manifest and the attributes, where the loaders read shapes, types and paths
        int pick = random.nextInt(paths.size());
        for (int tries = 0; tries < 8 && !paths.get(pick).matches(".*(weightsManifest|attr|signature|shape|dtype).*"); tries++) {
            pick = random.nextInt(paths.size());
        }
        JsonElement parent = parents.get(pick);
        Object key = keys.get(pick);
        String what;
        if (random.nextInt(5) == 0) {
            what = "removed " + paths.get(pick);
            if (parent instanceof JsonObject o) {
                o.remove((String) key);
            } else {
                ((JsonArray) parent).remove((int) key);
            }
        } else {
            JsonElement value = WRONG_VALUES.get(random.nextInt(WRONG_VALUES.size())).deepCopy();
            what = paths.get(pick) + " = " + value;
            if (parent instanceof JsonObject o) {
                o.add((String) key, value);
            } else {
                ((JsonArray) parent).set((int) key, value);
            }
        }
        return new Mutant(what, GSON.toJson(root).getBytes(StandardCharsets.UTF_8));
    }

    private static void collect(JsonElement e, String path, List<String> paths, List<JsonElement> parents, List<Object> keys) {
        if (e.isJsonObject()) {
            for (Map.Entry<String, JsonElement> entry : e.getAsJsonObject().entrySet()) {
                String child = path + "." + entry.getKey();
                paths.add(child);
                parents.add(e);
                keys.add(entry.getKey());
                collect(entry.getValue(), child, paths, parents, keys);
            }
        } else if (e.isJsonArray()) {
            JsonArray array = e.getAsJsonArray();
            for (int i = 0; i < array.size(); i++) {
                String child = path + "[" + i + "]";
                paths.add(child);
                parents.add(e);
                keys.add(i);
                collect(array.get(i), child, paths, parents, keys);
            }
        }
    }

    private static JsonElement parse(String json) {
        return JsonParser.parseString(json);
    }
}
