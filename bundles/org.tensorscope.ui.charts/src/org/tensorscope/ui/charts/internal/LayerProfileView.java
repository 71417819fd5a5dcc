package org.tensorscope.ui.charts.internal;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.jfree.chart.plot.XYPlot;
import org.tensorscope.core.trace.Trace;
import org.tensorscope.ui.api.EmptyStateView;
import org.tensorscope.ui.api.OpSelectionProvider;

/**
 * Per op along the execution order: the largest finite magnitude, the finite min, max, mean and std, and the NaN/Inf
 * count, so growing activations and where they turn non-finite stand out. Click a point to select
 * that op.
 */
public class LayerProfileView extends EmptyStateView {

    ChartCanvas canvas;
    private Button logScale;
    Trace shown;
    /** The op last clicked, else the op in focus: the workbench's selection while this view is active. */
    private final OpSelectionProvider selection = new OpSelectionProvider();

    @Override
    protected String emptyStateMessage() {
        return "No run yet. Open a model and run it to see the value range of each layer.";
    }

    @Override
    protected boolean hasContent() {
        return runState().outcome().isPresent();
    }

    @Override
    protected void createContent(Composite parent) {
        Composite area = new Composite(parent, SWT.NONE);
        area.setLayout(new GridLayout(1, false));
        logScale = new Button(area, SWT.CHECK);
        logScale.setText("&Log scale");
        logScale.addListener(SWT.Selection, e -> draw());
        canvas = new ChartCanvas(area);
        canvas.control().setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        canvas.control().addListener(SWT.MouseDown, e -> selectAt(e.x));
        setSelectionProvider(selection);
    }

    @Override
    protected void refresh() {
        selection.follow(focus().focusOp().orElse(null));
        Trace trace = runState().outcome().orElseThrow().trace();
        if (trace != shown) {
            shown = trace;
            draw();
        }
    }

    private void draw() {
        if (shown == null) {
            return;
        }
        canvas.setChart(LayerProfileChart.of(shown.rows(), logScale.getSelection()));
    }

    /** Selects the op whose execution index is under the click, through the plot's domain axis. */
    void selectAt(int x) {
        if (shown == null || shown.rows().isEmpty() || canvas.chart() == null || canvas.dataArea() == null
                || canvas.dataArea().isEmpty()) {
            return;
        }
        XYPlot plot = (XYPlot) canvas.chart().getPlot();
        double value = plot.getDomainAxis().java2DToValue(x, canvas.dataArea(), plot.getDomainAxisEdge());
        int index = (int) Math.max(0, Math.min(shown.rows().size() - 1, Math.round(value)));
        // a click activates the view; its selection is what the views showing the op in focus follow
        getSite().getPage().activate(this);
        selection.select(shown.rows().get(index).opName());
    }
}
