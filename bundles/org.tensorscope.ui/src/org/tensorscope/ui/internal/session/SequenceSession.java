package org.tensorscope.ui.internal.session;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.e4.core.services.events.IEventBroker;
import org.eclipse.swt.widgets.Display;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.tensorscope.core.DebugTopics;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.run.NanTracer;
import org.tensorscope.core.sequence.Feedback;
import org.tensorscope.core.sequence.FrameSources;
import org.tensorscope.core.sequence.SequencePlan;
import org.tensorscope.core.sequence.SequenceResult;
import org.tensorscope.core.sequence.SequenceRunner;
import org.tensorscope.core.sequence.SequenceSetup;
import org.tensorscope.core.trace.HealthMode;
import org.tensorscope.ui.api.SequenceState;

/**
 * The workbench's last sequence run of the open model, and which of its steps the other views
 * show: a step is shown by running the model again on the inputs the sequence kept for it, which
 * then is the debugging session's current run.
 */
@Component(immediate = true, service = {SequenceState.class, SequenceSession.class})
public final class SequenceSession implements SequenceState {

    @Reference
    private EventAdmin events;

    @Reference
    private DebugSession debug;
    @Reference
    private UiContributions contributions;
    @Reference
    private RunNotices notices;

    private ModelGraph graph;
    private Signature signature;
    private SequencePlan plan;
    private SequenceResult result;
    private SequenceSettings settings = SequenceSettings.defaults();
    /** The step last asked for, and the run showing it while it runs: stepping on counts from there. */
    private int requested = -1;
    private Job pending;
    /** The current run when that step was asked for: the step has landed once the run differs. */
    private Object runBefore;
    /** The most bytes of fed-back values a run keeps for showing its steps again. */
    private long keptInputBytes = SequenceRunner.DEFAULT_KEPT_BYTES;

    public SequenceSession() {
        // created by the OSGi component runtime
    }

    /** The last sequence run of the open model; empty when none ran since it opened. */
    @Override
    public Optional<SequenceResult> result() {
        return result != null && debug.graph().filter(g -> g == graph).isPresent() ? Optional.of(result)
                : Optional.empty();
    }

    /**
     * Sets the most bytes of fed-back values the next runs keep for showing their steps again (past it the oldest
     * steps' are let go and those steps can no longer be shown).
     */
    public void keepInputBytes(long bytes) {
        keptInputBytes = bytes;
    }

    /** What the last Run Sequence… asked for. */
    public SequenceSettings settings() {
        return settings;
    }

    /** The step the other views show, when the current run is a step of the shown sequence. */
    @Override
    public OptionalInt shownStep() {
        return result().isPresent() ? debug.step() : OptionalInt.empty();
    }

    /** What is wrong with settings for this signature, in one sentence; null when they can run. */
    public static String problemOf(Signature signature, SequenceSettings settings) {
        try {
            for (String text : settings.feedback()) {
                Feedback rule = Feedback.parse(text, signature);
                if (!settings.frames().isBlank() && rule.input().key().equals(settings.input())) {
                    return "Input " + settings.input() + " takes the frames and is fed back by '" + text
                            + "': let the frames feed another input";
                }
            }
            if (!settings.frames().isBlank()) {
                FrameSources.parse(settings.frames());
            }
            return null;
        } catch (IllegalArgumentException | IOException e) {
            return e.getMessage();
        }
    }

    /**
     * Runs the open model over the sequence in a job (Run > Cancel stops it, keeping the steps run);
     * the result replaces the last one, and the first step where NaN/Inf appeared, else where drift
     * showed, becomes the current run.
     */
    public Job run(SequenceSettings asked) {
        this.settings = asked;
        long budget = keptInputBytes;
        return debug.modelJob("Running the sequence", (model, session, configuration, monitor) -> {
            ModelGraph runGraph = model.graph();
            Signature runSignature = DebugSession.signatureOf(runGraph, configuration);
            String frames = asked.frames().isBlank() ? null
                    : asked.input().isEmpty() ? asked.frames() : asked.input() + "=" + asked.frames();
            List<String> inputs = new ArrayList<>();
            for (String text : configuration.inputSources()) {
                // the frames replace whatever the configuration feeds their input
                if (asked.input().isEmpty() || !text.startsWith(asked.input() + "=")) {
                    inputs.add(text);
                }
            }
            String device = configuration.device().name().toLowerCase(java.util.Locale.ROOT);
            // the per-op max|x| of the chart needs the full health summary
            SequencePlan runPlan = SequenceSetup.plan(runSignature, frames, asked.feedback(), inputs, Map.of(),
                    asked.steps(), HealthMode.FULL, SequencePlan.DEFAULT_DRIFT_FACTOR, device);
            SequenceResult ran = new SequenceRunner(new NanTracer(contributions.contributions().causeRules()), budget).run(runGraph,
                    runSignature, session, runPlan, monitor);
            if (ran.cancelled()) {
                notices.report("Sequence of " + runGraph.source().getFileName() + " " + ran.stopped()
                        + (ran.steps().isEmpty() ? "" : "; the steps run are shown"));
                if (ran.steps().isEmpty()) {
                    return Status.CANCEL_STATUS;
                }
            }
            Display.getDefault().asyncExec(() -> {
                if (debug.graph().filter(g -> g == runGraph).isEmpty()) {
                    return;
                }
                graph = runGraph;
                signature = runSignature;
                plan = runPlan;
                result = ran;
                post();
                int land = ran.findings().nan() != null ? ran.findings().nan().step()
                        : ran.findings().drift().isEmpty() ? -1 : ran.findings().drift().get(0).step();
                if (land >= 0 && !ran.cancelled()) {
                    show(land);
                }
            });
            return ran.cancelled() ? Status.CANCEL_STATUS : Status.OK_STATUS;
        });
    }

    /**
     * Makes a step the current run: every view shows that step's values. Null when there is no such step, or when
     * the step can no longer be run again (its fed-back values were let go): the status line then says why.
     */
    @Override
    public Job show(int step) {
        if (result().isEmpty() || result.step(step).isEmpty()) {
            return null;
        }
        SequencePlan shownPlan = plan;
        var shown = result.step(step).get();
        if (!shown.inputs().canRerun()) {
            notices.report(shown.inputs().whyNot());
            return null;
        }
        Job job = debug.runStep(step, s -> SequenceRunner.inputsOf(signature, shownPlan, shown));
        requested = step;
        pending = job;
        runBefore = debug.outcome().orElse(null);
        post();
        return job;
    }

    /** Shows the next step (Alt+F6); the first when none is shown. */
    public Job next() {
        OptionalInt from = current();
        return result().map(r -> show(from.isPresent() ? Math.min(r.steps().size() - 1, from.getAsInt() + 1) : 0))
                .orElse(null);
    }

    /** Shows the previous step (Alt+Shift+F6); the last when none is shown. */
    public Job previous() {
        OptionalInt from = current();
        return result().map(r -> show(from.isPresent() ? Math.max(0, from.getAsInt() - 1) : r.steps().size() - 1))
                .orElse(null);
    }

    /** The step shown, or the one on its way when its run has not finished yet. */
    private OptionalInt current() {
        // the job may be done while its result still waits for the UI thread
        boolean landing = pending != null && (pending.getState() != Job.NONE || pending.getResult() != null
                && pending.getResult().isOK() && debug.outcome().orElse(null) == runBefore);
        if (landing && result().isPresent()) {
            return OptionalInt.of(requested);
        }
        return shownStep();
    }

    private void post() {
        // as IEventBroker.send does: synchronously, the data under IEventBroker.DATA
        events.sendEvent(new Event(DebugTopics.SEQUENCE, Map.of(IEventBroker.DATA, this)));
    }
}
