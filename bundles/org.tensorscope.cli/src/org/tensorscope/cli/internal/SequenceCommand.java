package org.tensorscope.cli.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.report.NanReport;
import org.tensorscope.core.report.Numbers;
import org.tensorscope.core.run.NanTracer;
import org.tensorscope.core.sequence.DriftFinding;
import org.tensorscope.core.sequence.JitterStats;
import org.tensorscope.core.sequence.NanFinding;
import org.tensorscope.core.sequence.SequenceFindings;
import org.tensorscope.core.sequence.SequencePlan;
import org.tensorscope.core.sequence.SequenceResult;
import org.tensorscope.core.sequence.SequenceRunner;
import org.tensorscope.core.sequence.SequenceSetup;
import org.tensorscope.core.sequence.SequenceStep;
import org.tensorscope.core.sequence.ValueSummary;
import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.Contributions;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.report.NanReportSections;
import org.tensorscope.report.SequenceReportHtml;
import org.tensorscope.report.SequenceReportJson;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tensorscope sequence MODEL --frames ... [--feedback A=B]...}: runs a model step by step over a sequence
 * of frames, outputs feeding the next step's inputs, and reports where NaN/Inf first appears, drift and jitter.
 * Exit code 0 when nothing was found, 3 on NaN/Inf or drift, 2 on a usage or model error.
 */
@Command(name = "sequence", description = {
        "Run a model over a sequence of frames, step by step, feeding outputs back to inputs, and find the first step "
                + "and op where NaN or infinity appears, outputs or states that drift, and how much outputs jitter.",
        "Exit code: 0 nothing found, 3 NaN/Inf or drift found, 2 usage or model error." })
public class SequenceCommand implements Callable<Integer> {

    private static final int COLUMN = 11;
    private static final int MAX_COLUMNS = 10;

    private final Contributions contributions;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptionsMixin options = new ModelOptionsMixin();

    @Option(names = "--frames", paramLabel = "[NAME=]DIR|FILE.npy|GENERATED", description = {
            "The frames: a folder of PNG/JPEG images sorted by name (with a preprocessing chain: frames/?scale=1/255),",
            "a .npy file whose first axis is time, or a generated source: ramp, const:V, uniform:LO:HI[:SEED]...",
            "Append *K^t to scale frame t by K^t (ramp*1.5^t), +noise:STD[:SEED] for fresh noise each step,",
            "@DIMS for a shape the model leaves unknown. NAME is the input (default: the first not fed otherwise)." })
    String frames;

    @Option(names = "--feedback", paramLabel = "A=B", description = {
            "Feed an output of step t to an input of step t+1: OUTPUT=INPUT (r1o=r1i), or INPUT=EXPRESSION over the",
            "outputs with + - * / clip(x,lo,hi) min max abs (box=clip(Identity_1, 0, 1)). Repeatable.",
            "A fed input starts from its --input source, or zeros." })
    List<String> feedback = new ArrayList<>();

    @Option(names = "--steps", paramLabel = "N", description = "Steps to run (default: every frame of a folder or .npy; "
            + SequenceSetup.DEFAULT_GENERATED_STEPS + " for generated frames).")
    int steps;

    @Option(names = "--drift-factor", paramLabel = "F", description = "Growth over the starting norm that counts as drift (default: 10).")
    double driftFactor = SequencePlan.DEFAULT_DRIFT_FACTOR;

    @Option(names = "--mode", paramLabel = "curt|concise|full", description = "What each step's health pass computes per tensor (default: full, which gives every op's max|x|).")
    String mode = "full";

    @Option(names = "--report", paramLabel = "FILE", description = "Write the report to FILE: .json or .html.")
    Path report;

    @Option(names = "--json", description = "Print the result as JSON on stdout instead of the table.")
    boolean json;

    public SequenceCommand(Contributions contributions) {
        this.contributions = contributions;
    }

    @Override
    public Integer call() throws ModelLoadException, BackendException, IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HealthMode healthMode = HealthMode.parse(mode);
        ReportFile.check(report);
        if (steps < 0) {
            throw new IllegalArgumentException("--steps " + steps + ": give a number of steps above 0");
        }
        if (frames == null && feedback.isEmpty()) {
            throw new IllegalArgumentException("sequence: give the frames with --frames, or --feedback for a run "
                    + "driven by its own outputs");
        }
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
        try (LoadedModel model = contributions.open(options.model, progress.split(2))) {
            options.checkSideEffects(model.graph());
            Signature signature = options.signature(model.graph());
            SequencePlan plan;
            try {
                plan = SequenceSetup.plan(signature, frames, feedback, options.inputs, options.shapes, steps,
                        healthMode, driftFactor, options.device);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(model.graph().source() + ": " + e.getMessage(), e);
            }
            plan.initial().health().forEach(h -> h.problems().forEach(p -> err.println("warning: " + p)));
            try (InferenceSession session = contributions.backendFor(model).open(model, options.device())) {
                if (!session.deviceNote().isEmpty()) {
                    err.println(session.deviceNote());
                }
                SequenceResult result;
                try {
                    result = new SequenceRunner(new NanTracer(contributions.causeRules())).run(model.graph(), signature,
                            session, plan, progress.split(8));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(model.graph().source() + ": " + e.getMessage(), e);
                }
                if (result.cancelled() && result.steps().isEmpty()) {
                    throw new OperationCanceledException(result.stopped());
                }
                if (json) {
                    out.println(SequenceReportJson.toJson(result));
                } else {
                    print(out, result);
                }
                if (report != null) {
                    ReportFile.write(report, result, SequenceReportHtml::toHtml, SequenceReportJson::toJson);
                    (json ? err : out).println("Report:      " + report);
                }
                if (result.cancelled()) {
                    // the steps that ran, and a NaN found before its trace was stopped, are shown above
                    err.println("tensorscope: " + options.stopped(monitor, new OperationCanceledException(result.stopped()))
                            .getMessage());
                }
                return exitCode(result);
            }
        }
    }

    /** 3 when something was found (even in a run that was stopped), 2 for a run stopped before, else 0. */
    static int exitCode(SequenceResult r) {
        if (r.findings().any()) {
            return TraceCommand.EXIT_ANOMALY;
        }
        return r.cancelled() ? TensorscopeCommand.EXIT_USAGE : 0;
    }

    static void print(PrintWriter out, SequenceResult r) {
        out.println("Model:       " + r.model() + " (" + r.format() + ", signature " + r.signature() + ")");
        if (r.frames() != null) {
            out.println("Frames:      " + r.framesInput() + " = " + r.frames());
        }
        if (!r.feedback().isEmpty()) {
            out.println("Feedback:    " + String.join(", ", r.feedback()));
        }
        out.println("Steps:       " + r.steps().size() + " of " + r.stepsAsked() + " ran"
                + (r.complete() ? "" : " (" + r.stopped() + ")"));
        table(out, r);
        findings(out, r);
    }

    /** Norms of the states (as fed) and outputs per step; a step holding NaN/Inf is marked. */
    private static void table(PrintWriter out, SequenceResult r) {
        List<String[]> columns = new ArrayList<>();
        r.stateNames().forEach(n -> columns.add(new String[] { "state", n }));
        r.outputNames().forEach(n -> columns.add(new String[] { "output", n }));
        List<String[]> shown = columns.subList(0, Math.min(columns.size(), MAX_COLUMNS));
        out.println("Norms (L2) over steps" + (r.stateNames().isEmpty() ? "" : ", states as fed to the step")
                + (shown.size() < columns.size() ? "; " + (columns.size() - shown.size()) + " more in --report/--json" : "")
                + ":");
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%5s", "step"));
        for (String[] c : shown) {
            String name = c[0].equals("state") ? c[1] + "*" : c[1];
            header.append(' ').append(pad(name.length() > COLUMN ? name.substring(0, COLUMN - 1) + "~" : name));
        }
        out.println(header + (r.stateNames().isEmpty() ? "" : "   (* state)"));
        for (SequenceStep step : r.steps()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%5d", step.index()));
            for (String[] c : shown) {
                ValueSummary v = (c[0].equals("state") ? step.state(c[1]) : step.output(c[1])).orElse(null);
                line.append(' ').append(pad(v == null ? "-" : norm(v)));
            }
            if (step.hasNonFinite()) {
                line.append("  <- NaN/Inf");
            }
            out.println(line);
        }
    }

    private static String norm(ValueSummary v) {
        if (v.nonFinite() > 0) {
            return v.nan() > 0 ? "NaN" : "Inf";
        }
        return brief(v.norm());
    }

    /** Four significant digits without trailing zeros: 100, 10.83, 2.5e+38. */
    static String brief(double v) {
        if (!Double.isFinite(v)) {
            return Numbers.format(v);
        }
        String text = String.format(Locale.ROOT, "%.4g", v);
        int exponent = text.indexOf('e');
        String mantissa = exponent < 0 ? text : text.substring(0, exponent);
        if (mantissa.contains(".")) {
            mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return exponent < 0 ? mantissa : mantissa + text.substring(exponent);
    }

    private static String pad(String text) {
        return String.format(Locale.ROOT, "%" + COLUMN + "s", text);
    }

    private static void findings(PrintWriter out, SequenceResult r) {
        NanFinding nan = r.findings().nan();
        if (nan == null) {
            String unchecked = r.uncheckedText();
            out.println("NaN/Inf:     none in the checked tensors of " + r.steps().size() + " steps"
                    + (unchecked.isEmpty() ? "" : "; " + unchecked));
        } else {
            out.println("NaN/Inf:     first at step " + nan.step() + ": " + nan.op() + " (" + nan.opType() + ")"
                    + (nan.kind() == null ? "" : ", " + NanReportSections.OriginSection.blame(nan.kind())));
            NanReport.Origin origin = nan.report() == null ? null : nan.report().origin();
            if (origin != null && origin.cause() != null) {
                out.println("  Cause:     " + origin.cause().description() + " [" + origin.cause().rule() + "]");
                out.println("  Fix:       " + origin.cause().suggestion());
            }
            if (nan.report() == null) {
                out.println("  Trace:     stopped before it found the origin (" + r.stopped() + "); `tensorscope trace` on"
                        + " step " + nan.step() + "'s inputs finds it");
            } else {
                out.println("  Trace:     the NaN trace of step " + nan.step() + " is in the --report");
            }
        }
        if (r.findings().drift().isEmpty()) {
            out.println("Drift:       no output or state grew beyond " + brief(r.driftFactor()) + "x its starting norm");
        }
        for (DriftFinding d : r.findings().drift()) {
            out.println("Drift:       " + d.name() + " (" + d.kind() + ") passed " + brief(d.factor()) + "x its step-"
                    + d.baseStep() + " norm at step " + d.step() + " (" + brief(d.baseNorm()) + " -> " + brief(d.norm())
                    + ", x" + brief(d.growthPerStep()) + " per step)" + (d.op() == null ? ""
                            : "; first " + (r.unchecked().isEmpty() ? "" : "checked ") + "op past " + brief(d.factor()) + "x: " + d.op() + " (" + d.opType() + ") at step "
                                    + d.opStep()));
        }
        for (JitterStats j : r.findings().jitter()) {
            if (j.changes() == 0) {
                continue;
            }
            out.println("Jitter:      " + j.output() + ": mean change " + brief(j.meanChange()) + " per step (max "
                    + brief(j.maxChange()) + " at step " + j.maxChangeStep() + "); " + j.filter() + " leaves "
                    + brief(j.filteredMeanChange()) + " (" + (Double.isNaN(j.reduction()) ? "no change to reduce"
                            : String.format(Locale.ROOT, "%+.0f%%", -100 * j.reduction()))
                    + "), mean lag " + brief(j.meanLag()));
        }
        for (SequenceFindings.NotWatched n : r.findings().notWatched()) {
            out.println("Left out:    " + n.name() + " (" + n.kind() + "): " + n.reason());
        }
        if (!r.fidelityText().isEmpty()) {
            out.println("Runtime:     " + r.fidelityText());
        }
        if (!r.rerunText().isEmpty()) {
            out.println("Re-run:      " + r.rerunText());
        }
    }
}
