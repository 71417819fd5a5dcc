package org.tensorscope.cli.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.SideEffectOps;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.SignatureTensor;
import org.tensorscope.core.model.StateChangeOps;
import org.tensorscope.core.model.WeightInfo;
import org.tensorscope.core.report.Numbers;
import org.tensorscope.core.service.Contributions;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.report.JsonNumbers;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tensorscope info MODEL [--json]}: what a model holds, without running it.
 */
@Command(name = "info", description = "Show a model's format, signatures, ops and the health of its weights.")
public class InfoCommand implements Callable<Integer> {

    private final Contributions contributions;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "A model file or SavedModel folder.")
    Path model;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Option(names = "--verbose", description = "Show stack traces of errors.")
    boolean verbose;

    public InfoCommand(Contributions contributions) {
        this.contributions = contributions;
    }

    @Override
    public Integer call() throws ModelLoadException, IOException {
        PrintWriter out = spec.commandLine().getOut();
        ConsoleProgressMonitor monitor = new ConsoleProgressMonitor(spec.commandLine().getErr());
        try (LoadedModel loaded = contributions.open(model, monitor)) {
            ModelGraph graph = loaded.graph();
            if (json) {
                out.println(JsonNumbers.gson().create().toJson(toJson(graph)));
            } else {
                printText(out, graph);
            }
        } finally {
            monitor.done();
        }
        return 0;
    }

    static Map<String, Long> opTypes(ModelGraph graph) {
        Map<String, Long> counts = new TreeMap<>();
        for (OpNode op : graph.ops()) {
            counts.merge(op.type(), 1L, Long::sum);
        }
        return counts;
    }

    private static void printText(PrintWriter out, ModelGraph graph) {
        out.println("Model:      " + graph.source());
        out.println("Format:     " + graph.format());
        String histogram = opTypes(graph).entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        out.println("Ops:        " + graph.ops().size() + " (" + histogram + ")");
        for (Signature signature : graph.signatures()) {
            out.println("Signature:  " + signature.key());
            signature.inputs().forEach(t -> out.println("  input   " + describe(t)));
            signature.outputs().forEach(t -> out.println("  output  " + describe(t)));
        }
        List<WeightInfo> weights = graph.weights();
        long bytes = weights.stream().mapToLong(WeightInfo::bytes).sum();
        List<WeightInfo> unhealthy = weights.stream().filter(w -> w.nonFiniteCount() > 0)
                .sorted(Comparator.comparing(WeightInfo::opName)).toList();
        out.println("Weights:    " + weights.size() + " tensors, " + Numbers.bytes(bytes) + "; "
                + (unhealthy.isEmpty() ? "all finite"
                        : unhealthy.size() + " hold NaN or infinity: " + unhealthy.stream()
                                .map(w -> w.opName() + " (" + w.nonFiniteCount() + " of " + w.shape().numElements() + ")")
                                .collect(Collectors.joining(", "))));
        List<OpNode> sideEffects = SideEffectOps.in(graph);
        if (!sideEffects.isEmpty()) {
            out.println("Warning:    ops that reach outside the model: " + sideEffects.stream()
                    .map(SideEffectOps::describe).collect(Collectors.joining(", ")));
        }
        List<OpNode> stateChanges = StateChangeOps.in(graph);
        if (!stateChanges.isEmpty()) {
            out.println("State:      ops that change the model's variables, once per run, each run starting from the "
                    + "saved values: " + stateChanges.stream().map(InfoCommand::describeStateChange)
                            .collect(Collectors.joining(", ")));
        }
    }

    private static String describeStateChange(OpNode op) {
        String target = StateChangeOps.target(op);
        return op.name() + " (" + op.type() + (target.isEmpty() ? "" : " on " + target) + ")";
    }

    private static String describe(SignatureTensor t) {
        return String.format(Locale.ROOT, "%-20s %-8s %-18s (tensor %s)", t.key(), t.tensor().dtype().displayName(),
                t.tensor().shape(), t.tensor().name());
    }

    private static JsonObject toJson(ModelGraph graph) {
        JsonObject root = new JsonObject();
        root.addProperty("model", graph.source().toString());
        root.addProperty("format", graph.format());
        root.addProperty("opCount", graph.ops().size());
        JsonObject types = new JsonObject();
        opTypes(graph).forEach(types::addProperty);
        root.add("opTypes", types);
        JsonArray signatures = new JsonArray();
        for (Signature signature : graph.signatures()) {
            JsonObject s = new JsonObject();
            s.addProperty("key", signature.key());
            s.add("inputs", tensors(signature.inputs()));
            s.add("outputs", tensors(signature.outputs()));
            signatures.add(s);
        }
        root.add("signatures", signatures);
        JsonArray weights = new JsonArray();
        for (WeightInfo w : graph.weights()) {
            JsonObject o = new JsonObject();
            o.addProperty("op", w.opName());
            o.addProperty("dtype", w.dtype().displayName());
            o.addProperty("shape", w.shape().toString());
            o.addProperty("bytes", w.bytes());
            o.addProperty("nonFinite", w.nonFiniteCount());
            weights.add(o);
        }
        root.add("weights", weights);
        JsonArray sideEffects = new JsonArray();
        JsonArray sideEffectReasons = new JsonArray();
        for (OpNode op : SideEffectOps.in(graph)) {
            sideEffects.add(op.name());
            JsonObject o = new JsonObject();
            o.addProperty("op", op.name());
            o.addProperty("type", op.type());
            o.addProperty("reason", SideEffectOps.reason(op).orElse(""));
            sideEffectReasons.add(o);
        }
        root.add("sideEffectOps", sideEffects);
        root.add("sideEffects", sideEffectReasons);
        JsonArray stateChanges = new JsonArray();
        for (OpNode op : StateChangeOps.in(graph)) {
            JsonObject o = new JsonObject();
            o.addProperty("op", op.name());
            o.addProperty("type", op.type());
            o.addProperty("target", StateChangeOps.target(op));
            stateChanges.add(o);
        }
        root.add("stateChangeOps", stateChanges);
        return root;
    }

    private static JsonArray tensors(List<SignatureTensor> tensors) {
        JsonArray array = new JsonArray();
        for (SignatureTensor t : tensors) {
            JsonObject o = new JsonObject();
            o.addProperty("key", t.key());
            o.addProperty("tensor", t.tensor().name());
            o.addProperty("dtype", t.tensor().dtype().displayName());
            o.addProperty("shape", t.tensor().shape().toString());
            array.add(o);
        }
        return array;
    }
}
