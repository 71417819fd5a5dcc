package org.tensorscope.ui.charts.internal;

import java.io.IOException;
import java.nio.file.Path;

import org.eclipse.jface.action.Action;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Spinner;
import org.jfree.chart.JFreeChart;
import org.tensorscope.core.analysis.Histogram;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.run.AnalysedTensor;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.ui.api.ComparisonState;
import org.tensorscope.ui.api.FocusedTensorView;
import org.tensorscope.ui.api.RunState;
import org.tensorscope.ui.api.TensorscopePreferences;
import org.tensorscope.ui.api.TextLine;

/**
 * The NaN-aware histogram of the focused op's output: finite bins, then NaN, -Inf and +Inf
 * apart; symmetric-log or linear binning, bin count, linear or log count axis; the same op of
 * the previous run laid over it when it was looked at then, or side B's values of it while a
 * comparison is shown. Exports PNG and SVG.
 */
public class HistogramView extends FocusedTensorView {

    ChartCanvas canvas;
    TextLine counts;
    private Button logCounts;
    private Combo binning;
    private Spinner bins;
    private AnalysedTensor shown;
    Histogram histogram;
    /** What is laid over the chart: the previous run's values, or side B's; null when nothing is. */
    Histogram previous;
    String overlayLabel = HistogramChart.PREVIOUS;
    private final RunHistory history = new RunHistory();
    /** Side B's values of the tensor shown, while a comparison is shown; laid over instead of the previous run. */
    private TensorData otherSide;
    private Object otherOf;
    private Action export;

    @Override
    protected void createContent(Composite parent) {
        Composite area = new Composite(parent, SWT.NONE);
        area.setLayout(new GridLayout(6, false));
        // drawn, not a label: a label's new text had GTK measure it and lay out the window's path
        // to it on every step; the width left by the controls, whatever the text
        counts = new TextLine(area, 1);
        GridData countsData = new GridData(SWT.FILL, SWT.CENTER, true, false);
        countsData.widthHint = 0;
        counts.setLayoutData(countsData);
        binning = new Combo(area, SWT.READ_ONLY);
        binning.setItems("Symmetric-log bins", "Linear bins");
        binning.select(0);
        binning.addListener(SWT.Selection, e -> rebin());
        new Label(area, SWT.NONE).setText("Bins:");
        bins = new Spinner(area, SWT.BORDER);
        bins.setValues(TensorscopePreferences.histogramBins(), 1, 500, 0, 1, 10);
        bins.addListener(SWT.Selection, e -> rebin());
        logCounts = new Button(area, SWT.CHECK);
        logCounts.setText("&Log count axis");
        logCounts.addListener(SWT.Selection, e -> draw());
        new Label(area, SWT.NONE);
        canvas = new ChartCanvas(area);
        ChartWarmUp.start(canvas.control().getDisplay());
        canvas.control().setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 6, 1));
        export = new Action("Export Chart…") {
            @Override
            public void run() {
                exportChart();
            }
        };
        export.setToolTipText("Save the chart as PNG or SVG");
        export.setImageDescriptor(org.eclipse.jface.resource.ResourceLocator
                .imageDescriptorFromBundle("org.tensorscope.ui.charts", "icons/export.png").orElse(null));
        export.setEnabled(false);
        getViewSite().getActionBars().getToolBarManager().add(export);
    }

    @Override
    protected void showOp(OpNode node, TensorSpec output) {
        // the counts line changes with the chart it describes, in one repaint of the view
    }

    /** Said only when the values do not come at once: the run's cache mostly has them. */
    @Override
    protected void showFetching(OpNode node, TensorSpec output) {
        counts.setText(output.name() + ": fetching…");
    }

    @Override
    protected void showNothing(String why) {
        counts.setText(why);
        shown = null;
        histogram = null;
        previous = null;
        export.setEnabled(false);
        canvas.setChart(null);
    }

    @Override
    protected void showValues(AnalysedTensor analysed) {
        TensorData data = analysed.data();
        shown = analysed;
        RunState session = runState();
        history.record(session.graph().map(g -> g.source()).orElse(null), session.outcome().orElse(null), data,
                TensorscopePreferences.tensorMemoryBytes());
        otherSide = null;
        otherOf = null;
        fetchOtherSide();
        rebin();
    }

    @Override
    protected void sameTensor() {
        if (comparisons().comparison().orElse(null) != otherOf) {
            otherSide = null;
            otherOf = null;
            fetchOtherSide();
            rebin();
        }
    }

    /** While a comparison is shown, fetches side B's values of the tensor shown to lay them over side A's. */
    private void fetchOtherSide() {
        ComparisonState comparisons = comparisons();
        Object comparison = comparisons.comparison().orElse(null);
        if (shown == null || comparison == null) {
            return;
        }
        String tensor = shown.data().name();
        otherOf = comparison;
        comparisons.fetchB(tensor, values -> {
            if (!isDisposed() && shown != null && shown.data().name().equals(tensor)
                    && comparisons.comparison().orElse(null) == comparison) {
                otherSide = values;
                rebin();
            }
        });
    }

    private ComparisonState comparisons() {
        return service(ComparisonState.class);
    }

    private void rebin() {
        if (shown == null) {
            return;
        }
        histogram = shown.histogram(bins.getSelection(),
                binning.getSelectionIndex() == 0 ? Histogram.Binning.SYMLOG : Histogram.Binning.LINEAR);
        overlayLabel = otherSide != null ? "B: " + comparisons().nameOfB() : HistogramChart.PREVIOUS;
        previous = otherSide != null ? histogram.sameBins(otherSide)
                : history.previous(shown.data().name()).map(histogram::sameBins).orElse(null);
        export.setEnabled(true);
        draw();
    }

    private void draw() {
        if (histogram == null) {
            return;
        }
        Histogram bins = histogram;
        Histogram over = previous;
        String label = overlayLabel;
        boolean log = logCounts.getSelection();
        String text = String.format(java.util.Locale.ROOT, "%s   NaN %d   -Inf %d   +Inf %d   zeros %d%s", shown.data().name(),
                bins.nan(), bins.negInf(), bins.posInf(), bins.zeros(), over == null ? ""
                        : String.format(java.util.Locale.ROOT, "   (%s: NaN %d, Inf %d)", label, over.nan(), over.negInf() + over.posInf()));
        // made and drawn off the UI thread: JFreeChart drawing through SWTGraphics2D in the paint
        // held each step for 6-12 ms, its rotated labels drawn glyph by glyph; the counts line
        // changes with the chart it describes
        canvas.render(() -> HistogramChart.of(bins, over, label, log), () -> {
            if (!counts.isDisposed()) {
                counts.setText(text);
            }
        });
    }

    /** The tensor whose chart is on the screen, null while none is (the benchmark waits for it). */
    String drawn() {
        return shown != null && canvas.isPainted() ? shown.data().name() : null;
    }

    /**
     * The chart of what the view shows now, for export: the canvas's may still be the one before
     * while the new one is drawn.
     */
    JFreeChart chart() {
        return histogram == null ? null : HistogramChart.of(histogram, previous, overlayLabel, logCounts.getSelection());
    }

    private void exportChart() {
        JFreeChart chart = chart();
        if (chart == null) {
            return;
        }
        FileDialog dialog = new FileDialog(getSite().getShell(), SWT.SAVE);
        dialog.setFilterExtensions(new String[] {"*.png", "*.svg"});
        dialog.setFilterNames(new String[] {"PNG image", "SVG drawing"});
        dialog.setFileName(shown.data().name().replaceAll("[/:]", "_") + "-histogram.png");
        dialog.setOverwrite(true);
        String chosen = dialog.open();
        if (chosen != null) {
            try {
                ChartExport.save(chart, Path.of(chosen));
            } catch (IOException e) {
                MessageDialog.openError(getSite().getShell(), "Export Chart", chosen + ": " + e.getMessage());
            }
        }
    }
}
