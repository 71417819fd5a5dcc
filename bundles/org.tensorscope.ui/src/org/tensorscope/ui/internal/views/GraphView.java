package org.tensorscope.ui.internal.views;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.action.IToolBarManager;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.tensorscope.core.compare.Comparison;
import org.tensorscope.core.model.CollapsedGraph;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.ui.api.EmptyStateView;
import org.tensorscope.ui.internal.TensorscopeImages;
import org.tensorscope.ui.internal.graph.GraphCanvas;
import org.tensorscope.ui.internal.graph.GraphDrawing;
import org.tensorscope.ui.internal.graph.GraphDrawing.Box;
import org.tensorscope.ui.internal.graph.GraphLayout;
import org.tensorscope.ui.internal.graph.NodeHealth;
import org.tensorscope.ui.api.ComparisonState;
import org.tensorscope.ui.api.OpSelectionProvider;
import org.tensorscope.ui.api.RunState;

/**
 * The model's ops and the tensors between them, laid out by ELK. Name scopes start folded so
 * that a large model stays readable; double-click a scope to open or fold it. Boxes are coloured
 * by the last run's health, or by divergence while a comparison is shown, and the op in focus is outlined.
 */
public class GraphView extends EmptyStateView {

    /** How many boxes a model starts with at most, before the user opens scopes. */
    static final int READABLE_BOXES = 120;

    GraphCanvas canvas;
    private Label status;
    private ModelGraph shownGraph;
    private Object shownOutcome;
    private String shownFocus;
    private Job layoutJob;
    ModelGraph drawnGraph;
    private String pendingReveal;
    private boolean pendingOutline;
    /** The op last clicked, else the op in focus: the workbench's selection while this view is active. */
    private final OpSelectionProvider selection = new OpSelectionProvider();

    @Override
    protected String emptyStateMessage() {
        return "No model is open. Open a model with File > Open Model… to see its graph.";
    }

    @Override
    protected boolean hasContent() {
        return runState().graph().isPresent();
    }

    @Override
    protected boolean selectionFollowsFocus() {
        return selection.followed();
    }

    @Override
    protected void createContent(Composite parent) {
        Composite area = new Composite(parent, SWT.NONE);
        GridLayout layout = new GridLayout(1, false);
        layout.marginWidth = 0;
        layout.marginHeight = 0;
        layout.verticalSpacing = 0;
        area.setLayout(layout);
        canvas = new GraphCanvas(area, this::selected, this::opened);
        setSelectionProvider(selection);
        canvas.control().setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        status = new Label(area, SWT.NONE);
        status.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        IToolBarManager toolBar = getViewSite().getActionBars().getToolBarManager();
        toolBar.add(TensorscopeImages.action("Zoom In", "+", "zoom_in", () -> canvas.zoomBy(1.25)));
        toolBar.add(TensorscopeImages.action("Zoom Out", "-", "zoom_out", () -> canvas.zoomBy(1 / 1.25)));
        toolBar.add(TensorscopeImages.action("Fit", "0", "zoom_fit", () -> canvas.fit()));
        toolBar.add(TensorscopeImages.action("Fold Scopes", null, "fold_scopes", () -> {
            if (shownGraph != null) {
                ModelGraph model = shownGraph;
                layOut(() -> CollapsedGraph.readable(model, READABLE_BOXES), true);
            }
        }));
        toolBar.add(TensorscopeImages.action("Open All Scopes", null, "expand_scopes", () -> {
            if (shownGraph != null) {
                ModelGraph model = shownGraph;
                layOut(() -> CollapsedGraph.of(model, CollapsedGraph.everyScope(model)), true);
            }
        }));
    }


    @Override
    protected void refresh() {
        RunState session = runState();
        ModelGraph graph = session.graph().orElseThrow();
        if (graph != shownGraph) {
            shownGraph = graph;
            drawnGraph = null;
            shownOutcome = null;
            shownFocus = null;
            pendingReveal = null;
            canvas.setDrawing(null, true);
            canvas.setHealth(Map.of());
            canvas.setCurrent(null);
            layOut(() -> CollapsedGraph.readable(graph, READABLE_BOXES), true);
            return;
        }
        showSession(session);
    }

    /** Colours and outline from the session; the drawing itself is left as it is. */
    private void showSession(RunState session) {
        GraphDrawing drawing = canvas.drawing();
        if (drawing == null || drawnGraph != shownGraph) {
            return;
        }
        // while a comparison is shown the boxes are coloured by divergence instead of the run's health
        ComparisonState comparing = service(ComparisonState.class);
        Optional<Comparison> comparison = comparing.comparison();
        Object outcome = comparison.isPresent() ? comparison.get() : session.outcome().orElse(null);
        if (outcome != shownOutcome || outcome == null) {
            shownOutcome = outcome;
            canvas.setHealth(comparison.isPresent() ? NodeHealth.ofDivergence(drawing.graph(), comparison.get())
                    : NodeHealth.of(drawing.graph(), session.outcome()));
            if (comparison.isPresent()) {
                status.setText("Coloured by divergence from " + comparing.nameOfB()
                        + ": red the first divergence, orange tensors that diverged after it, green within the tolerance.");
            } else if (status.getText().startsWith("Coloured by divergence")) {
                status.setText("Coloured by the run's health.");
            }
        }
        Optional<String> focusOp = focus().focusOp();
        selection.follow(focusOp.orElse(null));
        String focus = focusOp.flatMap(op -> drawing.graph().nodeOf(op)).orElse(null);
        if (focus != null && !focus.equals(shownFocus)) {
            shownFocus = focus;
            canvas.setCurrent(focus);
            canvas.reveal(focus);
        }
    }

    /** Opens the scopes around an op so that it has its own box, and centres on it. */
    public void reveal(String opName) {
        pendingOutline = true;
        if (shownGraph == null || canvas.drawing() == null || drawnGraph != shownGraph) {
            pendingReveal = opName;
            return;
        }
        CollapsedGraph graph = canvas.drawing().graph();
        if (graph.nodeOf(opName).filter(opName::equals).isPresent()) {
            canvas.setCurrent(opName);
            canvas.reveal(opName);
            return;
        }
        pendingReveal = opName;
        ModelGraph model = shownGraph;
        Set<String> expanded = graph.revealing(opName);
        layOut(() -> CollapsedGraph.of(model, expanded), false);
    }

    private void selected(Box box) {
        if (box.node().op() != null) {
            selection.select(box.node().op().name());
        }
        status.setText(describe(box));
    }

    private void opened(Box box) {
        CollapsedGraph graph = canvas.drawing().graph();
        String scope;
        if (box.node().isScope()) {
            scope = box.node().scope();
        } else if (box.node().op().name().indexOf('/') >= 0) {
            scope = box.node().op().scope();
        } else {
            return;
        }
        Set<String> expanded = graph.toggled(scope);
        pendingReveal = box.node().isScope() ? graph.opsOf(box.node().id()).iterator().next() : null;
        pendingOutline = false;
        ModelGraph model = shownGraph;
        layOut(() -> CollapsedGraph.of(model, expanded), false);
    }

    private static String describe(Box box) {
        if (box.node().isScope()) {
            return box.node().scope() + ": " + box.node().opCount() + " ops (double-click or Enter to open)";
        }
        return box.node().op().name() + " (" + box.node().op().type() + ")";
    }

    /** Folds and lays out the graph in a job (folding a large model's scopes takes a while too), then shows it. */
    private void layOut(Supplier<CollapsedGraph> folding, boolean fit) {
        if (layoutJob != null) {
            layoutJob.cancel();
        }
        ModelGraph forModel = shownGraph;
        Display display = canvas.control().getDisplay();
        status.setText("Laying out the graph…");
        Job job = new Job("Laying out the graph") {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                try {
                    CollapsedGraph graph = folding.get();
                    monitor.beginTask("Laying out " + graph.nodes().size() + " boxes", IProgressMonitor.UNKNOWN);
                    display.asyncExec(() -> {
                        if (!isDisposed() && layoutJob == this) {
                            status.setText("Laying out " + graph.nodes().size() + " boxes…");
                        }
                    });
                    GraphDrawing drawing = GraphLayout.layout(graph, monitor);
                    display.asyncExec(() -> show(forModel, drawing, fit));
                    return Status.OK_STATUS;
                } catch (OperationCanceledException e) {
                    return Status.CANCEL_STATUS;
                } catch (RuntimeException e) {
                    display.asyncExec(() -> {
                        if (!isDisposed()) {
                            status.setText("The graph could not be laid out: " + e.getMessage());
                        }
                    });
                    return Status.error("The graph could not be laid out: " + e.getMessage(), e);
                } finally {
                    monitor.done();
                }
            }
        };
        job.setPriority(Job.INTERACTIVE);
        layoutJob = job;
        job.schedule();
    }

    private void show(ModelGraph forModel, GraphDrawing drawing, boolean fit) {
        if (isDisposed() || forModel != shownGraph) {
            return;
        }
        canvas.setDrawing(drawing, fit);
        drawnGraph = forModel;
        shownOutcome = null;
        shownFocus = null;
        status.setText(drawing.boxes().size() + " boxes for " + shownGraph.ops().size()
                + " ops. Wheel or +/- zooms, drag pans, 0 fits; double-click a scope to open or fold it.");
        showSession(runState());
        if (pendingReveal != null) {
            String op = pendingReveal;
            pendingReveal = null;
            boolean outline = pendingOutline;
            drawing.graph().nodeOf(op).ifPresent(id -> {
                if (outline) {
                    canvas.setCurrent(id);
                }
                canvas.reveal(id);
            });
        }
    }

    /** The colour of the box showing an op, NOT_RUN when none shows it. */
    public NodeHealth getHealthOf(String opName) {
        GraphDrawing drawing = canvas == null ? null : canvas.drawing();
        return drawing == null ? NodeHealth.NOT_RUN : drawing.graph().nodeOf(opName)
                .flatMap(id -> drawing.box(id)).map(box -> canvas.healthOf(box.node())).orElse(NodeHealth.NOT_RUN);
    }

    /** The id of the outlined box, null when none is. */
    public String getCurrentBoxId() {
        return canvas == null ? null : canvas.current();
    }



    @Override
    public void dispose() {
        if (layoutJob != null) {
            layoutJob.cancel();
        }
        super.dispose();
    }

    @Override
    public void setFocus() {
        if (canvas != null && !canvas.control().isDisposed()) {
            canvas.control().setFocus();
        } else {
            super.setFocus();
        }
    }
}
