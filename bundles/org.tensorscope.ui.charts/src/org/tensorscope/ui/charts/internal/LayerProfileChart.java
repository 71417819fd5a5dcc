package org.tensorscope.ui.charts.internal;

import java.awt.Color;
import java.util.List;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.tensorscope.core.trace.TensorHealth;

/**
 * The Layer Profile's chart: per op in execution order, the finite value statistics on the left
 * axis and the NaN/Inf element count as bars on a second axis at the right, so a count of 3 is not
 * lost on a scale of 1e38.
 */
final class LayerProfileChart {

    static final String NON_FINITE = "NaN + Inf elements";
    /** A CURT pass marks NaN/Inf present without counting them: drawn at the tensor's size, the most they can be. */
    static final String NOT_COUNTED = "NaN/Inf present, not counted (at most)";
    /** Index of the dataset and axis of the NaN/Inf counts in the plot. */
    static final int COUNT_INDEX = 1;
    static final Color COUNT_COLOR = HistogramChart.NAN_COLOR;

    private LayerProfileChart() {
    }

    static JFreeChart of(List<TensorHealth> rows, boolean logValues) {
        XYSeries maxAbs = new XYSeries("max |x| (finite)");
        XYSeries mean = new XYSeries("mean");
        XYSeries min = new XYSeries("min (finite)");
        XYSeries max = new XYSeries("max (finite)");
        XYSeries std = new XYSeries("std (finite)");
        XYSeries nonFinite = new XYSeries(NON_FINITE);
        XYSeries notCounted = new XYSeries(NOT_COUNTED);
        for (int i = 0; i < rows.size(); i++) {
            TensorHealth row = rows.get(i);
            add(maxAbs, i, row.maxAbs(), logValues);
            add(mean, i, row.mean(), logValues);
            add(min, i, row.min(), logValues);
            add(max, i, row.max(), logValues);
            add(std, i, row.std(), logValues);
            if (!row.isCounted()) {
                notCounted.add(i, row.elements());
            } else if (row.nonFiniteCount() > 0) {
                nonFinite.add(i, row.nonFiniteCount());
            }
        }
        XYSeriesCollection values = new XYSeriesCollection();
        values.addSeries(maxAbs);
        values.addSeries(mean);
        values.addSeries(min);
        values.addSeries(max);
        values.addSeries(std);
        JFreeChart chart = ChartFactory.createXYLineChart(null, "op (execution order)", "value", values,
                PlotOrientation.VERTICAL, true, true, false);
        XYPlot plot = (XYPlot) chart.getPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
        plot.setDomainGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
        if (logValues) {
            LogarithmicAxis axis = new LogarithmicAxis("value (log)");
            axis.setAllowNegativesFlag(true);
            axis.setExpTickLabelsFlag(true); // "1e38", not a long that overflows
            plot.setRangeAxis(axis);
        }
        NumberAxis countAxis = new NumberAxis("NaN + Inf elements");
        countAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        countAxis.setLabelPaint(COUNT_COLOR);
        countAxis.setTickLabelPaint(COUNT_COLOR);
        plot.setRangeAxis(COUNT_INDEX, countAxis);
        XYSeriesCollection counts = new XYSeriesCollection(nonFinite);
        if (notCounted.getItemCount() > 0) {
            counts.addSeries(notCounted);
        }
        plot.setDataset(COUNT_INDEX, counts);
        plot.mapDatasetToRangeAxis(COUNT_INDEX, COUNT_INDEX);
        XYBarRenderer bars = new XYBarRenderer();
        bars.setBarPainter(new StandardXYBarPainter());
        bars.setShadowVisible(false);
        bars.setSeriesPaint(0, new Color(COUNT_COLOR.getRed(), COUNT_COLOR.getGreen(), COUNT_COLOR.getBlue(), 160));
        bars.setSeriesPaint(1, new Color(COUNT_COLOR.getRed(), COUNT_COLOR.getGreen(), COUNT_COLOR.getBlue(), 60));
        plot.setRenderer(COUNT_INDEX, bars);
        return chart;
    }

    private static void add(XYSeries series, int x, double value, boolean log) {
        if (Double.isFinite(value) && (!log || value > 0)) {
            series.add(x, value);
        }
    }
}
