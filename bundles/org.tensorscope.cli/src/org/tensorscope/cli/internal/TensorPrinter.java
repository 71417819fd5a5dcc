package org.tensorscope.cli.internal;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import org.tensorscope.core.analysis.TensorStats;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.report.Numbers;
import org.tensorscope.core.tensor.StringTensors;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.report.JsonNumbers;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * Prints a tensor's shape, type, statistics and first values, as text or JSON.
 */
final class TensorPrinter {

    static final int FIRST_VALUES = 10;

    private TensorPrinter() {
    }

    static void print(PrintWriter out, TensorData t) {
        TensorStats s = TensorStats.of(t);
        out.printf(Locale.ROOT, "%s  %s %s%n", t.name(), t.dtype().displayName(), t.shape());
        if (t.dtype() == DType.STRING) {
            List<byte[]> strings = StringTensors.values(t);
            StringBuilder values = new StringBuilder("  values");
            strings.stream().limit(FIRST_VALUES).forEach(v -> values.append(' ').append(quoted(v)));
            if (strings.size() > FIRST_VALUES) {
                values.append(" ... (").append(strings.size()).append(" in all)");
            }
            out.println(values);
            return;
        }
        out.printf(Locale.ROOT, "  min %s  max %s  mean %s  std %s  NaN %d  +Inf %d  -Inf %d  zeros %d%n",
                Numbers.format(s.min()), Numbers.format(s.max()), Numbers.format(s.mean()), Numbers.format(s.std()),
                s.nan(), s.posInf(), s.negInf(), s.zeros());
        StringBuilder values = new StringBuilder("  values");
        for (long i = 0; i < Math.min(FIRST_VALUES, t.size()); i++) {
            values.append(' ').append(Numbers.format(t.getDouble(i)));
        }
        if (t.size() > FIRST_VALUES) {
            values.append(" ... (").append(t.size()).append(" in all)");
        }
        out.println(values);
    }

    static JsonObject json(TensorData t) {
        TensorStats s = TensorStats.of(t);
        JsonObject o = new JsonObject();
        o.addProperty("tensor", t.name());
        o.addProperty("dtype", t.dtype().displayName());
        JsonArray shape = new JsonArray();
        for (long d : t.shape().dims()) {
            shape.add(d);
        }
        o.add("shape", shape);
        JsonObject stats = new JsonObject();
        stats.addProperty("count", s.count());
        stats.addProperty("nan", s.nan());
        stats.addProperty("posInf", s.posInf());
        stats.addProperty("negInf", s.negInf());
        stats.addProperty("zeros", s.zeros());
        addNumber(stats, "min", s.min());
        addNumber(stats, "max", s.max());
        addNumber(stats, "mean", s.mean());
        addNumber(stats, "std", s.std());
        o.add("stats", stats);
        JsonArray values = new JsonArray();
        if (t.dtype() == DType.STRING) {
            StringTensors.values(t).stream().limit(1000).forEach(v -> values.add(new String(v, StandardCharsets.UTF_8)));
        }
        for (long i = 0; t.dtype() != DType.STRING && i < Math.min(1000, t.size()); i++) {
            values.add(JsonNumbers.of(t.getDouble(i)));
        }
        o.add("values", values);
        o.addProperty("valuesTruncated", t.size() > 1000);
        return o;
    }

    private static void addNumber(JsonObject o, String key, double v) {
        o.add(key, JsonNumbers.of(v));
    }

    /** A byte string as text in quotes, bytes outside printable ASCII as \xNN (serialized protos are binary). */
    static String quoted(byte[] value) {
        StringBuilder text = new StringBuilder("\"");
        for (byte b : value) {
            int c = b & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                text.append((char) c);
            } else {
                text.append(String.format(Locale.ROOT, "\\x%02x", c));
            }
        }
        return text.append('"').toString();
    }
}
