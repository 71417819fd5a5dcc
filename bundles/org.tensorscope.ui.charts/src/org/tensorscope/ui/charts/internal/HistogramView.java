package org.tensorscope.ui.charts.internal;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;
import org.tensorscope.core.analysis.Histogram;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.ui.internal.preferences.TensorscopePreferences;
import org.tensorscope.ui.internal.session.DebugSession;
import org.tensorscope.ui.internal.views.FocusedTensorView;

/**
 * The NaN-aware histogram of the selected op's output: finite bins, then NaN, -Inf and +Inf
 * apart; symmetric-log binning so overflowing values stay readable; linear or log count axis.
 */
public class HistogramView extends FocusedTensorView {

    private ChartCanvas canvas;
    private Label counts;
    private Button logCounts;
    private Histogram histogram;

    @Override
    protected void createContent(Composite parent) {
        Composite area = new Composite(parent, SWT.NONE);
        area.setLayout(new GridLayout(2, false));
        counts = new Label(area, SWT.NONE);
        counts.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        logCounts = new Button(area, SWT.CHECK);
        logCounts.setText("&Log count axis");
        logCounts.addListener(SWT.Selection, e -> draw());
        canvas = new ChartCanvas(area);
        canvas.control().setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 2, 1));
    }

    @Override
    protected void showOp(DebugSession session, OpNode node, TensorSpec output) {
        counts.setText(output.name() + ": fetching…");
    }

    @Override
    protected void showNothing(String why) {
        counts.setText(why);
        histogram = null;
        canvas.setChart(null);
    }

    @Override
    protected void showValues(TensorData data) {
        histogram = Histogram.of(data, TensorscopePreferences.histogramBins(), Histogram.Binning.SYMLOG);
        counts.setText(String.format("%s   NaN %d   -Inf %d   +Inf %d   zeros %d", data.name(), histogram.nan(),
                histogram.negInf(), histogram.posInf(), histogram.zeros()));
        counts.getParent().layout();
        draw();
    }

    private void draw() {
        if (histogram == null) {
            return;
        }
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        double[] edges = histogram.edges();
        long[] binCounts = histogram.counts();
        for (int i = 0; i < binCounts.length; i++) {
            dataset.addValue(binCounts[i], "finite", String.format("%.3g", edges[i]));
        }
        dataset.addValue(histogram.nan(), "NaN / Inf", "NaN");
        dataset.addValue(histogram.negInf(), "NaN / Inf", "-Inf");
        dataset.addValue(histogram.posInf(), "NaN / Inf", "+Inf");
        JFreeChart chart = ChartFactory.createStackedBarChart(null, "value (symmetric-log bins)", "count", dataset,
                PlotOrientation.VERTICAL, true, true, false);
        if (logCounts.getSelection()) {
            LogarithmicAxis axis = new LogarithmicAxis("count (log)");
            axis.setAllowNegativesFlag(true);
            ((CategoryPlot) chart.getPlot()).setRangeAxis(axis);
        }
        canvas.setChart(chart);
    }

    /** The NaN count shown, for tests; -1 before a tensor is shown. */
    public long getShownNanCount() {
        return histogram == null ? -1 : histogram.nan();
    }

    /** The +Inf and -Inf counts shown, for tests; -1 before a tensor is shown. */
    public long getShownInfCount() {
        return histogram == null ? -1 : histogram.posInf() + histogram.negInf();
    }
}
