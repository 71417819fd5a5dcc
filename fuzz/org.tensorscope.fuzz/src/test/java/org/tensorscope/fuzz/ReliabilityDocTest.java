package org.tensorscope.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.tensorscope.core.input.TensorBudget;
import org.tensorscope.core.model.SideEffectOps;
import org.tensorscope.core.service.ModelFiles;
import org.tensorscope.tensorflow.internal.load.GraphLimits;

/**
 * docs/reliability.md holds the op guard's list and the limits as tables generated from the code:
 * when the code changes, this test fails and prints the table to paste. docs/cli.md's hand-written
 * guard table must name every op type of the list too.
 */
class ReliabilityDocTest {

    private static final Path DOCS = Path.of(System.getProperty("tensorscope.docs", "../../docs"));

    /** The guard's list as docs/reliability.md shows it. */
    static String guardTable() {
        StringBuilder table = new StringBuilder("| op types | flagged when | what they do |\n|---|---|---|\n");
        for (SideEffectOps.Entry entry : SideEffectOps.entries()) {
            String types = entry.types().equals(List.of("*")) ? "any ONNX op"
                    : entry.types().stream().map(t -> "`" + t + "`").collect(Collectors.joining(", "));
            table.append("| ").append(types).append(" | ").append(entry.when().isEmpty() ? "always" : entry.when())
                    .append(" | ").append(entry.what()).append(" |\n");
        }
        return table.toString();
    }

    /** The limits as docs/reliability.md shows them. */
    static String limitsTable() {
        return "| limit | value | checked by | raised with |\n|---|---|---|---|\n"
                + "| memory of one tensor: an input (generated, `.npy`, image), a graph constant, a `Fill`/`Zeros`/random op of constant shape, a TF.js weight, an ONNX initializer | "
                + ModelFiles.sizeText(TensorBudget.DEFAULT_BYTES) + " | `TensorBudget`, `GraphLimits` | `"
                + TensorBudget.ENVIRONMENT + "` or `-D" + TensorBudget.PROPERTY + "` (at most the file limit) |\n"
                + "| size of a model file read into memory (`.pb`, `.pbtxt`, `model.json`, `saved_model.pb`, `.onnx`), and of all shards of a TF.js weight group together | "
                + String.format(Locale.ROOT, "%,d bytes", ModelFiles.MODEL_FILE_LIMIT) + " (" + ModelFiles.sizeText(ModelFiles.MODEL_FILE_LIMIT)
                + ", the largest Java array) | `ModelFiles` | cannot be raised |\n"
                + "| longest chain of ops in a TensorFlow graph | " + String.format(Locale.ROOT, "%,d", GraphLimits.MAX_DEPTH)
                + " ops | `GraphLimits` | cannot be raised |\n";
    }

    @Test
    void theGuardTableIsTheCodesList() throws IOException {
        assertEquals(guardTable(), section("op-guard"), "docs/reliability.md's op guard table is stale; paste:\n" + guardTable());
    }

    @Test
    void theLimitsTableIsTheCodesLimits() throws IOException {
        assertEquals(limitsTable(), section("limits"), "docs/reliability.md's limits table is stale; paste:\n" + limitsTable());
    }

    @Test
    void theCommandLineGuideNamesEveryGuardedOpType() throws IOException {
        String cli = Files.readString(DOCS.resolve("cli.md"));
        for (SideEffectOps.Entry entry : SideEffectOps.entries()) {
            for (String type : entry.types()) {
                assertTrue(type.equals("*") || cli.contains("`" + type + "`"), "docs/cli.md's op guard table lacks " + type);
            }
        }
    }

    private static String section(String name) throws IOException {
        String doc = Files.readString(DOCS.resolve("reliability.md"));
        String start = "<!-- " + name + " table: generated, checked by ReliabilityDocTest -->\n";
        int from = doc.indexOf(start);
        int to = doc.indexOf("<!-- end of " + name + " table -->", from);
        assertTrue(from >= 0 && to > from, "docs/reliability.md has no " + name + " table between its markers");
        return doc.substring(from + start.length(), to);
    }
}
