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

    private PreparedInputs() {
    }

    /**
     * @throws IllegalArgumentException for a wrong input name, type or shape, naming the input
     * @throws IOException              when a source file cannot be read
     */
    public static PreparedInputs prepare(Signature signature, List<String> sourceTexts) throws IOException {
        PreparedInputs prepared = new PreparedInputs();
        List<String> mismatches = new ArrayList<>();
        for (Map.Entry<SignatureTensor, InputSource> binding : InputAssignments.bind(signature, sourceTexts).entrySet()) {
            SignatureTensor input = binding.getKey();
            InputSource source = binding.getValue();
            TensorData data = source.create(input.tensor());
            mismatches.addAll(InputCheck.mismatches(input.key(), input.tensor(), data));
            TensorStats stats = TensorStats.of(data);
            prepared.feeds.put(input.tensor().name(), data);
            prepared.health.add(new NanReport.InputHealth(input.key(), source.describe(),
                    Summaries.of(input.tensor().name(), data, stats), InputCheck.health(input.key(), source, stats)));
        }
        if (!mismatches.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", mismatches));
        }
        return prepared;
    }

    /** The tensors to feed, by graph tensor name. */
    public Map<String, TensorData> feeds() {
        return feeds;
    }

    public List<NanReport.InputHealth> health() {
        return health;
    }
}
