package org.tensorscope.ui.charts.internal;

import java.awt.Color;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.text.TextUtils;
import org.jfree.data.category.DefaultCategoryDataset;
import org.tensorscope.core.analysis.Histogram;

/**
 * The Histogram view's chart: finite bins in a neutral colour, then NaN, -Inf and +Inf as bars of
 * their own, each in a distinct colour named in the legend; optionally the previous run's counts,
 * or the other side's of a comparison, beside them.
 */
final class HistogramChart {

    static final String FINITE = "finite values";
    static final String NAN = "NaN";
    static final String NEG_INF = "-Inf";
    static final String POS_INF = "+Inf";
    static final String PREVIOUS = "previous run";

    /** Neutral for ordinary values: colour is kept for what is wrong. */
    static final Color FINITE_COLOR = new Color(0x6E, 0x86, 0xA0);
    static final Color NAN_COLOR = new Color(0xC6, 0x28, 0x28);
    static final Color NEG_INF_COLOR = new Color(0x6A, 0x1B, 0x9A);
    static final Color POS_INF_COLOR = new Color(0xEF, 0x6C, 0x00);
    static final Color PREVIOUS_COLOR = new Color(0xB0, 0xB0, 0xB0);

    static {
        // JFreeChart draws each rotated label through a TextLayout of its own by default (a
        // workaround for a bug of old JDKs): Java2D draws the same pixels without it, for two thirds
        // of the CPU time in a fresh VM's first hundred charts, and an SVG export keeps the labels as text
        TextUtils.setUseDrawRotatedStringWorkaround(false);
    }

    private HistogramChart() {
    }

    static JFreeChart of(Histogram histogram, Histogram previous, boolean logCounts) {
        return of(histogram, previous, PREVIOUS, logCounts);
    }

    /**
     * @param overlay      counts of another tensor in the same bins, drawn beside the current ones; null for none
     * @param overlayLabel what the overlay is, as the legend names it ("previous run", "B: model.tflite")
     */
    static JFreeChart of(Histogram histogram, Histogram previous, String overlayLabel, boolean logCounts) {
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        double[] edges = histogram.edges();
        long[] binCounts = histogram.counts();
        Set<String> labels = new HashSet<>();
        for (int i = 0; i < binCounts.length; i++) {
            String label = binLabel(edges[i]);
            // narrow ranges round several edges to one label; a category per bin keeps them apart
            String bin = labels.add(label) ? label : label + " (" + i + ")";
            dataset.addValue(binCounts[i], FINITE, bin);
            if (previous != null) {
                dataset.addValue(previous.counts()[i], overlayLabel, bin);
            }
        }
        addSpecial(dataset, NAN, histogram.nan(), previous == null ? -1 : previous.nan(), overlayLabel);
        addSpecial(dataset, NEG_INF, histogram.negInf(), previous == null ? -1 : previous.negInf(), overlayLabel);
        addSpecial(dataset, POS_INF, histogram.posInf(), previous == null ? -1 : previous.posInf(), overlayLabel);
        String axis = histogram.binning() == Histogram.Binning.SYMLOG ? "value (symmetric-log bins)" : "value";
        // every series has its own categories, so stacking draws each bar at full width
        // no tooltips: the canvas shows none, and JFreeChart would format one for every bar of every chart drawn
        JFreeChart chart = previous == null
                ? ChartFactory.createStackedBarChart(null, axis, "count", dataset, PlotOrientation.VERTICAL, true, false,
                        false)
                : ChartFactory.createBarChart(null, axis, "count", dataset, PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = (CategoryPlot) chart.getPlot();
        @SuppressWarnings("unchecked")
        List<String> categories = dataset.getColumnKeys();
        BinAxis bins = new BinAxis(axis, categories, List.of(NAN, NEG_INF, POS_INF));
        bins.setCategoryLabelPositions(CategoryLabelPositions.UP_90);
        plot.setDomainAxis(bins);
        ChartUtils.applyCurrentTheme(chart); // the chart's fonts and colours, as the factory gave its own axis
        bins.setTickLabelFont(bins.getTickLabelFont().deriveFont(9f));
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0);
        for (int series = 0; series < dataset.getRowCount(); series++) {
            String key = (String) dataset.getRowKey(series);
            renderer.setSeriesPaint(series, key.equals(overlayLabel) ? PREVIOUS_COLOR : colorOf(key));
        }
        // bars and grid lines are upright rectangles, which antialiasing only blurs; Java2D's antialiasing renderer
        // was most of what the JIT compiled while the first steps drew their charts. The text keeps it: without
        // a hint of its own, Java2D would take the shapes' for it
        chart.setAntiAlias(false);
        chart.setTextAntiAlias(true);
        if (logCounts) {
            LogarithmicAxis log = new LogarithmicAxis("count (log)");
            log.setAllowNegativesFlag(true);
            plot.setRangeAxis(log);
        }
        return chart;
    }

    /** A bin's lower edge as the axis shows it, e.g. -3.40e+38 or 0.125. */
    static String binLabel(double edge) {
        return String.format(java.util.Locale.ROOT, "%.3g", edge);
    }

    static Color colorOf(String series) {
        return switch (series) {
            case NAN -> NAN_COLOR;
            case NEG_INF -> NEG_INF_COLOR;
            case POS_INF -> POS_INF_COLOR;
            case PREVIOUS -> PREVIOUS_COLOR;
            default -> FINITE_COLOR;
        };
    }

    private static void addSpecial(DefaultCategoryDataset dataset, String kind, long count, long previousCount,
            String overlayLabel) {
        dataset.addValue(count, kind, kind);
        if (previousCount >= 0) {
            dataset.addValue(previousCount, overlayLabel, kind);
        }
    }
}
