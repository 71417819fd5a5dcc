package org.tensorscope.core.compare;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.model.WeightInfo;
import org.tensorscope.core.service.InferenceSession;

/**
 * Compares the floating-point weights of two models without running them: each weight is fetched
 * from its session (a constant needs no input), a batch at a time.
 */
public final class WeightComparer {

    private final long batchBytes;

    public WeightComparer() {
        this(RunComparer.DEFAULT_BATCH_BYTES);
    }

    /** @param batchBytes the most bytes of weights of one side held at once (one weight may exceed it) */
    public WeightComparer(long batchBytes) {
        this.batchBytes = batchBytes;
    }

    public WeightsComparison compare(ModelGraph graphA, InferenceSession sessionA, ModelGraph graphB,
            InferenceSession sessionB, NameMap map, double tolerance, IProgressMonitor monitor) {
        List<WeightInfo> weightsA = floating(graphA);
        List<WeightInfo> weightsB = floating(graphB);
        Map<String, WeightInfo> infoA = new HashMap<>();
        weightsA.forEach(w -> infoA.put(tensor(w), w));
        Map<String, WeightInfo> infoB = new HashMap<>();
        weightsB.forEach(w -> infoB.put(tensor(w), w));
        TensorMatcher.Matches matches = TensorMatcher.match(candidates(weightsA), candidates(weightsB), map, Map.of());
        List<List<TensorMatcher.Match>> batches = new ArrayList<>();
        List<TensorMatcher.Match> batch = new ArrayList<>();
        long bytes = 0;
        for (TensorMatcher.Match m : matches.pairs()) {
            long size = Math.max(infoA.get(m.a().tensor()).bytes(), infoB.get(m.b().tensor()).bytes());
            if (!batch.isEmpty() && bytes + size > batchBytes) {
                batches.add(batch);
                batch = new ArrayList<>();
                bytes = 0;
            }
            batch.add(m);
            bytes += size;
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        SubMonitor progress = SubMonitor.convert(monitor, "Comparing the weights", Math.max(1, batches.size()));
        Map<String, Integer> orderA = new HashMap<>();
        for (int i = 0; i < weightsA.size(); i++) {
            orderA.put(tensor(weightsA.get(i)), i);
        }
        List<WeightPair> pairs = new ArrayList<>();
        for (List<TensorMatcher.Match> b : batches) {
            SubMonitor step = progress.split(1).setWorkRemaining(2);
            var fetchedA = BatchFetcher.fetch(BatchFetcher.plain(sessionA, Map.of()),
                    b.stream().map(m -> m.a().tensor()).toList(), step.split(1));
            var fetchedB = BatchFetcher.fetch(BatchFetcher.plain(sessionB, Map.of()),
                    b.stream().map(m -> m.b().tensor()).toList(), step.split(1));
            for (TensorMatcher.Match m : b) {
                WeightInfo wa = infoA.get(m.a().tensor());
                WeightInfo wb = infoB.get(m.b().tensor());
                ValueComparison c = ValueComparison.of(fetchedA.get(m.a().tensor()), fetchedB.get(m.b().tensor()),
                        wa.shape(), wb.shape(), tolerance, false);
                pairs.add(new WeightPair(orderA.get(m.a().tensor()), wa.opName(), wb.opName(), wa.dtype().displayName(),
                        c.shapeA(), c.shapeB(), c.status(), c.metrics(), c.relativeChange(), c.note()));
            }
        }
        pairs.sort(java.util.Comparator.comparingInt(WeightPair::order));
        return new WeightsComparison(matches.matching(), pairs, opNames(matches.unmatchedA()),
                opNames(matches.unmatchedB()));
    }

    /**
     * Compares weights paired in advance as the ops read them (see {@link OperandWeights}), each fetched from its
     * session without inputs, a batch at a time.
     */
    WeightsComparison compare(ModelGraph graphA, InferenceSession sessionA, ModelGraph graphB, InferenceSession sessionB,
            OperandWeights read, TensorMatching matching, double tolerance, IProgressMonitor monitor) {
        List<List<String[]>> batches = new ArrayList<>();
        List<String[]> batch = new ArrayList<>();
        long bytes = 0;
        for (String[] p : read.pairs()) {
            long size = Math.max(RunComparer.bytes(RunComparer.spec(graphA, p[0])),
                    RunComparer.bytes(RunComparer.spec(graphB, p[1])));
            if (!batch.isEmpty() && bytes + size > batchBytes) {
                batches.add(batch);
                batch = new ArrayList<>();
                bytes = 0;
            }
            batch.add(p);
            bytes += size;
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        SubMonitor progress = SubMonitor.convert(monitor, "Comparing the weights", Math.max(1, batches.size()));
        List<WeightPair> pairs = new ArrayList<>();
        for (List<String[]> b : batches) {
            SubMonitor step = progress.split(1).setWorkRemaining(2);
            var fetchedA = BatchFetcher.fetch(BatchFetcher.plain(sessionA, Map.of()), b.stream().map(p -> p[0]).toList(),
                    step.split(1));
            var fetchedB = BatchFetcher.fetch(BatchFetcher.plain(sessionB, Map.of()), b.stream().map(p -> p[1]).toList(),
                    step.split(1));
            for (String[] p : b) {
                TensorSpec specA = RunComparer.spec(graphA, p[0]);
                TensorSpec specB = RunComparer.spec(graphB, p[1]);
                ValueComparison c = ValueComparison.of(fetchedA.get(p[0]), fetchedB.get(p[1]), specA.shape(),
                        specB.shape(), tolerance, false);
                pairs.add(new WeightPair(pairs.size(), name(p[0]), name(p[1]), specA.dtype().displayName(), c.shapeA(),
                        c.shapeB(), c.status(), c.metrics(), c.relativeChange(), c.note()));
            }
        }
        return new WeightsComparison(matching, pairs, read.unmatchedA().stream().map(WeightComparer::name).toList(),
                read.unmatchedB().stream().map(WeightComparer::name).toList());
    }

    /** A weight's op name, or its tensor name when it is not the op's first output. */
    private static String name(String tensor) {
        return tensor.endsWith(":0") ? TensorSpec.opNameOf(tensor) : tensor;
    }

    private static List<WeightInfo> floating(ModelGraph graph) {
        return graph.weights().stream().filter(w -> w.dtype().isFloating()).toList();
    }

    private static List<TensorMatcher.Candidate> candidates(List<WeightInfo> weights) {
        return weights.stream().map(w -> new TensorMatcher.Candidate(tensor(w), w.dtype().displayName() + w.shape()))
                .toList();
    }

    private static String tensor(WeightInfo w) {
        return TensorSpec.tensorName(w.opName());
    }

    private static List<String> opNames(List<String> tensors) {
        return tensors.stream().map(TensorSpec::opNameOf).toList();
    }
}
