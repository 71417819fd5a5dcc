package org.tensorscope.ui.internal.session;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.e4.core.services.events.IEventBroker;
import org.eclipse.swt.widgets.Display;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.tensorscope.core.DebugTopics;
import org.tensorscope.core.compare.CompareOptions;
import org.tensorscope.core.compare.ComparedRun;
import org.tensorscope.core.compare.Comparison;
import org.tensorscope.core.compare.RunComparer;
import org.tensorscope.core.compare.TensorPair;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.SideEffectOps;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.ui.api.ComparisonState;

/**
 * The comparison the workbench shows: the open model's run (side A, its configured inputs) against
 * another model on the same inputs or the same model on other inputs (side B). Side B stays open
 * while the comparison is shown, so that the Histogram can lay B's values of the focused tensor
 * over A's.
 */
@Component(immediate = true, service = {ComparisonState.class, ComparisonSession.class})
public final class ComparisonSession implements ComparisonState {

    @Reference
    private EventAdmin events;

    @Reference
    private DebugSession debug;
    @Reference
    private UiContributions contributions;

    private ModelGraph graph;
    private Comparison comparison;
    /** Side B: its own model and session when it is another model, else the open model's session. */
    private LoadedModel modelB;
    private InferenceSession sessionB;
    private boolean ownSessionB;
    private Map<String, TensorData> feedsB = Map.of();
    private String nameB = "";

    public ComparisonSession() {
        // created by the OSGi component runtime
    }

    /** The comparison shown, while the model it was made with is open. */
    @Override
    public Optional<Comparison> comparison() {
        return comparison != null && debug.graph().filter(g -> g == graph).isPresent()
                ? Optional.of(comparison) : Optional.empty();
    }

    /** Side B in a few words: the other model's file name, or "ramp*2" for another input. */
    @Override
    public String nameOfB() {
        return nameB;
    }

    /** Compares the open model with another model fed the same inputs, in a job (Run > Cancel stops it). */
    public Job compareWithModel(Path other, double tolerance) {
        return compare(other.getFileName().toString(), other, null, tolerance);
    }

    /** Compares the open model on its configured inputs with the same model on others, in a job. */
    public Job compareWithInputs(List<String> inputTexts, double tolerance) {
        return compare(String.join(", ", inputTexts), null, inputTexts, tolerance);
    }

    private Job compare(String describedB, Path otherModel, List<String> otherInputs, double tolerance) {
        CompareOptions options = new CompareOptions(tolerance, CompareOptions.defaults().map(), false);
        return debug.modelJob("Comparing with " + describedB, (model, session, configuration, monitor) -> {
            SubMonitor progress = SubMonitor.convert(monitor, "Comparing with " + describedB, 10);
            ModelGraph graphA = model.graph();
            Signature signatureA = DebugSession.signatureOf(graphA, configuration);
            PreparedInputs inputsA = PreparedInputs.prepare(signatureA, configuration.inputSources());
            ComparedRun a = new ComparedRun(graphA, signatureA, session, inputsA.feeds(), described(inputsA));
            LoadedModel loadedB = null;
            InferenceSession openedB = null;
            try {
                ComparedRun b;
                if (otherModel != null) {
                    loadedB = contributions.contributions().open(otherModel, progress.split(2));
                    // the consent asked before comparing was for the open model only
                    var risky = SideEffectOps.in(loadedB.graph());
                    if (!risky.isEmpty()) {
                        throw new IllegalArgumentException(otherModel + ": the model holds " + risky.size()
                                + " op(s) that reach outside it (" + SideEffectOps.describe(risky.get(0))
                                + (risky.size() > 1 ? ", ..." : "") + "); open it on its own to run it");
                    }
                    openedB = contributions.contributions().backendFor(loadedB).open(loadedB, configuration.device());
                    ModelGraph graphB = loadedB.graph();
                    Signature signatureB = graphB.signature(signatureA.key()).or(graphB::defaultSignature)
                            .orElseThrow(() -> new IllegalArgumentException(otherModel + ": the model has no signature to run"));
                    PreparedInputs inputsB = PreparedInputs.prepare(signatureB, configuration.inputSources());
                    b = new ComparedRun(graphB, signatureB, openedB, inputsB.feeds(), described(inputsB));
                } else {
                    PreparedInputs inputsB = PreparedInputs.prepare(signatureA, otherInputs);
                    b = new ComparedRun(graphA, signatureA, session, inputsB.feeds(), described(inputsB));
                }
                Comparison result = new RunComparer().compare(a, b, options, progress.split(8));
                LoadedModel keptModel = loadedB;
                InferenceSession keptSession = openedB;
                loadedB = null;
                openedB = null;
                Display.getDefault().asyncExec(() -> {
                    if (debug.graph().filter(g -> g == graphA).isEmpty()) {
                        close(keptModel, keptSession);
                        return;
                    }
                    clear();
                    graph = graphA;
                    comparison = result;
                    modelB = keptModel;
                    ownSessionB = keptSession != null;
                    sessionB = keptSession != null ? keptSession : b.session();
                    feedsB = b.feeds();
                    nameB = describedB;
                    post();
                    if (debug.outcome().isEmpty()) {
                        // the other views show side A's tensors from a run of the same inputs
                        debug.run();
                    }
                });
                return Status.OK_STATUS;
            } finally {
                close(loadedB, openedB);
            }
        });
    }

    private static List<String> described(PreparedInputs inputs) {
        return inputs.health().stream().map(h -> h.name() + " = " + h.source()).toList();
    }

    /** Takes the comparison away (the Graph goes back to the run's health) and closes side B. */
    public void clear() {
        if (comparison == null) {
            return;
        }
        close(ownSessionB ? modelB : null, ownSessionB ? sessionB : null);
        comparison = null;
        graph = null;
        modelB = null;
        sessionB = null;
        ownSessionB = false;
        feedsB = Map.of();
        nameB = "";
        post();
    }

    /**
     * Hands side B's values of the tensor paired with one of A's to the consumer on the UI thread,
     * from a job; false when the comparison has no such pair.
     */
    @Override
    public boolean fetchB(String tensorA, Consumer<TensorData> onUiThread) {
        Optional<TensorPair> pair = comparison().flatMap(c -> c.pairOfA(tensorA));
        if (pair.isEmpty() || sessionB == null) {
            return false;
        }
        InferenceSession session = sessionB;
        Map<String, TensorData> feeds = feedsB;
        Comparison of = comparison;
        String tensorB = pair.get().tensorB();
        Job job = Job.create("Fetching " + tensorB + " of " + nameB, monitor -> {
            try {
                TensorData values = session.fetchAsTraced(feeds, List.of(tensorB), Map.of(), monitor).get(tensorB);
                Display.getDefault().asyncExec(() -> {
                    if (values != null && comparison == of) {
                        onUiThread.accept(values);
                    }
                });
                return Status.OK_STATUS;
            } catch (OperationCanceledException e) {
                return Status.CANCEL_STATUS;
            } catch (Exception e) {
                return Status.warning(tensorB + " of " + nameB + " cannot be fetched: " + e.getMessage(), e);
            }
        });
        job.setSystem(true);
        job.setRule(debug.modelRule());
        job.schedule();
        return true;
    }

    private void close(LoadedModel model, InferenceSession session) {
        if (model == null && session == null) {
            return;
        }
        Job close = Job.create("Closing the compared model", monitor -> {
            if (session != null) {
                session.close();
            }
            if (model != null) {
                model.close();
            }
        });
        close.setSystem(true);
        close.setRule(debug.modelRule());
        close.schedule();
    }

    private void post() {
        // as IEventBroker.send does: synchronously, the data under IEventBroker.DATA
        events.sendEvent(new Event(DebugTopics.COMPARISON, Map.of(IEventBroker.DATA, this)));
    }
}
