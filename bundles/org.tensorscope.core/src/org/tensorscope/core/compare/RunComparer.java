package org.tensorscope.core.compare;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.tensor.TensorData;

/**
 * Compares two runs tensor by tensor: matches the floating-point tensors the two signatures'
 * outputs need (signature inputs and outputs by key or by shape, the rest by name, a name map or
 * position; what is computed from weights alone counts as a weight),
 * fetches them a batch at a time from both sessions as the health pass computes them (graph as
 * written), and measures how far B is from A. The weights the paired ops read are compared too
 * (see {@link OperandWeights}), so that the first divergence can name the weight or input that made
 * it differ. Shared by the CLI and the workbench.
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
        Map<String, Shape> shapesA = shapes(a.feeds(),
                a.session().fetchAsTraced(a.feeds(), outputs(a.signature()), Map.of(), outputsProgress.split(1)));
        Map<String, Shape> shapesB = shapes(b.feeds(),
                b.session().fetchAsTraced(b.feeds(), outputs(b.signature()), Map.of(), outputsProgress.split(1)));
        StoredValues storedA = new StoredValues(a.graph());
        StoredValues storedB = new StoredValues(b.graph());
        List<String> unreadA = new ArrayList<>();
        List<String> unreadB = new ArrayList<>();
        boolean layouts = acrossFormats(a.graph(), b.graph());
        ComparisonKeys keysA = new ComparisonKeys(a.graph(), storedA);
        List<TensorMatcher.Candidate> candidatesA = candidates(a, keysA, storedA, unreadA, layouts);
        List<TensorMatcher.Candidate> candidatesB = candidates(b, new ComparisonKeys(b.graph(), storedB), storedB,
                unreadB, layouts);
        List<String> notes = new ArrayList<>();
        if (!unreadA.isEmpty() || !unreadB.isEmpty()) {
            notes.add("not compared: " + unreadA.size() + " tensor" + (unreadA.size() == 1 ? "" : "s") + " of A and "
                    + unreadB.size() + " of B that no op of the run reads and that are no output (such as a batch"
                    + " norm's reserve spaces in inference, which hold whatever memory they were given): they cannot"
                    + " change the outputs");
        }
        notes.addAll(MapEntryNotes.of(options.map(), a.graph(), candidatesA, unreadA, b.graph(), candidatesB, unreadB));
        Map<String, String> signaturePairs = new HashMap<>();
        for (SignaturePairing.Result r : List.of(
                SignaturePairing.pair("inputs", a.signature().inputs(), b.signature().inputs(), shapesA, shapesB,
                        layouts),
                SignaturePairing.pair("outputs", a.signature().outputs(), b.signature().outputs(), shapesA, shapesB,
                        layouts))) {
            signaturePairs.putAll(r.pairs());
            if (!r.note().isEmpty()) {
                notes.add(r.note());
            }
        }
        TensorMatcher.Matches matches = TensorMatcher.match(candidatesA, candidatesB, options.map(), signaturePairs);
        OperandWeights read = OperandWeights.pair(matches.pairs(), a, storedA, candidatesA, b, storedB, candidatesB);
        WeightsComparison weights = read.pairs().isEmpty() && (read.unmatchedA().isEmpty() || read.unmatchedB().isEmpty())
                ? null : new WeightComparer(batchBytes).compare(a.graph(), a.session(), b.graph(), b.session(), read,
                        matches.matching(), options.tolerance(), progress.split(20));
        progress.setWorkRemaining(70);
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
        java.util.Set<String> misalignedA = new java.util.HashSet<>();
        java.util.Set<String> misalignedB = new java.util.HashSet<>();
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
                        specA.shape(), specB.shape(), options.tolerance(), layouts);
                if (m.via() == TensorMatcher.Via.POSITION && c.status() == PairStatus.SHAPE_MISMATCH) {
                    // lined up by a guess the computed shapes refute: a failed match, not a divergence
                    misalignedA.add(m.a().tensor());
                    misalignedB.add(m.b().tensor());
                    continue;
                }
                String opName = specA.opName();
                pairs.add(new TensorPair(order.getOrDefault(opName, Integer.MAX_VALUE), m.a().tensor(), m.b().tensor(),
                        opOfA.containsKey(opName) ? opOfA.get(opName).type() : "",
                        a.feeds().containsKey(m.a().tensor()), specA.dtype().displayName(), c.shapeA(), c.shapeB(),
                        c.status(), c.metrics(), c.note(), outputsA.contains(m.a().tensor())));
            }
        }
        pairs.sort(java.util.Comparator.comparingInt(TensorPair::order).thenComparing(TensorPair::tensorA));
        if (!misalignedA.isEmpty()) {
            notes.add(misalignedA.size() + " tensor" + (misalignedA.size() == 1 ? "" : "s")
                    + " lined up by position computed other shapes than their counterparts: listed as unmatched");
        }
        List<String> unmatchedA = unmatched(candidatesA, matches.unmatchedA(), misalignedA);
        List<String> unmatchedB = unmatched(candidatesB, matches.unmatchedB(), misalignedB);
        List<TensorPair> noted = pairs.stream().map(p -> withOwnOps(p, a.graph(), unmatchedA, b.graph(), unmatchedB))
                .toList();
        Optional<Divergence> first = noted.stream().filter(p -> !p.input() && p.diverged()).findFirst()
                .map(p -> new Divergence(p, differingInputs(opOfA.get(p.opA()), noted, weights, storedA),
                        uncomparedInputs(opOfA.get(p.opA()), noted, candidatesA, a.graph(), keysA)));
        return new Comparison(side(a, false), side(b, false), options.tolerance(), matches.matching(), noted, first,
                unmatchedA, unmatchedB, weights, false, notes);
    }

    /**
     * The pair, noting the ops only one side computes on the way to it (a conversion that ends an output with a
     * sigmoid the original leaves to the application): the likeliest reason the pair differs.
     */
    private static TensorPair withOwnOps(TensorPair p, ModelGraph graphA, List<String> unmatchedA, ModelGraph graphB,
            List<String> unmatchedB) {
        List<String> onlyA = ownOps(graphA, p.opA(), unmatchedA);
        List<String> onlyB = ownOps(graphB, p.opB(), unmatchedB);
        if (onlyA.isEmpty() && onlyB.isEmpty()) {
            return p;
        }
        List<String> remarks = new ArrayList<>();
        if (!p.note().isEmpty()) {
            remarks.add(p.note());
        }
        if (!onlyB.isEmpty()) {
            remarks.add("B computes it through ops A has no counterpart for: " + String.join(", ", onlyB));
        }
        if (!onlyA.isEmpty()) {
            remarks.add("A computes it through ops B has no counterpart for: " + String.join(", ", onlyA));
        }
        return new TensorPair(p.order(), p.tensorA(), p.tensorB(), p.opType(), p.input(), p.dtype(), p.shapeA(),
                p.shapeB(), p.status(), p.metrics(), String.join("; ", remarks), p.output());
    }

    /** The unmatched ops (with their types) an op reads, directly or through other unmatched ops; at most five. */
    private static List<String> ownOps(ModelGraph graph, String opName, List<String> unmatched) {
        java.util.Set<String> unmatchedOps = new java.util.HashSet<>();
        unmatched.forEach(t -> unmatchedOps.add(TensorSpec.opNameOf(t)));
        List<String> found = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        java.util.Deque<String> pending = new java.util.ArrayDeque<>();
        graph.op(opName).ifPresent(op -> op.inputs().forEach(i -> pending.add(TensorSpec.opNameOf(TensorSpec.tensorName(i)))));
        while (!pending.isEmpty() && found.size() < 5) {
            String name = pending.poll();
            if (!unmatchedOps.contains(name) || !seen.add(name)) {
                continue;
            }
            OpNode op = graph.op(name).orElseThrow();
            found.add(name + " (" + op.type() + ")");
            op.inputs().forEach(i -> pending.add(TensorSpec.opNameOf(TensorSpec.tensorName(i))));
        }
        return found;
    }

    /** The candidates left unmatched or whose match failed, in execution order. */
    private static List<String> unmatched(List<TensorMatcher.Candidate> candidates, List<String> unmatched,
            java.util.Set<String> misaligned) {
        java.util.Set<String> left = new java.util.HashSet<>(unmatched);
        left.addAll(misaligned);
        return candidates.stream().map(TensorMatcher.Candidate::tensor).filter(left::contains).toList();
    }

    /** The shapes of the fed inputs and the computed outputs, by tensor name. */
    private static Map<String, Shape> shapes(Map<String, TensorData> feeds, Map<String, TensorData> outputs) {
        Map<String, Shape> shapes = new HashMap<>();
        feeds.forEach((name, data) -> shapes.put(name, data.shape()));
        outputs.forEach((name, data) -> shapes.put(name, data.shape()));
        return shapes;
    }

    /**
     * Whether the two sides are of two formats (a model and its conversion), which may hold tensors in the two
     * channel layouts; two files of one format keep one layout, and their shapes are compared as they are.
     */
    private static boolean acrossFormats(ModelGraph a, ModelGraph b) {
        return !family(a.format()).equals(family(b.format()));
    }

    /** "TFLite flatbuffer" of "TFLite flatbuffer (float16 weights widened to float32)". */
    private static String family(String format) {
        int notes = format.indexOf(" (");
        return notes < 0 ? format : format.substring(0, notes);
    }

    private static List<String> outputs(Signature signature) {
        return signature.outputs().stream().map(o -> o.tensor().name()).toList();
    }

    /**
     * The floating-point tensors the run computes or is fed, in execution order. Weights, and what is computed from
     * them alone (a widened or transposed filter), are compared apart: they are not activations. A tensor that no op
     * of the run reads and that the run does not output cannot change the outputs, and may hold no defined value
     * at all (a batch norm's reserve spaces in inference, which hold whatever memory they were given): it is left out,
     * and added to {@code unread}.
     */
    private static List<TensorMatcher.Candidate> candidates(ComparedRun run, ComparisonKeys keys, StoredValues stored,
            List<String> unread, boolean layouts) {
        List<TensorMatcher.Candidate> candidates = new ArrayList<>();
        List<OpNode> ops = run.graph().opsNeededFor(outputs(run.signature()), run.feeds().keySet());
        // every op of the graph, not only those the outputs need: an op inside a subgraph (an ONNX If or Loop body)
        // reads outer tensors that its If or Loop op does not list
        Set<String> used = ModelGraph.tensorsUsed(run.graph().ops(), outputs(run.signature()));
        for (OpNode op : ops) {
            boolean fedOp = op.outputs().stream().anyMatch(o -> run.feeds().containsKey(o.name()));
            if (stored.contains(op.name()) && !fedOp) {
                continue;
            }
            String type = keys.of(op);
            for (TensorSpec out : op.outputs()) {
                boolean fed = run.feeds().containsKey(out.name());
                DType dtype = fed ? run.feeds().get(out.name()).dtype() : out.dtype();
                Shape shape = fed ? run.feeds().get(out.name()).shape() : out.shape();
                if (dtype.isFloating() && (fed || used.contains(out.name()))) {
                    candidates.add(new TensorMatcher.Candidate(out.name(), type + ":" + out.outputIndex(), shape,
                            fed ? List.of() : op.inputs().stream().map(TensorSpec::tensorName).toList(), layouts));
                } else if (dtype.isFloating()) {
                    unread.add(out.name());
                }
            }
        }
        return candidates;
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

    static long bytes(TensorSpec spec) {
        long n = spec.shape().numElements();
        return n < 0 ? UNKNOWN_TENSOR_BYTES : n * Math.max(1, spec.dtype().byteSize());
    }

    static TensorSpec spec(ModelGraph graph, String tensor) {
        return graph.op(TensorSpec.opNameOf(tensor)).flatMap(op -> op.outputs().stream()
                .filter(o -> o.name().equals(tensor)).findFirst())
                .orElse(new TensorSpec(tensor, DType.FLOAT32, Shape.unknownRank()));
    }

    /**
     * The inputs of the diverging op that already differ, if only within the tolerance: fed inputs, weights (an
     * input computed from weights alone, such as a transposed filter, when a weight behind it differs) and computed
     * inputs whose small difference the op made larger.
     */
    private static List<String> differingInputs(OpNode op, List<TensorPair> pairs, WeightsComparison weights,
            StoredValues stored) {
        if (op == null) {
            return List.of();
        }
        List<String> differing = new ArrayList<>();
        for (String input : op.inputs()) {
            String tensor = TensorSpec.tensorName(input);
            boolean paired = pairs.stream().anyMatch(p -> p.tensorA().equals(tensor) && differs(p.status(), p.metrics()));
            List<String> behind = stored.storedOpsBehind(tensor);
            boolean weight = weights != null && weights.pairs().stream().anyMatch(w -> differs(w.status(), w.metrics())
                    && (TensorSpec.tensorName(w.weightA()).equals(tensor) || behind.contains(w.weightA())));
            if ((paired || weight) && !differing.contains(tensor)) {
                differing.add(tensor);
            }
        }
        return differing;
    }

    /**
     * The op's inputs that are candidates of A (computed or fed floats) without a pair whose values were compared. The
     * product a bias key folds into the op (A's MatMul before its BiasAdd, paired with B's Gemm) is part of the op:
     * its own inputs stand in for it.
     */
    private static List<String> uncomparedInputs(OpNode op, List<TensorPair> pairs,
            List<TensorMatcher.Candidate> candidatesA, ModelGraph graphA, ComparisonKeys keys) {
        if (op == null) {
            return List.of();
        }
        Set<String> compared = new java.util.HashSet<>();
        pairs.stream().filter(p -> p.status() != PairStatus.NOT_COMPARED).forEach(p -> compared.add(p.tensorA()));
        Set<String> candidates = new java.util.HashSet<>();
        candidatesA.forEach(c -> candidates.add(c.tensor()));
        String key = keys.of(op);
        List<String> inputs = new ArrayList<>();
        for (String input : op.inputs()) {
            String tensor = TensorSpec.tensorName(input);
            Optional<OpNode> producer = graphA.op(TensorSpec.opNameOf(tensor));
            boolean folded = key.endsWith(ComparisonKeys.BIASED) && !compared.contains(tensor) && producer.isPresent()
                    && (keys.of(producer.get()) + ComparisonKeys.BIASED).equals(key);
            if (folded) {
                producer.get().inputs().forEach(i -> inputs.add(TensorSpec.tensorName(i)));
            } else {
                inputs.add(tensor);
            }
        }
        return inputs.stream().distinct().filter(t -> candidates.contains(t) && !compared.contains(t)).toList();
    }

    private static boolean differs(PairStatus status, ErrorMetrics metrics) {
        return status == PairStatus.DIVERGED || status == PairStatus.SHAPE_MISMATCH
                || metrics != null && !metrics.identical();
    }

    private static ComparedSide side(ComparedRun run, boolean weightsOnly) {
        return new ComparedSide(run.graph().source().toString(), run.graph().format(),
                weightsOnly || run.signature() == null ? "" : run.signature().key(), weightsOnly ? List.of() : run.inputs(),
                run.session().deviceNote());
    }
}
