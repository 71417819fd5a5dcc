package org.tensorscope.ui.internal.session;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.core.runtime.jobs.ISchedulingRule;
import org.eclipse.core.runtime.jobs.Job;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.tensor.TensorData;

/**
 * Runs a freshly opened model once in the background (a plain run and the health pass of its run
 * configuration's mode, on the configured inputs), so that TensorFlow has built and optimised the graphs of the user's first Run
 * by the time it is asked for. A system job of low priority: it shows only in the Progress view, and
 * any job the user starts on the model cancels it first, so that it waits at most for the warm-up's
 * run under way (which it would have to make itself on a cold session). Its result is thrown away;
 * the session it opened is handed on for the next runs.
 */
final class ModelWarmUp {

    /** The family of warm-up jobs (not {@link SessionJobs#FAMILY}: nobody waits for them). */
    static final Object FAMILY = new Object();

    private final ISchedulingRule modelRule;
    private final UiContributions contributions;
    private Job job;

    ModelWarmUp(ISchedulingRule modelRule, UiContributions contributions) {
        this.modelRule = modelRule;
        this.contributions = contributions;
    }

    /**
     * Warms the model in a job after any other job on it, on the session kept for it or else on a
     * new one, which it offers to the next jobs (also when it is cancelled or fails);
     * {@code toClose} gets a session nobody took.
     */
    void schedule(LoadedModel model, ModelSessions sessions, RunConfiguration config,
            Map<String, TensorData> overrides, Consumer<InferenceSession> toClose) {
        cancel();
        String name = "Warming up " + model.graph().source().getFileName();
        Job warm = new Job(name) {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                SubMonitor progress = SubMonitor.convert(monitor, name, 10);
                InferenceSession reusable = sessions.reusable(model, config.device());
                InferenceSession session = reusable;
                try {
                    Signature signature = DebugSession.signatureOf(model.graph(), config);
                    PreparedInputs inputs = PreparedInputs.prepare(signature, config.inputSources());
                    List<String> outputs = signature.outputs().stream().map(o -> o.tensor().name()).toList();
                    progress.checkCanceled();
                    if (session == null) {
                        session = contributions.contributions().backendFor(model).open(model, config.device());
                    }
                    // a cancel stops it between its runs, never inside one: a TensorFlow run in the worker
                    // process is only interrupted by stopping the worker, and the open model with it
                    IProgressMonitor uninterrupted = new NullProgressMonitor();
                    progress.split(1);
                    session.fetch(inputs.feeds(), outputs, overrides, uninterrupted);
                    progress.split(3);
                    // the mode the user's Run will use: each mode has graphs (and FULL a session) of its own
                    session.healthPass(inputs.feeds(), outputs, config.mode(), overrides, uninterrupted);
                    progress.split(6);
                    return Status.OK_STATUS;
                } catch (OperationCanceledException e) {
                    return Status.CANCEL_STATUS;
                } catch (Exception e) {
                    // the user's Run meets the same problem and says it; the warm-up only notes it
                    ILog.of(ModelWarmUp.class).info(name + " stopped: " + e.getMessage());
                    return Status.CANCEL_STATUS;
                } finally {
                    if (session != null && session != reusable) {
                        InferenceSession unused = sessions.offer(model, session, config.device());
                        if (unused != null) {
                            toClose.accept(unused);
                        }
                    }
                }
            }

            @Override
            public boolean belongsTo(Object family) {
                return family == FAMILY;
            }
        };
        warm.setSystem(true);
        warm.setPriority(Job.DECORATE);
        warm.setRule(modelRule);
        job = warm;
        warm.schedule();
    }

    /** A job of the user's comes: the warm-up stops at its next step. */
    void cancel() {
        if (job != null) {
            job.cancel();
            job = null;
        }
    }
}
