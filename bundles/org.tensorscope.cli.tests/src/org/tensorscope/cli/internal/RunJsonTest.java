package org.tensorscope.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.core.runtime.IProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.SignatureTensor;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.service.BackendInfo;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceBackend;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.service.ModelLoader;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.core.trace.Trace;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;

/**
 * {@code run --json} and {@code info --json} write numbers as the trace report does: a finite
 * value as a JSON number, NaN, +Inf and -Inf as the strings "NaN", "Infinity" and "-Infinity",
 * in JSON that a strict parser reads; the text output spells them NaN, +Inf and -Inf, in any
 * locale. A stub model whose one output is {@code [1.5, NaN, +Inf, -Inf, -1234567.5]} stands in
 * for a real one.
 */
class RunJsonTest {

    private static final float[] OUTPUT = { 1.5f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            -1234567.5f };

    @RegisterExtension
    static final StubCli cli = new StubCli(new NonFiniteLoader(), new NonFiniteBackend());

    @TempDir
    Path folder;

    private static JsonObject parseStrictly(String json) {
        JsonReader reader = new JsonReader(new StringReader(json));
        reader.setStrictness(Strictness.STRICT); // a bare NaN or Infinity is not JSON
        return JsonParser.parseReader(reader).getAsJsonObject();
    }

    @Test
    void runJsonWritesNonFiniteValuesAsStringsAParserReadsAndTellsApart() throws IOException {
        Path model = Files.writeString(folder.resolve("m.nonfinite"), "stub");
        Path json = folder.resolve("run.json");
        assertEquals(0, cli.run("run", model.toString(), "--fetch", "z:0", "--json", json.toString()), cli.err());
        JsonArray outputs = parseStrictly(Files.readString(json)).getAsJsonArray("outputs");
        JsonObject output = outputs.get(0).getAsJsonObject();
        assertEquals("y", output.get("key").getAsString());
        JsonArray values = output.getAsJsonArray("values");
        assertEquals(1.5, values.get(0).getAsDouble());
        assertEquals("NaN", values.get(1).getAsString());
        assertEquals("Infinity", values.get(2).getAsString());
        assertEquals("-Infinity", values.get(3).getAsString());
        assertEquals(-1234567.5, values.get(4).getAsDouble(), "JSON keeps full precision");
        for (int i = 1; i <= 3; i++) {
            assertTrue(values.get(i).getAsJsonPrimitive().isString(), "a string, not a bare token: " + values.get(i));
            assertEquals(OUTPUT[i], Double.parseDouble(values.get(i).getAsString()), "reads back as the value");
        }
        JsonObject stats = output.getAsJsonObject("stats");
        assertEquals(1, stats.get("nan").getAsLong());
        assertEquals(1, stats.get("posInf").getAsLong());
        assertEquals(1, stats.get("negInf").getAsLong());
        assertEquals(-1234567.5, stats.get("min").getAsDouble(), "statistics of the finite values");
        assertEquals(1.5, stats.get("max").getAsDouble());
        JsonObject allNan = outputs.get(1).getAsJsonObject().getAsJsonObject("stats");
        assertEquals(2, allNan.get("nan").getAsLong());
        assertEquals("NaN", allNan.get("min").getAsString(), "no finite value: NaN, as the trace report writes it");
        assertEquals("NaN", allNan.get("mean").getAsString());
    }

    @Test
    void runTextSpellsNonFiniteValuesAsTheReportsDoInAnyLocale() throws IOException {
        Path model = Files.writeString(folder.resolve("m.nonfinite"), "stub");
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertEquals(0, cli.run("run", model.toString()), cli.err());
        } finally {
            Locale.setDefault(before);
        }
        String text = cli.out();
        assertTrue(text.contains("  values 1.5 NaN +Inf -Inf -1.2346e+06\n"), text);
        assertTrue(text.contains("  min -1.2346e+06  max 1.5  mean -6.1728e+05"), text);
        assertTrue(text.contains("NaN 1  +Inf 1  -Inf 1"), text);
        assertFalse(text.contains("1,5"), "a decimal point whatever the locale: " + text);
    }

    /** A reserve space holds whatever memory its op was given: run --fetch shows it, and says so. */
    @Test
    void aFetchedReserveSpaceIsNotedAsUndefinedInInference() throws IOException {
        Path model = Files.writeString(folder.resolve("m.nonfinite"), "stub");
        Path json = folder.resolve("run.json");
        assertEquals(0, cli.run("run", model.toString(), "--fetch", "bn:3", "--fetch", "bn:0", "--json",
                json.toString()), cli.err());
        String note = "a reserve space of FusedBatchNormV3, which it fills only in training: its values are undefined"
                + " in inference";
        String text = cli.out();
        assertTrue(text.contains("bn:3  float32 [5]\n"), text);
        assertEquals(1, text.split("  note: " + note + "\n", -1).length - 1, "one note, for bn:3 alone: " + text);
        assertTrue(text.indexOf("note: ") > text.indexOf("bn:3  float32") && text.indexOf("note: ") < text.indexOf("bn:0"),
                text);
        JsonArray outputs = parseStrictly(Files.readString(json)).getAsJsonArray("outputs");
        assertEquals(note, outputs.get(1).getAsJsonObject().get("note").getAsString());
        assertFalse(outputs.get(2).getAsJsonObject().has("note"), outputs.get(2).toString());
    }

    @Test
    void infoJsonIsStrictJson() throws IOException {
        Path model = Files.writeString(folder.resolve("m.nonfinite"), "stub");
        assertEquals(0, cli.run("info", model.toString(), "--json"), cli.err());
        JsonObject info = parseStrictly(cli.out());
        assertEquals("Non-finite stub", info.get("format").getAsString());
        assertEquals("y", info.getAsJsonArray("signatures").get(0).getAsJsonObject().getAsJsonArray("outputs").get(0)
                .getAsJsonObject().get("key").getAsString());
    }

    private static final TensorSpec Y = new TensorSpec("y:0", DType.FLOAT32, Shape.of(OUTPUT.length));

    /** Claims *.nonfinite files: one Const op whose output is {@link #OUTPUT}. */
    private static final class NonFiniteLoader implements ModelLoader {

        @Override
        public String format() {
            return "Non-finite stub";
        }

        @Override
        public boolean canLoad(Path path) {
            return path.getFileName().toString().endsWith(".nonfinite");
        }

        @Override
        public LoadedModel load(Path path, IProgressMonitor monitor) {
            OpNode y = new OpNode("y", "Const", "", Map.of(), List.of(), List.of(Y));
            // a batch norm for inference: its outputs 3 to 5 are reserve spaces, filled only in training
            List<TensorSpec> bnOutputs = new java.util.ArrayList<>();
            for (int k = 0; k < 6; k++) {
                bnOutputs.add(new TensorSpec("bn:" + k, DType.FLOAT32, Y.shape()));
            }
            OpNode bn = new OpNode("bn", "FusedBatchNormV3", "", Map.of("is_training", "false"), List.of(), bnOutputs);
            ModelGraph graph = new ModelGraph(path, format(), List.of(y, bn),
                    List.of(new Signature(Signature.DEFAULT_KEY, List.of(), List.of(new SignatureTensor("y", Y)))),
                    List.of());
            return new LoadedModel() {

                @Override
                public ModelGraph graph() {
                    return graph;
                }

                @Override
                public String backendId() {
                    return "non-finite-stub";
                }

                @Override
                public void close() {
                    // nothing held
                }
            };
        }
    }

    /** Runs the stub model: y:0 is {@link #OUTPUT}, z:0 (asked for with --fetch) two NaN. */
    private static final class NonFiniteBackend implements InferenceBackend {

        @Override
        public String id() {
            return "non-finite-stub";
        }

        @Override
        public BackendInfo describe() {
            throw new UnsupportedOperationException("not needed by run");
        }

        @Override
        public InferenceSession open(LoadedModel model, Device device) {
            return new InferenceSession() {

                @Override
                public String deviceNote() {
                    return "";
                }

                @Override
                public Map<String, TensorData> fetch(Map<String, TensorData> feeds, List<String> tensors,
                        Map<String, TensorData> overrides, IProgressMonitor monitor) {
                    Map<String, TensorData> results = new LinkedHashMap<>();
                    tensors.forEach(t -> results.put(t, t.equals("z:0") ? TensorData.ofFloats(t, Shape.of(2), Float.NaN,
                            Float.NaN) : TensorData.ofFloats(t, Y.shape(), OUTPUT)));
                    return results;
                }

                @Override
                public Trace healthPass(Map<String, TensorData> feeds, List<String> outputs, HealthMode mode,
                        Map<String, TensorData> overrides, IProgressMonitor monitor) {
                    throw new UnsupportedOperationException("not needed by run");
                }

                @Override
                public void close() {
                    // nothing held
                }
            };
        }
    }
}
