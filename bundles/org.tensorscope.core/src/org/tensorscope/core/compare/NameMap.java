package org.tensorscope.core.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.tensorscope.core.model.TensorSpec;

/**
 * Names of side A mapped to names of side B, for models whose names differ (a model and its
 * conversion). An entry maps an op ("conv1=model/conv1/BiasAdd": each output k to output k) or a
 * tensor ("split:1=Split:1"). Written {@code a=b}, one per line in a file, {@code #} starting a comment.
 */
public final class NameMap {

    public static final NameMap EMPTY = new NameMap(Map.of());

    private final Map<String, String> entries;

    private NameMap(Map<String, String> entries) {
        this.entries = Map.copyOf(entries);
    }

    public static NameMap of(Map<String, String> entries) {
        return new NameMap(entries);
    }

    /**
     * Entries given as {@code a=b} texts or as files holding such lines.
     *
     * @throws IllegalArgumentException naming the file or text and the line that is not {@code a=b}
     * @throws IOException              when a file cannot be read
     */
    public static NameMap parse(List<String> entriesOrFiles) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        for (String text : entriesOrFiles) {
            if (text.contains("=") && !Files.isRegularFile(Path.of(text))) {
                add(entries, text, "--map " + text);
                continue;
            }
            Path file = Path.of(text);
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("--map " + text + ": neither a file nor a mapping a=b");
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (!line.isEmpty() && !line.startsWith("#")) {
                    add(entries, line, file + " line " + (i + 1));
                }
            }
        }
        return new NameMap(entries);
    }

    private static void add(Map<String, String> entries, String line, String where) {
        int eq = line.indexOf('=');
        String a = eq < 0 ? "" : line.substring(0, eq).strip();
        String b = eq < 0 ? "" : line.substring(eq + 1).strip();
        if (a.isEmpty() || b.isEmpty()) {
            throw new IllegalArgumentException(where + ": expected a=b (a name of A, a name of B), got '" + line + "'");
        }
        String previous = entries.put(a, b);
        if (previous != null && !previous.equals(b)) {
            throw new IllegalArgumentException(where + ": " + a + " is mapped twice, to " + previous + " and " + b);
        }
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public int size() {
        return entries.size();
    }

    /** The entries as given. */
    public Map<String, String> entries() {
        return entries;
    }

    /** B's tensor for one of A's tensors ("op:k"), when an entry names the tensor or its op. */
    public Optional<String> tensorOfB(String tensorA) {
        String tensor = TensorSpec.tensorName(tensorA);
        String exact = entries.get(tensor);
        if (exact != null) {
            return Optional.of(TensorSpec.tensorName(exact));
        }
        String op = TensorSpec.opNameOf(tensor);
        String mapped = entries.get(op);
        if (mapped == null) {
            return Optional.empty();
        }
        String index = tensor.substring(op.length());
        return Optional.of(TensorSpec.opNameOf(TensorSpec.tensorName(mapped)) + index);
    }
}
