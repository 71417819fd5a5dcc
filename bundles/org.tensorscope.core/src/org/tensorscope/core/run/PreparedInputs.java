package org.tensorscope.core.run;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tensorscope.core.analysis.TensorStats;
import org.tensorscope.core.input.InputAssignments;
import org.tensorscope.core.input.InputCheck;
import org.tensorscope.core.input.InputSource;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.SignatureTensor;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.tensor.TensorData;

/**
 * The input tensors of one run, made from their sources and checked against the signature
 * before anything runs.
 */
public final class PreparedInputs {

    private final Map<String, TensorData> feeds = new LinkedHashMap<>();
    private final List<NanReport.InputHealth> health = new ArrayList<>();
    private final List<String> shapeNotes = new ArrayList<>();

    private PreparedInputs() {
    }

    /**
     * @throws IllegalArgumentException for a wrong input name, type or shape, naming the input
     * @throws IOException              when a source file cannot be read
     */
    public static PreparedInputs prepare(Signature signature, List<String> sourceTexts) throws IOException {
        return prepare(signature, sourceTexts, Map.of());
    }

    /**
     * @param shapes explicit shapes by input name ({@code --shape NAME=1x512})
     * @throws IllegalArgumentException for a wrong input name, type or shape, naming the input
     * @throws IOException              when a source file cannot be read
     */
    public static PreparedInputs prepare(Signature signature, List<String> sourceTexts, Map<String, String> shapes)
            throws IOException {
        PreparedInputs prepared = new PreparedInputs();
        List<String> mismatches = new ArrayList<>();
        for (Map.Entry<SignatureTensor, InputSource> binding : InputAssignments.bind(signature, sourceTexts, shapes)
                .entrySet()) {
            SignatureTensor input = binding.getKey();
            InputSource source = binding.getValue();
            TensorData data;
            try {
                data = source.create(input.tensor());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage().startsWith("input ") ? e.getMessage()
                        : "input " + input.key() + ": " + e.getMessage(), e);
            }
            mismatches.addAll(InputCheck.mismatches(input.key(), input.tensor(), data));
            TensorStats stats = TensorStats.of(data);
            prepared.feeds.put(input.tensor().name(), data);
            List<String> problems = new ArrayList<>(InputCheck.health(input.key(), source, stats));
            if (!input.tensor().shape().isFullyDefined() && !source.describe().contains("@")
                    && !source.describe().toLowerCase(java.util.Locale.ROOT).endsWith(".npy")
                    && !source.describe().startsWith("example:")) { // its batch size is its list's length
                String note = "input " + input.key() + " has shape " + input.tensor().shape() + " in the model and was fed as "
                        + data.shape() + "; give another with --input " + input.key() + "=" + source.describe() + "@"
                        + dimsText(data.shape()) + " or --shape " + input.key() + "=" + dimsText(data.shape());
                prepared.shapeNotes.add(note);
                if (!onlyBatchUnknown(input.tensor().shape())) {
                    problems.add(note);
                }
            }
            prepared.health.add(new NanReport.InputHealth(input.key(), source.describe(),
                    Summaries.of(input.tensor().name(), data, stats), problems));
        }
        if (!mismatches.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", mismatches));
        }
        return prepared;
    }

    /**
     * Inputs already made elsewhere (a step of a sequence, fed in part from the previous step's outputs), with
     * their health as the report shows it.
     */
    public static PreparedInputs of(Map<String, TensorData> feeds, List<NanReport.InputHealth> health) {
        PreparedInputs prepared = new PreparedInputs();
        prepared.feeds.putAll(feeds);
        prepared.health.addAll(health);
        return prepared;
    }

    /** The tensors to feed, by graph tensor name. */
    public Map<String, TensorData> feeds() {
        return feeds;
    }

    public List<NanReport.InputHealth> health() {
        return health;
    }

    /**
     * Inputs whose unknown dimensions were filled in (as 1) rather than given: what a failed run's message
     * should mention, since the guess is a likely cause.
     */
    public List<String> shapeNotes() {
        return shapeNotes;
    }

    /** A leading unknown batch dimension is the common case and fed as 1 without a warning. */
    private static boolean onlyBatchUnknown(org.tensorscope.core.model.Shape shape) {
        if (!shape.hasKnownRank() || shape.rank() == 0 || shape.dim(0) >= 0) {
            return false;
        }
        for (int i = 1; i < shape.rank(); i++) {
            if (shape.dim(i) < 0) {
                return false;
            }
        }
        return true;
    }

    private static String dimsText(org.tensorscope.core.model.Shape shape) {
        StringBuilder text = new StringBuilder();
        for (long d : shape.dims()) {
            text.append(text.length() == 0 ? "" : "x").append(d);
        }
        return text.length() == 0 ? "scalar" : text.toString();
    }
}
