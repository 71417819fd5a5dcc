package org.tensorscope.core.compare;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.SignatureTensor;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.service.BackendException;

/**
 * Compares two runs tensor by tensor: matches the floating-point tensors the two signatures'
 * outputs need (signature inputs and outputs by key, the rest by name, a name map or position),
 * fetches them a batch at a time from both sessions as the health pass computes them (graph as
 * written), and measures how far B is from A. Weights are compared too, so that the first
 * divergence can name the weight or input that made it differ. Shared by the CLI and the workbench.
 */
public final class RunComparer {

    /** The most bytes of tensors of one side fetched at once (one tensor may exceed it). */
    public static final long DEFAULT_BATCH_BYTES = 64L << 20;
    /** What a tensor of unknown static shape is assumed to take when batching. */
    private static final long UNKNOWN_TENSOR_BYTES = 4L << 20;

    private final long batchBytes;

    public RunComparer() {
        this(DEFAULT_BATCH_BYTES);
    }

    /** @param batchBytes the most bytes of tensors of one side held at once */
    public RunComparer(long batchBytes) {
        this.batchBytes = batchBytes;
    }

    /**
     * @throws BackendException when a side cannot run at all (its outputs cannot be computed); tensors
     *                          that alone cannot be fetched are reported as not compared instead
     */
    public Comparison compare(ComparedRun a, ComparedRun b, CompareOptions options, IProgressMonitor monitor)
            throws BackendException {
        SubMonitor progress = SubMonitor.convert(monitor, "Comparing " + a.graph().source().getFileName() + " with "
                + b.graph().source().getFileName(), 100);
        boolean haveWeights = a.graph().weights().stream().anyMatch(w -> w.dtype().isFloating())
                && b.graph().weights().stream().anyMatch(w -> w.dtype().isFloating());
        if (options.weightsOnly()) {
            WeightsComparison weights = new WeightComparer(batchBytes).compare(a.graph(), a.session(), b.graph(),
                    b.session(), options.map(), options.tolerance(), progress.split(100));
            return new Comparison(side(a, true), side(b, true), options.tolerance(), weights.matching(), List.of(),
                    Optional.empty(), List.of(), List.of(), weights, true);
        }
        if (a.signature() == null || b.signature() == null) {
            throw new IllegalArgumentException("a comparison of runs needs a signature on both sides");
        }
        // a side that cannot run at all is an error, not a list of tensors not compared
        SubMonitor outputsProgress = progress.split(10).setWorkRemaining(2);
        a.session().fetchAsTraced(a.feeds(), outputs(a.signature()), Map.of(), outputsProgress.split(1));
        b.session().fetchAsTraced(b.feeds(), outputs(b.signature()), Map.of(), outputsProgress.split(1));
        WeightsComparison weights = haveWeights ? new WeightComparer(batchBytes).compare(a.graph(), a.session(),
                b.graph(), b.session(), options.map(), options.tolerance(), progress.split(20)) : null;
        progress.setWorkRemaining(70);
        List<TensorMatcher.Candidate> candidatesA = candidates(a);
        List<TensorMatcher.Candidate> candidatesB = candidates(b);
        TensorMatcher.Matches matches = TensorMatcher.match(candidatesA, candidatesB, options.map(), signaturePairs(a, b));
        Map<String, Integer> order = new HashMap<>();
        Map<String, OpNode> opOfA = new HashMap<>();
        List<OpNode> opsA = a.graph().opsNeededFor(outputs(a.signature()), a.feeds().keySet());
        for (int i = 0; i < opsA.size(); i++) {
            order.put(opsA.get(i).name(), i);
            opOfA.put(opsA.get(i).name(), opsA.get(i));
        }
        java.util.Set<String> outputsA = java.util.Set.copyOf(outputs(a.signature()));
        List<List<TensorMatcher.Match>> batches = batches(a.graph(), b.graph(), matches.pairs());
        SubMonitor fetching = progress.split(70).setWorkRemaining(Math.max(1, batches.size()));
        List<TensorPair> pairs = new ArrayList<>();
        for (List<TensorMatcher.Match> batch : batches) {
            SubMonitor step = fetching.split(1).setWorkRemaining(2);
            var fetchedA = BatchFetcher.fetch(BatchFetcher.asTraced(a.session(), a.feeds()),
                    batch.stream().map(m -> m.a().tensor()).toList(), step.split(1));
            var fetchedB = BatchFetcher.fetch(BatchFetcher.asTraced(b.session(), b.feeds()),
                    batch.stream().map(m -> m.b().tensor()).toList(), step.split(1));
            for (TensorMatcher.Match m : batch) {
                TensorSpec specA = spec(a.graph(), m.a().tensor());
                TensorSpec specB = spec(b.graph(), m.b().tensor());
                ValueComparison c = ValueComparison.of(fetchedA.get(m.a().tensor()), fetchedB.get(m.b().tensor()),
                        specA.shape(), specB.shape(), options.tolerance());
                String opName = specA.opName();
                pairs.add(new TensorPair(order.getOrDefault(opName, Integer.MAX_VALUE), m.a().tensor(), m.b().tensor(),
                        opOfA.containsKey(opName) ? opOfA.get(opName).type() : "",
                        a.feeds().containsKey(m.a().tensor()), specA.dtype().displayName(), c.shapeA(), c.shapeB(),
                        c.status(), c.metrics(), c.note(), outputsA.contains(m.a().tensor())));
            }
        }
        pairs.sort(java.util.Comparator.comparingInt(TensorPair::order).thenComparing(TensorPair::tensorA));
        Optional<Divergence> first = pairs.stream().filter(p -> !p.input() && p.diverged()).findFirst()
                .map(p -> new Divergence(p, differingInputs(opOfA.get(p.opA()), pairs, weights)));
        return new Comparison(side(a, false), side(b, false), options.tolerance(), matches.matching(), pairs, first,
                matches.unmatchedA(), matches.unmatchedB(), weights, false);
    }

    private static List<String> outputs(Signature signature) {
        return signature.outputs().stream().map(o -> o.tensor().name()).toList();
    }

    /** The floating-point tensors the run computes or is fed, in execution order; weights are compared apart. */
    private static List<TensorMatcher.Candidate> candidates(ComparedRun run) {
        List<TensorMatcher.Candidate> candidates = new ArrayList<>();
        for (OpNode op : run.graph().opsNeededFor(outputs(run.signature()), run.feeds().keySet())) {
            if (op.role().isStored()) {
                continue;
            }
            for (TensorSpec out : op.outputs()) {
                boolean fed = run.feeds().containsKey(out.name());
                DType dtype = fed ? run.feeds().get(out.name()).dtype() : out.dtype();
                if (dtype.isFloating()) {
                    candidates.add(new TensorMatcher.Candidate(out.name(), op.type() + ":" + out.outputIndex()));
                }
            }
        }
        return candidates;
    }

    /** Signature inputs and outputs paired by key (A's tensor to B's), else by position when the keys differ. */
    private static Map<String, String> signaturePairs(ComparedRun a, ComparedRun b) {
        Map<String, String> pairs = new HashMap<>();
        pairByKey(a.signature().inputs(), b.signature().inputs(), pairs);
        pairByKey(a.signature().outputs(), b.signature().outputs(), pairs);
        return pairs;
    }

    private static void pairByKey(List<SignatureTensor> a, List<SignatureTensor> b, Map<String, String> pairs) {
        boolean sameKeys = a.stream().allMatch(x -> b.stream().anyMatch(y -> y.key().equals(x.key())));
        for (int i = 0; i < a.size(); i++) {
            SignatureTensor x = a.get(i);
            Optional<SignatureTensor> y = sameKeys ? b.stream().filter(t -> t.key().equals(x.key())).findFirst()
                    : a.size() == b.size() ? Optional.of(b.get(i)) : Optional.empty();
            y.ifPresent(t -> pairs.put(x.tensor().name(), t.tensor().name()));
        }
    }

    private List<List<TensorMatcher.Match>> batches(ModelGraph graphA, ModelGraph graphB, List<TensorMatcher.Match> pairs) {
        List<List<TensorMatcher.Match>> batches = new ArrayList<>();
        List<TensorMatcher.Match> batch = new ArrayList<>();
        long bytes = 0;
        for (TensorMatcher.Match m : pairs) {
            long size = Math.max(bytes(spec(graphA, m.a().tensor())), bytes(spec(graphB, m.b().tensor())));
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
        return batches;
    }

    private static long bytes(TensorSpec spec) {
        long n = spec.shape().numElements();
        return n < 0 ? UNKNOWN_TENSOR_BYTES : n * Math.max(1, spec.dtype().byteSize());
    }

    private static TensorSpec spec(ModelGraph graph, String tensor) {
        return graph.op(TensorSpec.opNameOf(tensor)).flatMap(op -> op.outputs().stream()
                .filter(o -> o.name().equals(tensor)).findFirst())
                .orElse(new TensorSpec(tensor, DType.FLOAT32, Shape.unknownRank()));
    }

    /** The inputs of the diverging op that are fed inputs or weights already differing. */
    private static List<String> differingInputs(OpNode op, List<TensorPair> pairs, WeightsComparison weights) {
        if (op == null) {
            return List.of();
        }
        List<String> differing = new ArrayList<>();
        for (String input : op.inputs()) {
            String tensor = TensorSpec.tensorName(input);
            boolean fed = pairs.stream().anyMatch(p -> p.input() && p.tensorA().equals(tensor) && p.diverged());
            boolean weight = weights != null && weights.pairs().stream()
                    .anyMatch(w -> w.weightA().equals(TensorSpec.opNameOf(tensor)) && w.diverged());
            if ((fed || weight) && !differing.contains(tensor)) {
                differing.add(tensor);
            }
        }
        return differing;
    }

    private static ComparedSide side(ComparedRun run, boolean weightsOnly) {
        return new ComparedSide(run.graph().source().toString(), run.graph().format(),
                weightsOnly || run.signature() == null ? "" : run.signature().key(), weightsOnly ? List.of() : run.inputs(),
                run.session().deviceNote());
    }
}
