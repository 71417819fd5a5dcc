package org.tensorscope.cli.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.tensorscope.core.report.CoverageText;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.run.NanTracer;
import org.tensorscope.core.run.TraceOutcome;
import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.Contributions;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.report.ReportHtml;
import org.tensorscope.report.ReportJson;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tensorscope trace MODEL ...}: finds where NaN/Inf starts and why. Exit code 0 when every
 * tensor is finite, 3 when an anomaly was found, 2 on a usage or model error.
 */
@Command(name = "trace", description = { "Run a model checking every tensor, and find the op where NaN or infinity "
        + "starts, why, and how to fix it.", "Exit code: 0 all finite, 3 anomaly found, 2 usage or model error." })
public class TraceCommand implements Callable<Integer> {

    public static final int EXIT_ANOMALY = 3;

    private final Contributions contributions;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptionsMixin options = new ModelOptionsMixin();

    @Option(names = "--mode", paramLabel = "curt|concise|full", description = "What the health pass computes per tensor (default: full).")
    String mode = "full";

    @Option(names = "--report", paramLabel = "FILE", description = "Write the report to FILE: .json or .html.")
    Path report;

    public TraceCommand(Contributions contributions) {
        this.contributions = contributions;
    }

    @Override
    public Integer call() throws ModelLoadException, BackendException, IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HealthMode healthMode = HealthMode.parse(mode);
        if (report != null && !report.toString().endsWith(".json") && !report.toString().endsWith(".html")) {
            throw new IllegalArgumentException("--report " + report + ": the file name must end in .json or .html");
        }
        ConsoleProgressMonitor monitor = options.monitor(err);
        try {
            return execute(out, err, monitor, healthMode);
        } catch (OperationCanceledException e) {
            throw options.stopped(monitor, e);
        }
    }

    private int execute(PrintWriter out, PrintWriter err, ConsoleProgressMonitor monitor, HealthMode healthMode)
            throws ModelLoadException, BackendException, IOException {
        SubMonitor progress = SubMonitor.convert(monitor, 10);
        try (PreparedRun run = PreparedRun.prepare(contributions, options, err, progress.split(3))) {
            TraceOutcome outcome;
            try {
                outcome = new NanTracer(contributions.causeRules()).trace(run.graph(), run.signature, run.session,
                        run.inputs, Map.of(), healthMode, options.device, progress.split(7));
            } catch (BackendException e) {
                throw run.withShapeNotes(e);
            }
            print(out, outcome.report());
            if (report != null) {
                Files.writeString(report, report.toString().endsWith(".html") ? ReportHtml.toHtml(outcome.report())
                        : ReportJson.toJson(outcome.report()));
                out.println("Report:      " + report);
            }
            return outcome.report().finite() ? 0 : EXIT_ANOMALY;
        }
    }

    private static void print(PrintWriter out, NanReport r) {
        out.println("Model:       " + r.model() + " (" + r.format() + ", signature " + r.signature() + ")");
        for (NanReport.InputHealth input : r.inputs()) {
            NanReport.TensorSummary values = input.summary();
            out.println("Input:       " + input.name() + " = " + input.source() + (values.dtype().equals("string")
                    ? "  " + values.count() + " string(s) " + values.shape()
                    : "  range [" + TensorPrinter.num(values.min()) + ", " + TensorPrinter.num(values.max()) + "]"));
            input.problems().forEach(p -> out.println("  warning:   " + p));
        }
        if (!r.weights().isEmpty()) {
            out.println("Weights:     " + r.weights().size() + " hold NaN/Inf: " + r.weights().stream()
                    .map(w -> w.op() + " (" + w.nonFinite() + ")").collect(Collectors.joining(", ")));
        }
        out.println("Checked:     " + CoverageText.verdict(r));
        if (r.finite()) {
            out.println("Result:      " + (r.complete() ? "every tensor is finite"
                    : "every checked tensor is finite; " + r.unchecked().size() + " could not be checked"));
            printFidelity(out, r);
            return;
        }
        NanReport.Origin o = r.origin();
        out.println("Origin:      " + o.op() + " (" + o.type() + ")" + CoverageText.loopText(o) + ", " + switch (o.kind()) {
            case "input" -> "the input already holds NaN/Inf";
            case "weights" -> "the weights already hold NaN/Inf";
            default -> "computed from finite inputs";
        });
        if (o.cause() != null) {
            out.println("Cause:       " + o.cause().description() + " [" + o.cause().rule() + "]");
            for (NanReport.Value v : o.cause().offendingValues()) {
                out.println("  input " + v.input() + " at " + v.position() + " = " + TensorPrinter.num(v.value()));
            }
            out.println("Fix:         " + o.cause().suggestion());
        } else {
            out.println("Cause:       no rule recognised this case; see the inputs below");
        }
        for (NanReport.TensorSummary s : o.opInputs()) {
            out.println("  " + s.tensor() + " " + s.dtype() + s.shape() + " min " + TensorPrinter.num(s.min()) + " max "
                    + TensorPrinter.num(s.max()) + " NaN " + s.nan() + " Inf " + (s.negInf() + s.posInf()));
        }
        out.println("First ±Inf:  " + (o.firstInfOp() == null ? "none" : o.firstInfOp()));
        out.println("First NaN:   " + (o.firstNanOp() == null ? "none" : o.firstNanOp()));
        if (o.firstNanCause() != null) {
            out.println("  then:      " + o.firstNanCause().description() + " [" + o.firstNanCause().rule() + "]");
            if (o.cause() == null || !o.firstNanCause().suggestion().equals(o.cause().suggestion())) {
                out.println("  then fix:  " + o.firstNanCause().suggestion());
            }
        }
        for (NanReport.Origin other : r.otherOrigins()) {
            out.println("Also origin: " + other.op() + " (" + other.type() + ")" + CoverageText.loopText(other)
                    + ", independent of the first: it needs its own fix");
            if (other.cause() != null) {
                out.println("  Cause:     " + other.cause().description() + " [" + other.cause().rule() + "]");
                for (NanReport.Value v : other.cause().offendingValues()) {
                    out.println("    input " + v.input() + " at " + v.position() + " = " + TensorPrinter.num(v.value()));
                }
                out.println("  Fix:       " + other.cause().suggestion());
            } else {
                out.println("  Cause:     no rule recognised this case");
            }
        }
        if (!r.propagation().isEmpty()) {
            out.println("Propagates:  " + r.propagation().size() + " later ops, e.g. "
                    + String.join(" -> ", r.propagation().subList(0, Math.min(5, r.propagation().size()))));
        }
        printFidelity(out, r);
    }

    private static void printFidelity(PrintWriter out, NanReport r) {
        if (r.fidelity() != null && !r.fidelity().agree()) {
            out.println("Runtime:     " + r.fidelity().explanation());
        }
    }
}
