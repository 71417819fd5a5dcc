package org.tensorscope.cli.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.tensorscope.core.run.NanTracer;
import org.tensorscope.core.run.TraceOutcome;
import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.Contributions;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.report.ReportHtml;
import org.tensorscope.report.ReportJson;
import org.tensorscope.report.ReportText;

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
        ReportFile.check(report);
        ConsoleProgressMonitor monitor = options.monitor(err);
        try {
            return execute(out, err, monitor, healthMode);
        } catch (OperationCanceledException e) {
            throw options.stopped(monitor, e);
        } finally {
            monitor.done();
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
            out.print(ReportText.toText(outcome.report()));
            out.flush();
            if (report != null) {
                ReportFile.write(report, outcome.report(), ReportHtml::toHtml, ReportJson::toJson);
                out.println("Report:      " + report);
            }
            return outcome.report().finite() ? 0 : EXIT_ANOMALY;
        }
    }
}
