package org.tensorscope.ui.internal.session;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.core.runtime.jobs.ISchedulingRule;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.e4.core.services.events.IEventBroker;
import org.eclipse.swt.widgets.Display;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.tensorscope.core.DebugTopics;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.SideEffectOps;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.run.NanTracer;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.run.TraceOutcome;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.Breakpoint;
import org.tensorscope.ui.api.RunState;
import org.tensorscope.ui.api.TensorscopePreferences;

/**
 * The workbench's debugging session: the open model and its last run. The stepping cursor and the
 * selected op are {@link SteppingFocus}'s, the run configuration and edits
 * {@link RunConfigurationStore}'s, the run's fetched tensors {@link RunTensorCache}'s. Long work
 * (loading, running) runs in jobs, one at a time on the model; results land on the UI thread,
 * which then posts a {@link DebugTopics} event. Views only read this state.
 */
@Component(immediate = true, service = {RunState.class, DebugSession.class})
public final class DebugSession implements RunState {

    /** Jobs touching the model or its session run one after another. */
    private final ISchedulingRule modelRule = new ISchedulingRule() {
        @Override
        public boolean contains(ISchedulingRule rule) {
            return rule == this;
        }

        @Override
        public boolean isConflicting(ISchedulingRule rule) {
            return rule == this;
        }
    };

    /** The family of the jobs Run > Cancel stops: loading, running and fetching. */
    public static final Object JOB_FAMILY = SessionJobs.FAMILY;
    /** The family of the background warm-up after a model opens; Run > Cancel and the user's jobs stop it. */
    public static final Object WARM_UP_FAMILY = ModelWarmUp.FAMILY;

    private LoadedModel model;
    private final ModelSessions sessions = new ModelSessions();
    private TraceOutcome outcome;
    @Reference
    private SteppingFocus focus;
    @Reference
    private RunConfigurationStore runConfigurations;
    @Reference
    private RunTensorCache tensors;
    @Reference
    private Breakpoints breakpoints;
    @Reference
    private UiContributions contributions;
    @Reference
    private RecentModels recentModels;
    @Reference
    private RunNotices notices;
    @Reference
    private EventAdmin events;
    private ModelWarmUp warmUp;
    /** Whether the open model holds ops that reach outside it: then nothing runs unless the user asks. */
    private boolean reachesOutside;
    /** The step of a sequence whose inputs the last run took, -1 for a run of the configured inputs. */
    private int step = -1;

    /** How a run makes its inputs for the signature it runs. */
    @FunctionalInterface
    public interface InputMaker {
        PreparedInputs prepare(Signature signature) throws IOException;
    }

    /** Work on the open model and its inference session, in a job after any other job on the model. */
    @FunctionalInterface
    public interface ModelWork {
        IStatus run(LoadedModel model, InferenceSession session, RunConfiguration configuration, IProgressMonitor monitor)
                throws Exception;
    }

    public DebugSession() {
        // created by the OSGi component runtime, registered as the session services
    }

    @Activate
    void activate() {
        warmUp = new ModelWarmUp(modelRule, contributions);
    }

    /** The rule of every job on the open model and its sessions: they run one after another. */
    public ISchedulingRule modelRule() {
        return modelRule;
    }

    @Override
    public Optional<ModelGraph> graph() {
        return Optional.ofNullable(model).map(LoadedModel::graph);
    }

    @Override
    public Optional<TraceOutcome> outcome() {
        return Optional.ofNullable(outcome);
    }

    public RunConfiguration configuration() {
        return runConfigurations.configuration();
    }

    /** Sets how the open model runs, and remembers it for the next time this model opens. */
    public void configure(RunConfiguration configuration) {
        runConfigurations.configure(configuration, model == null ? null : model.graph().source());
    }

    /** Tensors the next runs use instead of what the model computes (edited or clipped values). */
    public Map<String, TensorData> overrides() {
        return runConfigurations.overrides();
    }

    /** Replaces a tensor by edited values and runs again from there, landing on its op. */
    public Job continueWith(TensorData replacement) {
        runConfigurations.edit(replacement);
        return run(TensorSpec.opNameOf(replacement.name()));
    }

    /** Forgets every edited tensor; the next run computes them all again. */
    public void clearOverrides() {
        runConfigurations.clearOverrides();
    }

    /** Runs again with the same configuration and edits, staying on the op the cursor is on. */
    public Job rerun() {
        String at = focus.landing();
        return run(at);
    }

    @Override
    public Job open(Path path) {
        return open(path, null, false);
    }

    /**
     * Loads a model in a job; on success it replaces the open one, on failure nothing changes.
     * A null configuration means the one remembered for this model, else the defaults.
     */
    public Job open(Path path, RunConfiguration runConfiguration, boolean runWhenLoaded) {
        return open(String.valueOf(path.getFileName()), () -> path, runConfiguration, runWhenLoaded);
    }

    /** Where a model file is, found by the job that opens it (e.g. extracted from a bundle). */
    @FunctionalInterface
    public interface ModelFile {
        Path locate() throws IOException;
    }

    /** As {@link #open(Path, RunConfiguration, boolean)}, for a file the job locates first. */
    public Job open(String fileName, ModelFile file, RunConfiguration runConfiguration, boolean runWhenLoaded) {
        notices.clear();
        warmUp.cancel();
        Job job = SessionJobs.of("Opening " + fileName, monitor -> {
            SubMonitor progress = SubMonitor.convert(monitor, "Opening " + fileName, 10);
            Path path = null;
            try {
                path = file.locate();
                LoadedModel loaded = contributions.contributions().open(path, progress.split(10));
                Opened opened = opened(loaded, runConfiguration);
                Display.getDefault().asyncExec(() -> {
                    replaceModel(opened);
                    if (runWhenLoaded) {
                        run();
                    } else {
                        warmUp();
                    }
                });
                return Status.OK_STATUS;
            } catch (ModelLoadException e) {
                return failed("Open " + fileName, e.getMessage(), e);
            } catch (OperationCanceledException e) {
                notices.report("Opening " + fileName + " cancelled");
                return Status.CANCEL_STATUS;
            } catch (IOException e) {
                return failed("Open " + fileName, e.getMessage(), e);
            } catch (RuntimeException e) {
                return failed("Open " + fileName, (path == null ? fileName : path) + ": cannot be read: " + e, e);
            }
        });
        job.setUser(true);
        job.setRule(modelRule);
        job.schedule();
        return job;
    }

    /** A loaded model with what the workbench remembers of it, read in the job that loaded it. */
    private record Opened(LoadedModel loaded, RunConfiguration configuration, List<Breakpoint> breakpoints,
            boolean reachesOutside) {
    }

    /**
     * What opening a model reads and writes in the state folder (its remembered run configuration
     * and breakpoints, the recent models), done in the loading job: file writes wait for the disk.
     * A configuration given remembers itself for the model, as {@link #configure} does.
     */
    private Opened opened(LoadedModel loaded, RunConfiguration runConfiguration) {
        Path source = loaded.graph().source();
        RunConfiguration configuration = runConfiguration != null ? runConfiguration
                : runConfigurations.remembered(source).orElse(RunConfiguration.defaults());
        if (runConfiguration != null) {
            runConfigurations.remember(runConfiguration, source);
        }
        List<Breakpoint> remembered = breakpoints.remembered(source);
        recentModels.add(source);
        return new Opened(loaded, configuration, remembered, !SideEffectOps.in(loaded.graph()).isEmpty());
    }

    private void replaceModel(Opened opened) {
        closeModel();
        model = opened.loaded();
        sessions.open(model);
        reachesOutside = opened.reachesOutside();
        Path source = model.graph().source();
        runConfigurations.restore(opened.configuration());
        breakpoints.load(source, opened.breakpoints());
        post(DebugTopics.MODEL);
    }

    /**
     * Forgets the open model; its session and TensorFlow objects are closed by a job holding the
     * model rule, so that a fetch still running on them finishes first.
     */
    public void closeModel() {
        warmUp.cancel();
        LoadedModel oldModel = model;
        InferenceSession oldSession = sessions.close();
        model = null;
        outcome = null;
        tensors.drop();
        focus.clear();
        runConfigurations.clearOverrides();
        breakpoints.release();
        closeLater(oldModel, oldSession);
    }

    /** Closes TensorFlow objects in a job holding the model rule, after any job still using them. */
    private void closeLater(LoadedModel oldModel, InferenceSession oldSession) {
        if (oldModel == null && oldSession == null) {
            return;
        }
        Job close = Job.create("Closing the previous model", monitor -> {
            if (oldSession != null) {
                oldSession.close();
            }
            if (oldModel != null) {
                oldModel.close();
            }
        });
        close.setSystem(true);
        close.setRule(modelRule);
        close.schedule();
    }

    /**
     * A failed job's message, shown by {@link RunNotices} as one sentence; the returned status keeps
     * the exception for the log.
     */
    private IStatus failed(String title, String message, Throwable cause) {
        notices.failed(title, message);
        return Status.error(message, cause);
    }

    /** Runs the open model with the NaN trace in a job; the result replaces the previous trace. */
    @Override
    public Job run() {
        return run(null);
    }

    /** Runs and lands on {@code landOn} when the run has it, else on the NaN origin. */
    private Job run(String landOn) {
        List<String> sources = configuration().inputSources();
        return run(landOn, signature -> PreparedInputs.prepare(signature, sources), -1);
    }

    /**
     * Runs the model again on the inputs a sequence kept for one of its steps and makes that the
     * current run, so that every view shows this step; the cursor stays on the op in focus.
     */
    public Job runStep(int sequenceStep, InputMaker stepInputs) {
        String at = focus.landing();
        return run(at, stepInputs, sequenceStep);
    }

    /** The sequence step whose inputs the current run took; empty for a run of the configured inputs. */
    @Override
    public OptionalInt step() {
        return outcome == null || step < 0 ? OptionalInt.empty() : OptionalInt.of(step);
    }

    /** The signature a run of the open model uses: the configured one, else the model's default. */
    public static Signature signatureOf(ModelGraph graph, RunConfiguration config) {
        return config.signature() == null ? graph.defaultSignature().orElseThrow(
                () -> new IllegalArgumentException(graph.source() + ": the model has no signature to run"))
                : graph.signature(config.signature()).orElseThrow(() -> new IllegalArgumentException(
                        graph.source() + ": no signature '" + config.signature() + "'"));
    }

    /**
     * Runs work on the open model in a job of {@link #JOB_FAMILY} (Run > Cancel stops it) after any
     * other job on the model, with the session of the last run when it runs on the configured
     * device, else a new one that later runs reuse. A failure is shown as one sentence.
     */
    public Job modelJob(String name, ModelWork work) {
        if (model == null) {
            return null;
        }
        notices.clear();
        warmUp.cancel();
        LoadedModel jobModel = model;
        RunConfiguration config = configuration();
        Job job = SessionJobs.of(name, monitor -> {
            InferenceSession reusable = sessions.reusable(jobModel, config.device());
            InferenceSession jobSession = null;
            try {
                jobSession = reusable != null ? reusable
                        : contributions.contributions().backendFor(jobModel).open(jobModel, config.device());
                return work.run(jobModel, jobSession, config, monitor);
            } catch (OperationCanceledException e) {
                notices.report(name + " cancelled");
                return Status.CANCEL_STATUS;
            } catch (Exception e) {
                return failed(name, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
            } finally {
                if (jobSession != null && jobSession != reusable) {
                    closeLater(null, sessions.offer(jobModel, jobSession, config.device()));
                }
            }
        });
        job.setUser(true);
        job.setRule(modelRule);
        job.schedule();
        return job;
    }

    private Job run(String landOn, InputMaker inputMaker, int sequenceStep) {
        if (model == null) {
            return null;
        }
        notices.clear();
        warmUp.cancel();
        LoadedModel runModel = model;
        RunConfiguration config = configuration();
        Map<String, TensorData> runOverrides = runConfigurations.overrides();
        String runName = "Running " + runModel.graph().source().getFileName()
                + (sequenceStep < 0 ? "" : " on step " + sequenceStep);
        Job job = SessionJobs.of(runName, monitor -> {
            SubMonitor progress = SubMonitor.convert(monitor, runName, 10);
            // taken when the run starts: a warm-up before it may have opened the session
            InferenceSession reusable = sessions.reusable(runModel, config.device());
            try {
                ModelGraph graph = runModel.graph();
                Signature signature = signatureOf(graph, config);
                PreparedInputs prepared = inputMaker.prepare(signature);
                InferenceSession runSession = reusable != null ? reusable
                        : contributions.contributions().backendFor(runModel).open(runModel, config.device());
                progress.split(1);
                TraceOutcome result;
                try {
                    result = new NanTracer(contributions.contributions().causeRules()).trace(graph, signature, runSession,
                            prepared, runOverrides, config.mode(), config.device().name().toLowerCase(java.util.Locale.ROOT),
                            progress.split(9));
                } catch (Exception | Error e) {
                    if (runSession != reusable) {
                        runSession.close();
                    }
                    throw e;
                }
                Display.getDefault().asyncExec(() -> {
                    if (model != runModel) {
                        if (runSession != reusable) {
                            closeLater(null, runSession);
                        }
                        return;
                    }
                    closeLater(null, sessions.use(runModel, runSession, config.device()));
                    outcome = result;
                    step = sequenceStep;
                    focus.land(result, landOn);
                    tensors.newRun(new RunTensorCache.Source(runModel.graph(), runSession, prepared, runOverrides,
                            modelRule, reachesOutside));
                    post(DebugTopics.TRACE);
                });
                return Status.OK_STATUS;
            } catch (OperationCanceledException e) {
                notices.report("Run of " + runModel.graph().source().getFileName() + " cancelled");
                return Status.CANCEL_STATUS;
            } catch (Exception e) {
                return failed("Run " + runModel.graph().source().getFileName(),
                        e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
            }
        });
        job.setUser(true);
        job.setRule(modelRule);
        job.schedule();
        return job;
    }

    /**
     * Runs the freshly opened model once in the background with the configured inputs, so that the
     * user's first Run finds a warm session; not for a model that reaches outside, nor when the
     * preference is off. The session it opens is the one the next runs use.
     */
    private void warmUp() {
        if (model == null || reachesOutside || !TensorscopePreferences.warmUp()) {
            return;
        }
        warmUp.schedule(model, sessions, configuration(), runConfigurations.overrides(),
                unused -> closeLater(null, unused));
    }

    private void post(String topic) {
        // as IEventBroker.send does: synchronously, the data under IEventBroker.DATA
        events.sendEvent(new Event(topic, Map.of(IEventBroker.DATA, this)));
    }
}
