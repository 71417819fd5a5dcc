package org.tensorscope.ui.charts.tests;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.ui.IViewPart;
import org.tensorscope.ui.api.TextLine;
import org.tensorscope.ui.charts.internal.ChartViewsAccess;

/**
 * What the Histogram, Layer Profile and Sequence views show, and clicks on their charts, for the
 * workbench tests of other bundles ({@code org.tensorscope.ui.tests}). Exported by this test
 * fragment only: the product has none of it. Call on the UI thread with the view as
 * {@code IWorkbenchPage.showView} returns it.
 */
public final class ChartViews {

    private ChartViews() {
    }

    /** The Histogram's NaN count, -1 before a tensor is shown. */
    public static long histogramNanCount(IViewPart histogram) {
        return ChartViewsAccess.histogramNanCount(histogram);
    }

    /** The Histogram's +Inf and -Inf count, -1 before a tensor is shown. */
    public static long histogramInfCount(IViewPart histogram) {
        return ChartViewsAccess.histogramInfCount(histogram);
    }

    /** What is laid over the Histogram ("previous run", "B: model.json"), null when nothing is. */
    public static String histogramOverlayLabel(IViewPart histogram) {
        return ChartViewsAccess.histogramOverlayLabel(histogram);
    }

    /** The number of values laid over the Histogram, -1 when there is no overlay. */
    public static long histogramOverlayCount(IViewPart histogram) {
        return ChartViewsAccess.histogramOverlayCount(histogram);
    }

    /** The NaN count of the values laid over the Histogram, -1 when there is no overlay. */
    public static long histogramPreviousNanCount(IViewPart histogram) {
        return ChartViewsAccess.histogramPreviousNanCount(histogram);
    }

    /**
     * Whether this VM has drawn the sample chart that loads the charts' classes and fonts ahead of
     * the first chart, off the UI thread (the Histogram view asks for it when it opens).
     */
    public static boolean chartsWarmedUpOffUiThread(IViewPart histogram) {
        return ChartViewsAccess.chartsWarmedUpOffUiThread(histogram);
    }

    /** The tensor whose chart the Histogram has on the screen, null while none is. */
    public static String histogramDrawn(IViewPart histogram) {
        return ChartViewsAccess.histogramDrawn(histogram);
    }

    /** Whether the Histogram's chart on the screen was drawn off the UI thread (the paint only copied it). */
    public static boolean histogramDrawnOffUiThread(IViewPart histogram) {
        return ChartViewsAccess.histogramDrawnOffUiThread(histogram);
    }

    /**
     * Whether the SWT image of the Histogram's chart on the screen was made off the UI thread and
     * is shown as the canvas's background (GTK paints it from its own pixels; no paint copies it).
     */
    public static boolean histogramImageMadeOffUiThreadAndNotCopied(IViewPart histogram) {
        return ChartViewsAccess.histogramImageMadeOffUiThreadAndNotCopied(histogram);
    }

    /** The Histogram's counts line ("name   NaN 0   -Inf 0 ..."). */
    public static String histogramCountsText(IViewPart histogram) {
        return ChartViewsAccess.histogramCountsText(histogram);
    }

    /** The widget of the Histogram's counts line. */
    public static TextLine histogramCountsLine(IViewPart histogram) {
        return ChartViewsAccess.histogramCountsLine(histogram);
    }

    /** The number of values the Histogram's chart counts in its bars (finite bins, NaN, -Inf, +Inf); -1 before a chart. */
    public static long histogramChartTotal(IViewPart histogram) {
        return ChartViewsAccess.histogramChartTotal(histogram);
    }

    /** Saves the Histogram's chart as Export Chart… does (PNG or SVG by the file's ending). */
    public static void exportHistogram(IViewPart histogram, Path file) throws IOException {
        ChartViewsAccess.exportHistogram(histogram, file);
    }

    /** Whether the Layer Profile's chart is drawn, so that clicks map to ops. */
    public static boolean profileDrawn(IViewPart profile) {
        return ChartViewsAccess.profileDrawn(profile);
    }

    /** Clicks the Layer Profile at a fraction of its data area's width (0 left edge, 1 right edge). */
    public static void profileClickAt(IViewPart profile, double fraction) {
        ChartViewsAccess.profileClickAt(profile, fraction);
    }

    /** The number of ops the Layer Profile plots. */
    public static int profilePlottedOpCount(IViewPart profile) {
        return ChartViewsAccess.profilePlottedOpCount(profile);
    }

    /** Whether the Sequence view's chart is drawn, so that clicks map to steps. */
    public static boolean sequenceDrawn(IViewPart sequence) {
        return ChartViewsAccess.sequenceDrawn(sequence);
    }

    /** Clicks the Sequence view's chart on a step, as a user would. */
    public static void sequenceClickStep(IViewPart sequence, int step) {
        ChartViewsAccess.sequenceClickStep(sequence, step);
    }

    /** The number of steps the Sequence view plots. */
    public static int sequencePlottedStepCount(IViewPart sequence) {
        return ChartViewsAccess.sequencePlottedStepCount(sequence);
    }

    /** The steps marked on the Sequence chart with their labels, e.g. "25 drift: state x1.1/step". */
    public static List<String> sequenceMarkers(IViewPart sequence) {
        return ChartViewsAccess.sequenceMarkers(sequence);
    }

    /** The Sequence view's findings as it writes them. */
    public static String sequenceFindingsText(IViewPart sequence) {
        return ChartViewsAccess.sequenceFindingsText(sequence);
    }

    /** The Sequence view's one-line notice (why a step asked for cannot be shown); empty when none shows. */
    public static String sequenceNoticeText(IViewPart sequence) {
        return ChartViewsAccess.sequenceNoticeText(sequence);
    }

    /** The lines the Sequence view writes above its chart for a result. */
    public static List<String> sequenceFindingsOf(org.tensorscope.core.sequence.SequenceResult result) {
        return ChartViewsAccess.sequenceFindingsOf(result);
    }

    /** Asks the Sequence view for a step as its step field's Enter does. */
    public static void sequenceShowStep(IViewPart sequence, int step) {
        ChartViewsAccess.sequenceShowStep(sequence, step);
    }

    /** The series the Sequence chart draws, by name. */
    public static List<String> sequenceSeriesNames(IViewPart sequence) {
        return ChartViewsAccess.sequenceSeriesNames(sequence);
    }
}
