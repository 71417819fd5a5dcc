package org.tensorscope.cli.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.tensorscope.core.model.SignatureTensor;
import org.tensorscope.core.model.UndefinedOutputs;
import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.Contributions;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.report.JsonNumbers;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tensorscope run MODEL ...}: runs a model once and prints its outputs.
 */
@Command(name = "run", description = "Run a model on the inputs given and print its outputs (and any op asked for).")
public class RunCommand implements Callable<Integer> {

    private final Contributions contributions;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptionsMixin options = new ModelOptionsMixin();

    @Option(names = "--fetch", paramLabel = "OP[:k]", description = "Also print this op's output (repeatable).")
    List<String> fetch = new ArrayList<>();

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the outputs as JSON to FILE.")
    Path json;

    public RunCommand(Contributions contributions) {
        this.contributions = contributions;
    }

    @Override
    public Integer call() throws ModelLoadException, BackendException, IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ConsoleProgressMonitor monitor = options.monitor(err);
        try {
            return execute(out, err, monitor);
        } catch (OperationCanceledException e) {
            throw options.stopped(monitor, e);
        } finally {
            monitor.done();
        }
    }

    private int execute(PrintWriter out, PrintWriter err, ConsoleProgressMonitor monitor)
            throws ModelLoadException, BackendException, IOException {
        SubMonitor progress = SubMonitor.convert(monitor, 10);
        try (PreparedRun run = PreparedRun.prepare(contributions, options, err, progress.split(4))) {
            List<String> wanted = new ArrayList<>(run.signature.outputs().stream().map(o -> o.tensor().name()).toList());
            wanted.addAll(fetch);
            Map<String, TensorData> results;
            try {
                results = run.session.fetch(run.inputs.feeds(), wanted, Map.of(), progress.split(6));
            } catch (BackendException e) {
                throw run.withShapeNotes(e);
            }
            JsonObject root = new JsonObject();
            root.addProperty("model", run.graph().source().toString());
            root.addProperty("signature", run.signature.key());
            JsonArray outputs = new JsonArray();
            Map<String, String> undefined = UndefinedOutputs.of(run.graph());
            for (TensorData t : results.values()) {
                String key = run.signature.outputs().stream().filter(o -> o.tensor().name().equals(t.name()))
                        .map(SignatureTensor::key).findFirst().orElse(t.name());
                out.print(key.equals(t.name()) ? "" : key + " = ");
                TensorPrinter.print(out, t);
                JsonObject o = TensorPrinter.json(t);
                o.addProperty("key", key);
                String why = undefined.get(t.name());
                if (why != null) {
                    out.println("  note: " + why);
                    o.addProperty("note", why);
                }
                outputs.add(o);
            }
            root.add("outputs", outputs);
            if (json != null) {
                Files.writeString(json, JsonNumbers.gson().create().toJson(root));
            }
        }
        return 0;
    }

}
