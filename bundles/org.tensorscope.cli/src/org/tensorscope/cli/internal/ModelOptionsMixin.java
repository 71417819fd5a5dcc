package org.tensorscope.cli.internal;

import java.nio.file.Path;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.OperationCanceledException;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.SideEffectOps;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.service.Device;

import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The options {@code run} and {@code trace} share: the model, its signature, inputs and device.
 */
public class ModelOptionsMixin {

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model file or SavedModel folder.")
    Path model;

    @Option(names = "--signature", paramLabel = "S", description = "The signature to run (default: serving_default or the first).")
    String signature;

    @Option(names = "--input", paramLabel = "[NAME=]SOURCE", description = {
            "A source for an input: ramp, zeros, const:V, uniform:LO:HI[:SEED], normal:MEAN:STD[:SEED], a .npy file,",
            "or an image with a preprocessing chain, e.g. photo.png?scale=1/255&clip=0:1&mean=0.5&std=0.5&order=bgr.",
            "Append *K to scale any source, e.g. ramp*1e38, and @DIMS to give a shape the model leaves unknown,",
            "e.g. ramp@1x512. NAME may carry a name scope (input/x-input). Inputs not given get ramp." })
    List<String> inputs = new ArrayList<>();

    @Option(names = "--shape", paramLabel = "NAME=DIMS", description = "The shape to feed an input whose dimensions the model leaves unknown, e.g. --shape r1i=1x1x1x1 (repeatable).")
    Map<String, String> shapes = new LinkedHashMap<>();

    @Option(names = "--device", paramLabel = "cpu|gpu", description = "Where to run (default: cpu). Without a GPU, gpu runs on the CPU and says so.")
    String device = "cpu";

    @Option(names = "--allow-side-effects", description = "Run models holding ops that read or write files or call Python.")
    boolean allowSideEffects;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Stop after this many seconds, loading included (default: no limit).")
    Double timeout;

    @Option(names = "--verbose", description = "Show stack traces of errors.")
    boolean verbose;

    /** The progress monitor of a run, cancelled when the --timeout passes. */
    ConsoleProgressMonitor monitor(PrintWriter err) {
        if (timeout == null) {
            return new ConsoleProgressMonitor(err);
        }
        if (!(timeout > 0)) {
            throw new IllegalArgumentException("--timeout " + timeout + ": give a number of seconds above 0");
        }
        return new ConsoleProgressMonitor(err, System.currentTimeMillis() + Math.round(timeout * 1000));
    }

    /** What to report for a run that stopped: a timeout in words, otherwise the cancellation itself. */
    RuntimeException stopped(ConsoleProgressMonitor monitor, OperationCanceledException e) {
        if (!monitor.timedOut()) {
            return e;
        }
        String task = monitor.task().isEmpty() ? "" : " while " + monitor.task().toLowerCase(java.util.Locale.ROOT);
        return new IllegalArgumentException(model + ": stopped after the --timeout of " + seconds(timeout) + " s" + task);
    }

    private static String seconds(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    Device device() {
        return Device.parse(device);
    }

    Signature signature(ModelGraph graph) {
        if (signature == null) {
            return graph.defaultSignature().orElseThrow(
                    () -> new IllegalArgumentException(graph.source() + ": the model has no signature to run"));
        }
        return graph.signature(signature).orElseThrow(() -> new IllegalArgumentException(graph.source()
                + ": no signature '" + signature + "'; the model has "
                + graph.signatures().stream().map(Signature::key).collect(Collectors.joining(", "))));
    }

    /** Refuses, in headless mode, models that reach outside themselves unless allowed. */
    void checkSideEffects(ModelGraph graph) {
        if (!allowSideEffects) {
            SideEffectOps.refusal(graph).ifPresent(message -> {
                throw new IllegalArgumentException(message);
            });
        }
    }
}
