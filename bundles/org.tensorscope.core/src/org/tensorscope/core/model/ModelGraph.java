package org.tensorscope.core.model;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a loader found in a model file: ops in a topological order, weights and signatures.
 * Immutable and free of framework types.
 */
public final class ModelGraph {

    private final Path source;
    private final String format;
    private final List<OpNode> ops;
    private final Map<String, OpNode> opsByName;
    private final List<Signature> signatures;
    private final List<WeightInfo> weights;
    private final List<OpNode> libraryOps;

    public ModelGraph(Path source, String format, List<OpNode> topologicalOps, List<Signature> signatures,
            List<WeightInfo> weights) {
        this(source, format, topologicalOps, signatures, weights, List.of());
    }

    /**
     * @param libraryOps see {@link #libraryOps()}
     */
    public ModelGraph(Path source, String format, List<OpNode> topologicalOps, List<Signature> signatures,
            List<WeightInfo> weights, List<OpNode> libraryOps) {
        this.source = source;
        this.libraryOps = List.copyOf(libraryOps);
        this.format = format;
        this.ops = List.copyOf(topologicalOps);
        this.signatures = List.copyOf(signatures);
        this.weights = List.copyOf(weights);
        Map<String, OpNode> byName = new LinkedHashMap<>();
        for (OpNode op : ops) {
            byName.put(op.name(), op);
        }
        this.opsByName = java.util.Collections.unmodifiableMap(byName);
    }

    public Path source() {
        return source;
    }

    /** Format as users name it, e.g. "TensorFlow SavedModel". */
    public String format() {
        return format;
    }

    /** Every op, each after all the ops it reads from. */
    public List<OpNode> ops() {
        return ops;
    }

    public Optional<OpNode> op(String name) {
        return Optional.ofNullable(opsByName.get(name));
    }

    public List<Signature> signatures() {
        return signatures;
    }

    public Optional<Signature> signature(String key) {
        return signatures.stream().filter(s -> s.key().equals(key)).findFirst();
    }

    /** The signature used when none is named: "serving_default", else the first. */
    public Optional<Signature> defaultSignature() {
        return signature(Signature.DEFAULT_KEY).or(() -> signatures.stream().findFirst());
    }

    /**
     * The ops that computing the given tensors needs, in topological order: everything they read
     * from, transitively, stopping at fed tensors: a fed tensor's producer is listed (its output is the fed
     * value) but not what it reads.
     *
     * @param outputs tensors or op names to compute
     * @param fed     tensors ("op:k") given a value by the caller
     */
    public List<OpNode> opsNeededFor(Collection<String> outputs, Collection<String> fed) {
        Set<String> fedTensors = new HashSet<>();
        fed.forEach(t -> fedTensors.add(TensorSpec.tensorName(t)));
        Set<String> needed = new HashSet<>();
        Deque<String> pending = new ArrayDeque<>();
        outputs.forEach(t -> pending.push(TensorSpec.tensorName(t)));
        while (!pending.isEmpty()) {
            String tensor = pending.pop();
            String opName = TensorSpec.opNameOf(tensor);
            OpNode op = opsByName.get(opName);
            if (op == null || !needed.add(opName) || fedTensors.contains(tensor)) {
                continue;
            }
            op.inputs().forEach(input -> pending.push(TensorSpec.tensorName(input)));
        }
        return ops.stream().filter(op -> needed.contains(op.name())).toList();
    }

    /**
     * The tensors ("op:k") a run of these ops uses: those the ops read and the outputs it fetches. A tensor outside
     * it changes no output.
     */
    public static Set<String> tensorsUsed(Collection<OpNode> ops, Collection<String> outputs) {
        Set<String> used = new HashSet<>();
        outputs.forEach(o -> used.add(TensorSpec.tensorName(o)));
        ops.forEach(op -> op.inputs().forEach(input -> used.add(TensorSpec.tensorName(input))));
        return used;
    }

    public List<WeightInfo> weights() {
        return weights;
    }

    /**
     * Ops that are not in {@link #ops()} but may run with the model: the bodies of the functions
     * in its library, named "function/node", and what a SavedModel's init op would run. Only the
     * side-effect guard reads them; they have no inputs or outputs here.
     */
    public List<OpNode> libraryOps() {
        return libraryOps;
    }

    /** This graph with the given {@link #libraryOps()}. */
    public ModelGraph withLibraryOps(List<OpNode> library) {
        return new ModelGraph(source, format, ops, signatures, weights, library);
    }
}
