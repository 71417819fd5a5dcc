package org.tensorscope.ui.charts.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.eclipse.ui.IViewPart;
import org.jfree.chart.plot.XYPlot;

/**
 * What the chart views show, read from their fields for the workbench tests: the test fragment is
 * the one place that reaches into the views (through {@code org.tensorscope.ui.charts.tests.ChartViews}).
 */
public final class ChartViewsAccess {

    private ChartViewsAccess() {
    }

    public static long histogramNanCount(IViewPart view) {
        HistogramView h = (HistogramView) view;
        return h.histogram == null ? -1 : h.histogram.nan();
    }

    public static long histogramInfCount(IViewPart view) {
        HistogramView h = (HistogramView) view;
        return h.histogram == null ? -1 : h.histogram.posInf() + h.histogram.negInf();
    }

    public static String histogramOverlayLabel(IViewPart view) {
        HistogramView h = (HistogramView) view;
        return h.previous == null ? null : h.overlayLabel;
    }

    public static long histogramOverlayCount(IViewPart view) {
        HistogramView h = (HistogramView) view;
        return h.previous == null ? -1
                : Arrays.stream(h.previous.counts()).sum() + h.previous.nan() + h.previous.negInf() + h.previous.posInf();
    }

    public static long histogramPreviousNanCount(IViewPart view) {
        HistogramView h = (HistogramView) view;
        return h.previous == null ? -1 : h.previous.nan();
    }

    public static boolean chartsWarmedUpOffUiThread(IViewPart view) {
        Thread drawer = ChartWarmUp.drewOn;
        return drawer != null && drawer != view.getSite().getShell().getDisplay().getThread();
    }

    public static String histogramDrawn(IViewPart view) {
        return ((HistogramView) view).drawn();
    }

    public static boolean histogramDrawnOffUiThread(IViewPart view) {
        Thread drewOn = ((HistogramView) view).canvas.drewOn;
        return drewOn != null && drewOn != view.getSite().getShell().getDisplay().getThread();
    }

    public static boolean histogramImageMadeOffUiThreadAndNotCopied(IViewPart view) {
        ChartCanvas canvas = ((HistogramView) view).canvas;
        Thread madeOn = canvas.imageMadeOn;
        return madeOn != null && madeOn != view.getSite().getShell().getDisplay().getThread()
                && canvas.backgroundImage() != null;
    }

    public static String histogramCountsText(IViewPart view) {
        return ((HistogramView) view).counts.getText();
    }

    public static org.tensorscope.ui.api.TextLine histogramCountsLine(IViewPart view) {
        return ((HistogramView) view).counts;
    }

    public static long histogramChartTotal(IViewPart view) {
        var chart = ((HistogramView) view).canvas.chart();
        if (chart == null) {
            return -1;
        }
        var dataset = ((org.jfree.chart.plot.CategoryPlot) chart.getPlot()).getDataset();
        long total = 0;
        for (int series = 0; series < dataset.getRowCount(); series++) {
            if (dataset.getRowKey(series).equals(((HistogramView) view).overlayLabel)) {
                continue;
            }
            for (int column = 0; column < dataset.getColumnCount(); column++) {
                Number value = dataset.getValue(series, column);
                total += value == null ? 0 : value.longValue();
            }
        }
        return total;
    }

    public static void exportHistogram(IViewPart view, Path file) throws IOException {
        ChartExport.save(((HistogramView) view).chart(), file);
    }

    public static boolean profileDrawn(IViewPart view) {
        return drawn(((LayerProfileView) view).canvas);
    }

    public static void profileClickAt(IViewPart view, double fraction) {
        LayerProfileView profile = (LayerProfileView) view;
        var area = profile.canvas.dataArea();
        profile.selectAt((int) Math.round(area.getX() + fraction * area.getWidth()));
    }

    public static int profilePlottedOpCount(IViewPart view) {
        LayerProfileView profile = (LayerProfileView) view;
        return profile.shown == null ? 0 : profile.shown.rows().size();
    }

    public static boolean sequenceDrawn(IViewPart view) {
        return ((SequenceView) view).drawn();
    }

    public static void sequenceClickStep(IViewPart view, int step) {
        SequenceView sequence = (SequenceView) view;
        XYPlot plot = (XYPlot) sequence.canvas.chart().getPlot();
        double x = plot.getDomainAxis().valueToJava2D(step, sequence.canvas.dataArea(), plot.getDomainAxisEdge());
        sequence.selectAt((int) Math.round(x));
    }

    public static int sequencePlottedStepCount(IViewPart view) {
        SequenceView sequence = (SequenceView) view;
        return sequence.shown == null ? 0 : sequence.shown.steps().size();
    }

    public static List<String> sequenceMarkers(IViewPart view) {
        SequenceView sequence = (SequenceView) view;
        return sequence.shown == null ? List.of()
                : SequenceChart.markers(sequence.shown, sequence.shownStep).stream().map(m -> m.step() + " " + m.label())
                        .toList();
    }

    public static String sequenceFindingsText(IViewPart view) {
        return ((SequenceView) view).findings.getText();
    }

    public static String sequenceNoticeText(IViewPart view) {
        SequenceView sequence = (SequenceView) view;
        return sequence.notice.getVisible() ? sequence.notice.getText() : "";
    }

    public static List<String> sequenceFindingsOf(org.tensorscope.core.sequence.SequenceResult result) {
        return SequenceView.findingsOf(result);
    }

    public static void sequenceShowStep(IViewPart view, int step) {
        ((SequenceView) view).showStep(step);
    }

    public static List<String> sequenceSeriesNames(IViewPart view) {
        SequenceView sequence = (SequenceView) view;
        if (sequence.canvas.chart() == null) {
            return List.of();
        }
        var dataset = ((XYPlot) sequence.canvas.chart().getPlot()).getDataset();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < dataset.getSeriesCount(); i++) {
            names.add(String.valueOf(dataset.getSeriesKey(i)));
        }
        return names;
    }

    private static boolean drawn(ChartCanvas canvas) {
        return canvas.chart() != null && canvas.dataArea() != null && !canvas.dataArea().isEmpty();
    }
}
