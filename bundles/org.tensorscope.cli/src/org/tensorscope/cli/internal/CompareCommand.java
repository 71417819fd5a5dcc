package org.tensorscope.cli.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.tensorscope.core.compare.ChannelLayout;
import org.tensorscope.core.compare.CompareOptions;
import org.tensorscope.core.compare.ComparedRun;
import org.tensorscope.core.compare.Comparison;
import org.tensorscope.core.compare.NameMap;
import org.tensorscope.core.compare.RunComparer;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.SignatureTensor;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.Contributions;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.report.CompareReportHtml;
import org.tensorscope.report.CompareReportJson;
import org.tensorscope.report.CompareReportText;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tensorscope compare A B ...}: runs two models (or one model on two inputs) and compares
 * them tensor by tensor, or compares two models' weights. Exit code 0 when they agree within the
 * tolerance, 3 when they diverge, 2 on a usage or model error.
 */
@Command(name = "compare", description = { "Run two models, or one model on two inputs, and compare them tensor by tensor: "
        + "the first op where they diverge beyond a tolerance, and the tensors with the largest errors. "
        + "With --weights-only, compare two models' weights (two checkpoints): which changed most, which holds NaN/Inf.",
        "Exit code: 0 no divergence, 3 diverged, 2 usage or model error." })
public class CompareCommand implements Callable<Integer> {

    public static final int EXIT_DIVERGED = 3;

    private final Contributions contributions;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptionsMixin options = new ModelOptionsMixin();

    @Parameters(index = "1", paramLabel = "B", description = "The model to compare with MODEL (A); the same file to compare two inputs.")
    Path modelB;

    @Option(names = "--input-b", paramLabel = "[NAME=]SOURCE", description = "An input for B, as --input (default: B is fed exactly A's input values).")
    List<String> inputsB = new ArrayList<>();

    @Option(names = "--tolerance", paramLabel = "T", description = "A tensor diverges where |a - b| > T * (1 + |a|) (default: 1e-4).")
    double tolerance = CompareOptions.DEFAULT_TOLERANCE;

    @Option(names = "--map", paramLabel = "FILE|A=B", description = "Pair names of A with names of B: a=b (an op or a tensor), or a file of such lines (repeatable).")
    List<String> maps = new ArrayList<>();

    @Option(names = "--weights-only", description = "Compare the two models' weights without running them.")
    boolean weightsOnly;

    @Option(names = "--top", paramLabel = "N", description = "How many tensors (or weights) to list by error (default: 10).")
    int top = 10;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the comparison to FILE: .json or .html.")
    Path report;

    @Option(names = "--json", description = "Print the comparison as JSON instead of text.")
    boolean json;

    public CompareCommand(Contributions contributions) {
        this.contributions = contributions;
    }

    @Override
    public Integer call() throws ModelLoadException, BackendException, IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ReportFile.check(report);
        if (top < 1) {
            throw new IllegalArgumentException("--top " + top + ": give a number of 1 or more");
        }
        if (weightsOnly && (!options.inputs.isEmpty() || !inputsB.isEmpty())) {
            throw new IllegalArgumentException("--weights-only runs neither model: leave out --input and --input-b");
        }
        CompareOptions compareOptions;
        try {
            compareOptions = new CompareOptions(tolerance, NameMap.parse(maps), weightsOnly);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().startsWith("--map") || e.getMessage().contains(" line ")
                    ? e.getMessage() : "--tolerance " + tolerance + ": give a number of 0 or more", e);
        }
        ConsoleProgressMonitor monitor = options.monitor(err);
        try {
            Comparison comparison = weightsOnly ? compareWeights(err, monitor, compareOptions)
                    : compareRuns(err, monitor, compareOptions);
            out.print(json ? CompareReportJson.toJson(comparison) : CompareReportText.toText(comparison, top));
            if (report != null) {
                ReportFile.write(report, comparison, CompareReportHtml::toHtml, CompareReportJson::toJson);
                if (!json) {
                    out.println("Report:           " + report);
                }
            }
            out.flush();
            return comparison.diverged() ? EXIT_DIVERGED : 0;
        } catch (OperationCanceledException e) {
            throw options.stopped(monitor, e);
        } finally {
            monitor.done();
        }
    }

    private Comparison compareWeights(PrintWriter err, ConsoleProgressMonitor monitor, CompareOptions compareOptions)
            throws ModelLoadException, BackendException {
        SubMonitor progress = SubMonitor.convert(monitor, 10);
        try (OpenedModel a = OpenedModel.open(contributions, options.model, options, err, progress.split(2));
                OpenedModel b = OpenedModel.open(contributions, modelB, options, err, progress.split(2))) {
            return new RunComparer().compare(new ComparedRun(a.model.graph(), null, a.session, Map.of(), List.of()),
                    new ComparedRun(b.model.graph(), null, b.session, Map.of(), List.of()), compareOptions,
                    progress.split(6));
        }
    }

    private Comparison compareRuns(PrintWriter err, ConsoleProgressMonitor monitor, CompareOptions compareOptions)
            throws ModelLoadException, BackendException, IOException {
        SubMonitor progress = SubMonitor.convert(monitor, 10);
        try (PreparedRun a = PreparedRun.prepare(contributions, options, err, progress.split(2));
                OpenedModel b = OpenedModel.open(contributions, modelB, options, err, progress.split(2))) {
            Signature signatureB = signatureOfB(b, a.signature);
            Map<String, TensorData> feedsB;
            List<String> describedB;
            if (inputsB.isEmpty()) {
                feedsB = sameInputs(a.signature, a.inputs.feeds(), signatureB, b.model.graph().source());
                describedB = signatureB.inputs().stream().map(i -> i.key() + " = A's values" + laidOut(i, feedsB,
                        a.inputs.feeds().values())).toList();
            } else {
                PreparedInputs prepared;
                try {
                    prepared = PreparedInputs.prepare(signatureB, inputsB, options.shapes);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(b.model.graph().source() + ": " + e.getMessage(), e);
                }
                prepared.health().forEach(h -> h.problems().forEach(p -> err.println("warning: B: " + p)));
                feedsB = prepared.feeds();
                describedB = described(prepared.health());
            }
            ComparedRun runA = new ComparedRun(a.graph(), a.signature, a.session, a.inputs.feeds(),
                    described(a.inputs.health()));
            ComparedRun runB = new ComparedRun(b.model.graph(), signatureB, b.session, feedsB, describedB);
            try {
                return new RunComparer().compare(runA, runB, compareOptions, progress.split(6));
            } catch (BackendException e) {
                throw a.withShapeNotes(e);
            }
        }
    }

    /** B runs the signature named by --signature when it has one, else its default. */
    private Signature signatureOfB(OpenedModel b, Signature ofA) {
        Optional<Signature> same = b.model.graph().signature(options.signature != null ? options.signature : ofA.key());
        return same.or(() -> b.model.graph().defaultSignature()).orElseThrow(() -> new IllegalArgumentException(
                b.model.graph().source() + ": the model has no signature to run"));
    }

    /** A's input values fed to B's inputs of the same key (or, when the keys differ, the same position). */
    static Map<String, TensorData> sameInputs(Signature a, Map<String, TensorData> feedsA, Signature b, Path modelB) {
        boolean sameKeys = b.inputs().stream().allMatch(i -> a.input(i.key()).isPresent());
        if (!sameKeys && a.inputs().size() != b.inputs().size()) {
            throw new IllegalArgumentException(modelB + ": its inputs (" + keys(b) + ") are not those of A (" + keys(a)
                    + "); give B its own with --input-b");
        }
        Map<String, TensorData> feeds = new LinkedHashMap<>();
        for (int i = 0; i < b.inputs().size(); i++) {
            SignatureTensor inputB = b.inputs().get(i);
            SignatureTensor inputA = sameKeys ? a.input(inputB.key()).orElseThrow() : a.inputs().get(i);
            TensorData data = feedsA.get(inputA.tensor().name());
            if (data == null) {
                continue;
            }
            if (data.dtype() == inputB.tensor().dtype()) {
                // a conversion to the other channel layout (NCHW to NHWC) takes A's image with its channels moved
                data = ChannelLayout.fitted(data, inputB.tensor().shape()).orElse(data);
            }
            if (data.dtype() != inputB.tensor().dtype() || !inputB.tensor().shape().accepts(data.shape())) {
                throw new IllegalArgumentException(modelB + ": input " + inputB.key() + " takes "
                        + inputB.tensor().dtype().displayName() + " " + inputB.tensor().shape() + ", A's input "
                        + inputA.key() + " is " + data.dtype().displayName() + " " + data.shape()
                        + "; give B its own with --input-b");
            }
            feeds.put(inputB.tensor().name(), new TensorData(inputB.tensor().name(), data.dtype(), data.shape(), data.bytes()));
        }
        return feeds;
    }

    /** ", in B's channel layout [1,224,224,3]" when B is fed A's values with their channels moved; empty otherwise. */
    private static String laidOut(SignatureTensor inputB, Map<String, TensorData> feedsB,
            java.util.Collection<TensorData> feedsA) {
        TensorData fed = feedsB.get(inputB.tensor().name());
        boolean asGiven = fed == null || feedsA.stream().anyMatch(a -> a.shape().equals(fed.shape()));
        return asGiven ? "" : ", in B's channel layout " + fed.shape();
    }

    private static String keys(Signature s) {
        return String.join(", ", s.inputs().stream().map(SignatureTensor::key).toList());
    }

    private static List<String> described(List<NanReport.InputHealth> inputs) {
        return inputs.stream().map(i -> i.name() + " = " + i.source()).toList();
    }
}
