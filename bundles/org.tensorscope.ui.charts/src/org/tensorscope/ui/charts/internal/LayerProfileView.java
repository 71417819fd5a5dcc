package org.tensorscope.ui.charts.internal;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.jfree.chart.plot.XYPlot;
import org.tensorscope.core.trace.Trace;
import org.tensorscope.ui.internal.session.DebugSession;
import org.tensorscope.ui.internal.views.EmptyStateView;

/**
 * Per op along the execution order: the largest finite magnitude, the finite min, max, mean and std, and the NaN/Inf
 * count, so growing activations and where they turn non-finite stand out. Click a point to select
 * that op.
 */
public class LayerProfileView extends EmptyStateView {

    private ChartCanvas canvas;
    private Button logScale;
    private Trace shown;

    @Override
    protected String emptyStateMessage() {
        return "No run yet. Open a model and run it to see the value range of each layer.";
    }

    @Override
    protected boolean hasContent(DebugSession session) {
        return session.outcome().isPresent();
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
    }

    @Override
    protected void refresh(DebugSession session) {
        Trace trace = session.outcome().orElseThrow().trace();
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
    private void selectAt(int x) {
        if (shown == null || shown.rows().isEmpty() || canvas.chart() == null || canvas.dataArea() == null
                || canvas.dataArea().isEmpty()) {
            return;
        }
        XYPlot plot = (XYPlot) canvas.chart().getPlot();
        double value = plot.getDomainAxis().java2DToValue(x, canvas.dataArea(), plot.getDomainAxisEdge());
        int index = (int) Math.max(0, Math.min(shown.rows().size() - 1, Math.round(value)));
        DebugSession.get().select(shown.rows().get(index).opName());
    }

    /** Whether the chart has been drawn, so clicks map to ops; for tests. */
    public boolean isDrawn() {
        return canvas.chart() != null && canvas.dataArea() != null && !canvas.dataArea().isEmpty();
    }

    /** Clicks the chart at a fraction of the data area's width (0 left edge, 1 right edge); for tests. */
    public void clickAt(double fraction) {
        var area = canvas.dataArea();
        selectAt((int) Math.round(area.getX() + fraction * area.getWidth()));
    }

    /** The number of ops plotted, for tests. */
    public int getPlottedOpCount() {
        return shown == null ? 0 : shown.rows().size();
    }
}
