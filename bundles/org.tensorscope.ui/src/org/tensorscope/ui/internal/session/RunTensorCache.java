package org.tensorscope.ui.internal.session;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.ISchedulingRule;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.swt.widgets.Display;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.tensorscope.core.analysis.Histogram;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.run.AnalysedTensor;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.run.TensorCache;
import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.PrefetchWindow;
import org.tensorscope.core.trace.TensorHealth;
import org.tensorscope.core.trace.TraceCursor;
import org.tensorscope.ui.api.TensorValues;
import org.tensorscope.ui.api.TensorscopePreferences;

/**
 * The current run's full tensors: those the views asked for and those fetched ahead of the stepping
 * cursor, analysed, within the memory the views may use. A new run (or no run) drops them all. The
 * tensors come from the run's inference session, in jobs holding the model's rule. Called on the UI
 * thread.
 */
@Component(service = {TensorValues.class, RunTensorCache.class})
public final class RunTensorCache implements TensorValues {

    private static final String PLUGIN_ID = "org.tensorscope.ui";

    /**
     * What tensors of a run are fetched from: its session, inputs and edits, in jobs under the
     * model's rule; nothing is fetched ahead for a model that reaches outside.
     */
    public record Source(ModelGraph graph, InferenceSession session, PreparedInputs inputs,
            Map<String, TensorData> overrides, ISchedulingRule rule, boolean reachesOutside) {
    }

    /**
     * Where the fetches ahead stand: the run's rows and the cursor's, as the UI thread last saw them, the histograms'
     * bins, and the run's tensors a fetch ahead could not get (left to the views, which say why).
     */
    private record Position(Source run, TensorCache cache, List<TensorHealth> rows, int at, int bins,
            Set<String> leftToViews) {
    }

    /** The pieces fetched ahead for one run, one job after another; its fields are the jobs', one at a time. */
    private static final class Chain {
        final Source run;
        final Set<String> fetched = new HashSet<>();
        /** The job of the piece under way or scheduled; guarded by the RunTensorCache. */
        Job job;

        Chain(Source run) {
            this.run = run;
        }
    }

    @Reference
    private SteppingFocus focus;

    private Source run;
    private volatile TensorCache cache;
    private Set<String> leftToViews = Set.of();
    /** Read by the jobs fetching ahead, so that each piece starts from where the cursor is. */
    private volatile Position position;
    /** The chain of pieces under way, null when none is; guarded by this. */
    private Chain chain;
    /** Whether the component was deactivated (the workbench closing): no piece is scheduled any more; guarded by this. */
    private boolean closed;

    public RunTensorCache() {
        // created by the OSGi component runtime
    }

    @Activate
    void activate() {
        focus.whenMoved(this::fetchAhead);
    }

    @Deactivate
    synchronized void deactivate() {
        closed = true;
    }

    /** A run landed: its tensors replace the previous run's, and those ahead of the cursor are fetched. */
    void newRun(Source source) {
        run = source;
        cache = new TensorCache(TensorscopePreferences.tensorMemoryBytes());
        leftToViews = ConcurrentHashMap.newKeySet();
        position = null;
        fetchAhead();
    }

    /** No run any more (the model closed): every tensor is dropped. */
    void drop() {
        run = null;
        cache = null;
        position = null;
    }

    /** The bytes of the last run's tensors at hand (for tests: how much was fetched before a view's fetch ran). */
    long bytesAtHand() {
        TensorCache runCache = cache;
        return runCache == null ? 0 : runCache.bytes();
    }

    /**
     * Hands full tensors of the last run, analysed, to the consumer on the UI thread: at once when
     * the run's cache has them all, else from a job that fetches them together with the next rows
     * ahead of the cursor (one model run for both, kept to {@link PrefetchWindow#FIRST_FETCH_BYTES}).
     *
     * @return false when there is no run to take tensors from
     */
    @Override
    public boolean fetch(List<String> tensors, Consumer<Map<String, AnalysedTensor>> onUiThread,
            Consumer<String> onFailure) {
        if (run == null || cache == null) {
            return false;
        }
        Optional<Map<String, AnalysedTensor>> atHand = cache.getAll(tensors);
        if (atHand.isPresent()) {
            onUiThread.accept(atHand.get());
            fetchAhead();
            return true;
        }
        List<String> wanted = new ArrayList<>(cache.missing(tensors));
        Position at = currentPosition();
        if (at != null) {
            wanted.addAll(nextPiece(at, wanted, PrefetchWindow.FIRST_FETCH_BYTES)); // those not already wanted
        }
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
     * run the model, so that stepping shows each tensor at once: a piece at a time, each piece one
     * model run, so that a view's own fetch waits for one piece at most.
     */
    private void fetchAhead() {
        Position at = currentPosition();
        position = at;
        if (at == null || PrefetchWindow.aheadIsPresent(at.rows(), at.at(), t -> at.cache().get(t).isPresent(),
                PrefetchWindow.AHEAD / 3)) {
            return;
        }
        synchronized (this) {
            if (closed || (chain != null && chain.run == at.run())) {
                return; // the chain under way takes its next piece from the new position
            }
            chain = new Chain(at.run());
            schedulePiece(chain);
        }
    }

    /** Schedules the job fetching the chain's next piece; called holding this. */
    private void schedulePiece(Chain of) {
        Job job = SessionJobs.of("Fetching the tensors ahead", monitor -> fetchPieceAhead(of, monitor));
        job.setRule(of.run.rule());
        job.setSystem(true);
        job.setPriority(Job.DECORATE);
        job.addJobChangeListener(new JobChangeAdapter() {
            @Override
            public void done(IJobChangeEvent event) {
                // however it ended (cancelled before it ran, or failed), unless it scheduled the next piece
                ended(of, event.getJob());
            }
        });
        of.job = job;
        try {
            job.schedule();
        } catch (IllegalStateException e) {
            ended(of, job); // the job manager has shut down
        }
    }

    private synchronized void ended(Chain of, Job last) {
        if (chain == of && of.job == last) {
            chain = null;
        }
    }

    /**
     * Fetches one piece ahead of where the cursor is now, then schedules the next piece's job, which runs once this
     * one ends, after any view's fetch that waited for the model before it (a view's job has the higher priority).
     * The chain ends when the window is at hand, when a piece would fetch again what the chain fetched (pushed out
     * of the cache since), when the run is gone, or when the job is cancelled; a piece that brings nothing (a
     * tensor that cannot be fetched) is left to the views.
     */
    private IStatus fetchPieceAhead(Chain of, IProgressMonitor monitor) {
        Position at = position;
        IStatus status = Status.OK_STATUS;
        boolean more = false;
        if (at != null && at.run() == of.run && !monitor.isCanceled()) {
            // the first piece small: a view asking for the cursor's tensor meanwhile waits for it
            List<String> piece = nextPiece(at, List.of(),
                    of.fetched.isEmpty() ? PrefetchWindow.FIRST_FETCH_BYTES : PrefetchWindow.FETCH_BYTES);
            if (!piece.isEmpty() && piece.stream().noneMatch(of.fetched::contains)) {
                status = fetchInto(of.run, at.cache(), at.bins(), piece, List.of(), () -> { }, problem -> { }, monitor);
                if (status.isOK() && at.cache().missing(piece).size() == piece.size()) {
                    at.leftToViews().addAll(piece);
                }
                of.fetched.addAll(piece);
                more = status.isOK();
            }
        }
        synchronized (this) {
            Position now = position;
            // the cursor moved while this piece looked: the next one starts from there
            more |= now != null && now.run() == of.run && (at == null || now.at() != at.at() || now.cache() != at.cache());
            if (more && !closed && chain == of && !monitor.isCanceled()) {
                schedulePiece(of);
            } else {
                ended(of, of.job);
            }
        }
        return status;
    }

    /** Where the cursor is in the last run, or null when nothing is to be fetched ahead. */
    private Position currentPosition() {
        TraceCursor cursor = focus.cursor().orElse(null);
        if (cursor == null || run == null || cache == null || run.reachesOutside()) {
            // a model that writes files or reaches the network runs only when the user asks
            return null;
        }
        return new Position(run, cache, cursor.trace().rows(), cursor.index(), TensorscopePreferences.histogramBins(),
                leftToViews);
    }

    private List<String> nextPiece(Position at, List<String> alsoWanted, long fetchBytes) {
        ModelGraph graph = at.run().graph();
        TensorCache runCache = at.cache();
        return PrefetchWindow.next(at.rows(), at.at(),
                t -> runCache.get(t).isPresent() || alsoWanted.contains(t) || at.leftToViews().contains(t),
                row -> byteSize(graph, row), runCache.budget() / 4, fetchBytes);
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
        Source from = run;
        int bins = TensorscopePreferences.histogramBins();
        Job job = SessionJobs.of(name, monitor -> fetchInto(from, runCache, bins, tensors, requested, done, onFailure, monitor));
        job.setRule(from.rule());
        return job;
    }

    private static IStatus fetchInto(Source from, TensorCache runCache, int bins, List<String> tensors,
            List<String> requested, Runnable done, Consumer<String> onFailure, IProgressMonitor monitor) {
        try {
            List<String> missing = runCache.missing(tensors);
            // as the trace watched them: an optimised run may have fused the op away (an op's second
            // output, a Conv2D folded into its batch normalisation)
            Map<String, TensorData> values;
            try {
                values = missing.isEmpty() ? Map.of()
                        : from.session().fetchAsTraced(from.inputs().feeds(), missing, from.overrides(), monitor);
            } catch (BackendException | IllegalArgumentException e) {
                List<String> asked = runCache.missing(requested);
                if (asked.size() == missing.size()) {
                    throw e;
                }
                // a tensor fetched ahead cannot be fetched (e.g. not computed in this run): the asked ones alone
                values = asked.isEmpty() ? Map.of()
                        : from.session().fetchAsTraced(from.inputs().feeds(), asked, from.overrides(), monitor);
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
    }
}
