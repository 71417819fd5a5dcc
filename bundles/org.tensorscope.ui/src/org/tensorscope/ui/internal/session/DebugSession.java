package org.tensorscope.ui.internal.session;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.core.runtime.jobs.IJobFunction;
import org.eclipse.core.runtime.jobs.ISchedulingRule;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.e4.core.services.events.IEventBroker;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.progress.IProgressConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.tensorscope.core.DebugTopics;
import org.tensorscope.core.analysis.Histogram;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.SideEffectOps;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.run.AnalysedTensor;
import org.tensorscope.core.run.NanTracer;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.run.TensorCache;
import org.tensorscope.core.run.TraceOutcome;
import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.Device;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.PrefetchWindow;
import org.tensorscope.core.trace.TensorHealth;
import org.tensorscope.core.trace.TraceCursor;
import org.tensorscope.ui.api.RunState;
import org.tensorscope.ui.api.TensorValues;
import org.tensorscope.ui.api.TensorscopePreferences;

/**
 * The workbench's debugging session: the open model and its last run (the stepping cursor and the
 * selected op are {@link SteppingFocus}'s, the run configuration and edits {@link RunConfigurationStore}'s). Long work (loading, running, fetching tensors) runs in jobs, one at a time on the
 * model; results land on the UI thread, which then posts a {@link DebugTopics} event. Views only
 * read this state.
 */
@Component(immediate = true, service = {RunState.class, TensorValues.class})
public final class DebugSession implements RunState, TensorValues {

    private static final String PLUGIN_ID = "org.tensorscope.ui";

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
    public static final Object JOB_FAMILY = new Object();

    private LoadedModel model;
    private InferenceSession session;
    private Device sessionDevice;
    private PreparedInputs inputs;
    private TraceOutcome outcome;
    @Reference
    private SteppingFocus focus;
    @Reference
    private RunConfigurationStore runConfigurations;
    private Map<String, TensorData> outcomeOverrides = Map.of();
    /** The last run's tensors that views asked for or that were fetched ahead of the cursor. */
    private TensorCache cache;
    private Job ahead;
    /** Whether the open model holds ops that reach outside it: then nothing is fetched ahead. */
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
        focus.whenMoved(this::fetchAhead);
    }

    /** The session services' implementation, for the code not yet handed the services. */
    public static DebugSession get() {
        return SessionServices.get(RunState.class, DebugSession.class);
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

    public Optional<TraceCursor> cursor() {
        return focus.cursor();
    }

    /** The op the views show: the selected one, else the cursor's. */
    public Optional<String> focusOp() {
        return focus.focusOp();
    }

    /** The output the views show when it is not the focused op's first; see {@link SteppingFocus#focusTensor()}. */
    public Optional<String> focusTensor() {
        return focus.focusTensor();
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
        RunNotices.clear();
        Job job = sessionJob("Opening " + path.getFileName(), monitor -> {
            SubMonitor progress = SubMonitor.convert(monitor, "Opening " + path.getFileName(), 10);
            try {
                LoadedModel loaded = UiContributions.get().open(path, progress.split(10));
                Display.getDefault().asyncExec(() -> {
                    replaceModel(loaded, runConfiguration);
                    if (runWhenLoaded) {
                        run();
                    }
                });
                return Status.OK_STATUS;
            } catch (ModelLoadException e) {
                return failed("Open " + path.getFileName(), e.getMessage(), e);
            } catch (OperationCanceledException e) {
                RunNotices.report("Opening " + path.getFileName() + " cancelled");
                return Status.CANCEL_STATUS;
            } catch (RuntimeException e) {
                return failed("Open " + path.getFileName(), path + ": cannot be read: " + e, e);
            }
        });
        job.setUser(true);
        job.setRule(modelRule);
        job.schedule();
        return job;
    }

    private void replaceModel(LoadedModel loaded, RunConfiguration runConfiguration) {
        closeModel();
        model = loaded;
        reachesOutside = !SideEffectOps.in(loaded.graph()).isEmpty();
        Path source = loaded.graph().source();
        runConfigurations.restore(source);
        if (runConfiguration != null) {
            configure(runConfiguration);
        }
        Breakpoints.get().load(source);
        RecentModels.add(source);
        post(DebugTopics.MODEL);
    }

    /**
     * Forgets the open model; its session and TensorFlow objects are closed by a job holding the
     * model rule, so that a fetch still running on them finishes first.
     */
    public void closeModel() {
        LoadedModel oldModel = model;
        InferenceSession oldSession = session;
        model = null;
        session = null;
        sessionDevice = null;
        outcome = null;
        cache = null;
        focus.clear();
        inputs = null;
        runConfigurations.clearOverrides();
        Breakpoints.get().release();
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
    private static IStatus failed(String title, String message, Throwable cause) {
        RunNotices.failed(title, message);
        return Status.error(message, cause);
    }

    /**
     * A job of {@link #JOB_FAMILY}, so that Run > Cancel finds it. Its failure is shown by
     * {@link RunNotices}, not by the platform's generic "Problem Occurred" dialog.
     */
    private static Job sessionJob(String name, IJobFunction body) {
        Job job = new Job(name) {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                return body.run(monitor);
            }

            @Override
            public boolean belongsTo(Object family) {
                return family == JOB_FAMILY;
            }
        };
        job.setProperty(IProgressConstants.NO_IMMEDIATE_ERROR_PROMPT_PROPERTY, Boolean.TRUE);
        return job;
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
        RunNotices.clear();
        LoadedModel jobModel = model;
        RunConfiguration config = configuration();
        InferenceSession reusable = config.device() == sessionDevice ? session : null;
        Job job = sessionJob(name, monitor -> {
            InferenceSession jobSession = null;
            try {
                jobSession = reusable != null ? reusable
                        : UiContributions.get().backendFor(jobModel).open(jobModel, config.device());
                return work.run(jobModel, jobSession, config, monitor);
            } catch (OperationCanceledException e) {
                RunNotices.report(name + " cancelled");
                return Status.CANCEL_STATUS;
            } catch (Exception e) {
                return failed(name, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
            } finally {
                InferenceSession opened = jobSession == reusable ? null : jobSession;
                if (opened != null) {
                    Display.getDefault().asyncExec(() -> {
                        if (model == jobModel && (session == null || sessionDevice != config.device())) {
                            closeLater(null, session);
                            session = opened;
                            sessionDevice = config.device();
                        } else {
                            closeLater(null, opened);
                        }
                    });
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
        RunNotices.clear();
        LoadedModel runModel = model;
        RunConfiguration config = configuration();
        Map<String, TensorData> runOverrides = runConfigurations.overrides();
        InferenceSession reusable = config.device() == sessionDevice ? session : null;
        String runName = "Running " + runModel.graph().source().getFileName()
                + (sequenceStep < 0 ? "" : " on step " + sequenceStep);
        Job job = sessionJob(runName, monitor -> {
            SubMonitor progress = SubMonitor.convert(monitor, runName, 10);
            try {
                ModelGraph graph = runModel.graph();
                Signature signature = signatureOf(graph, config);
                PreparedInputs prepared = inputMaker.prepare(signature);
                InferenceSession runSession = reusable != null ? reusable
                        : UiContributions.get().backendFor(runModel).open(runModel, config.device());
                progress.split(1);
                TraceOutcome result;
                try {
                    result = new NanTracer(UiContributions.get().causeRules()).trace(graph, signature, runSession,
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
                    if (session != null && session != runSession) {
                        closeLater(null, session);
                    }
                    session = runSession;
                    sessionDevice = config.device();
                    inputs = prepared;
                    outcomeOverrides = runOverrides;
                    outcome = result;
                    step = sequenceStep;
                    cache = new TensorCache(TensorscopePreferences.tensorMemoryBytes());
                    focus.land(result, landOn);
                    post(DebugTopics.TRACE);
                    fetchAhead();
                });
                return Status.OK_STATUS;
            } catch (OperationCanceledException e) {
                RunNotices.report("Run of " + runModel.graph().source().getFileName() + " cancelled");
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
     * Hands full tensors of the last run, analysed, to the consumer on the UI thread: at once when
     * the run's cache has them all, else from a job that fetches them together with the rows ahead
     * of the cursor (one model run for both).
     *
     * @return false when there is no run to take tensors from
     */
    @Override
    public boolean fetch(List<String> tensors, Consumer<Map<String, AnalysedTensor>> onUiThread,
            Consumer<String> onFailure) {
        if (session == null || inputs == null || cache == null) {
            return false;
        }
        Optional<Map<String, AnalysedTensor>> atHand = cache.getAll(tensors);
        if (atHand.isPresent()) {
            onUiThread.accept(atHand.get());
            fetchAhead();
            return true;
        }
        List<String> wanted = new ArrayList<>(cache.missing(tensors));
        wanted.addAll(aheadOfCursor(wanted)); // those not already wanted
        TensorCache runCache = cache;
        Job job = fetchJob("Fetching " + String.join(", ", tensors), wanted, tensors, runCache, () -> {
            Optional<Map<String, AnalysedTensor>> values = runCache.getAll(tensors);
            Display.getDefault().asyncExec(() -> {
                if (values.isPresent()) {
                    onUiThread.accept(values.get());
                } else {
                    onFailure.accept(String.join(", ", tensors) + " is larger than the memory the views may use");
                }
            });
        }, onFailure);
        job.setSystem(true);
        job.schedule();
        return true;
    }

    /**
     * Fetches the rows ahead of the cursor in the background when the next steps would otherwise
     * run the model, so that stepping shows each tensor at once.
     */
    private void fetchAhead() {
        TraceCursor cursor = focus.cursor().orElse(null);
        if (cache == null || cursor == null || (ahead != null && ahead.getState() != Job.NONE)) {
            return;
        }
        List<TensorHealth> rows = cursor.trace().rows();
        if (PrefetchWindow.aheadIsPresent(rows, cursor.index(), t -> cache.get(t).isPresent(), PrefetchWindow.AHEAD / 3)) {
            return;
        }
        List<String> wanted = aheadOfCursor(List.of());
        if (!wanted.isEmpty()) {
            ahead = fetchJob("Fetching the tensors ahead", wanted, List.of(), cache, () -> { }, problem -> { });
            ahead.setSystem(true);
            ahead.setPriority(Job.DECORATE);
            ahead.schedule();
        }
    }

    private List<String> aheadOfCursor(List<String> alsoWanted) {
        TraceCursor cursor = focus.cursor().orElse(null);
        if (cursor == null || model == null || reachesOutside) {
            // a model that writes files or reaches the network runs only when the user asks
            return List.of();
        }
        ModelGraph graph = model.graph();
        long budget = cache.budget() / 4;
        return PrefetchWindow.around(cursor.trace().rows(), cursor.index(),
                t -> cache.get(t).isPresent() || alsoWanted.contains(t), row -> byteSize(graph, row), budget);
    }

    private static AnalysedTensor analyse(TensorData data, int bins) {
        return AnalysedTensor.of(data, bins, Histogram.Binning.SYMLOG);
    }

    private static long byteSize(ModelGraph graph, TensorHealth row) {
        return graph.op(row.opName()).flatMap(op -> op.outputs().stream()
                .filter(output -> output.name().equals(row.tensor())).findFirst())
                .map(output -> output.dtype().byteSize() < 0 ? -1 : row.elements() * output.dtype().byteSize())
                .orElse(-1L);
    }

    /**
     * A job fetching tensors of the last run in one model run, analysing them and keeping them in
     * the run's cache; {@code done} runs as soon as the requested ones are there.
     */
    private Job fetchJob(String name, List<String> tensors, List<String> requested, TensorCache runCache,
            Runnable done, Consumer<String> onFailure) {
        InferenceSession fetchSession = session;
        PreparedInputs fetchInputs = inputs;
        Map<String, TensorData> fetchOverrides = outcomeOverrides;
        int bins = TensorscopePreferences.histogramBins();
        Job job = sessionJob(name, monitor -> {
            try {
                List<String> missing = runCache.missing(tensors);
                // as the trace watched them: an optimised run may have fused the op away (an op's second
                // output, a Conv2D folded into its batch normalisation)
                Map<String, TensorData> values;
                try {
                    values = missing.isEmpty() ? Map.of()
                            : fetchSession.fetchAsTraced(fetchInputs.feeds(), missing, fetchOverrides, monitor);
                } catch (BackendException | IllegalArgumentException e) {
                    List<String> asked = runCache.missing(requested);
                    if (asked.size() == missing.size()) {
                        throw e;
                    }
                    // a tensor fetched ahead cannot be fetched (e.g. not computed in this run): the asked ones alone
                    values = asked.isEmpty() ? Map.of()
                            : fetchSession.fetchAsTraced(fetchInputs.feeds(), asked, fetchOverrides, monitor);
                }
                Map<String, TensorData> fetched = values;
                requested.stream().filter(fetched::containsKey).forEach(t -> runCache.put(t, analyse(fetched.get(t), bins)));
                done.run(); // the views need not wait for the tensors fetched ahead
                fetched.keySet().stream().filter(t -> !requested.contains(t))
                        .forEach(t -> runCache.put(t, analyse(fetched.get(t), bins)));
                return Status.OK_STATUS;
            } catch (OperationCanceledException e) {
                return Status.CANCEL_STATUS;
            } catch (Exception e) {
                Display.getDefault().asyncExec(() -> onFailure.accept(e.getMessage()));
                return new Status(IStatus.ERROR, PLUGIN_ID, e.getMessage(), e);
            }
        });
        job.setRule(modelRule);
        return job;
    }

    /** Step to the next op output (F6). */
    public void next() {
        focus.next();
    }

    /** Step back one op output (Shift+F6). */
    public void previous() {
        focus.previous();
    }

    /** Run to the next anomaly or breakpoint (F8). */
    public void resume() {
        focus.resume();
    }

    /** Run to the selected op (Ctrl+R). */
    public void runToSelected() {
        focus.runToSelected();
    }

    /** Puts the cursor on an op (e.g. the NaN origin). */
    public void stepTo(String op) {
        focus.stepTo(op);
    }

    /** The user selected an op in a view. */
    public void select(String op) {
        focus.select(op);
    }

    private void post(String topic) {
        IEventBroker broker = PlatformUI.getWorkbench().getService(IEventBroker.class);
        if (broker != null) {
            broker.send(topic, this);
        }
    }
}
