package org.tensorscope.ui.charts.internal;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.tensorscope.core.report.Numbers;
import org.tensorscope.core.sequence.DriftFinding;
import org.tensorscope.core.sequence.SequenceResult;

/**
 * The Sequence view's chart: over the steps, the norm of every output and fed-back state, or the
 * finite max|x| of every op; the drift steps marked orange, the first NaN/Inf step red and the step
 * the other views show blue.
 */
final class SequenceChart {

    /** What the chart plots over the steps. */
    enum Series {
        OUTPUTS_AND_STATES("Outputs and states (L2 norm)"), OPS("Every op (finite max |x|)");

        final String label;

        Series(String label) {
            this.label = label;
        }
    }

    static final Color DRIFT_COLOR = new Color(0xE0, 0x86, 0x00);
    static final Color NAN_COLOR = HistogramChart.NAN_COLOR;
    static final Color SHOWN_COLOR = new Color(0x1E, 0x5A, 0xDC);
    /** Past this many series the legend would hide the chart; tooltips name them instead. */
    static final int LEGEND_LIMIT = 12;

    private SequenceChart() {
    }

    static JFreeChart of(SequenceResult result, Series what, boolean log, int shownStep) {
        XYSeriesCollection dataset = new XYSeriesCollection();
        if (what == Series.OUTPUTS_AND_STATES) {
            for (String output : result.outputNames()) {
                dataset.addSeries(series("output " + output, result.outputNorms(output), log));
            }
            for (String state : result.stateNames()) {
                dataset.addSeries(series("state " + state, result.stateNorms(state), log));
            }
        } else {
            for (String tensor : result.opTensors()) {
                dataset.addSeries(series(tensor, result.opMaxAbs(tensor), log));
            }
        }
        JFreeChart chart = ChartFactory.createXYLineChart(null, "step",
                what == Series.OPS ? "max |x| (finite)" : "L2 norm", dataset, PlotOrientation.VERTICAL,
                dataset.getSeriesCount() <= LEGEND_LIMIT, true, false);
        XYPlot plot = (XYPlot) chart.getPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
        plot.setDomainGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
        NumberAxis steps = (NumberAxis) plot.getDomainAxis();
        steps.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        steps.setRange(-0.5, Math.max(1, result.steps().size()) - 0.5);
        if (log) {
            LogarithmicAxis axis = new LogarithmicAxis(plot.getRangeAxis().getLabel() + " (log)");
            axis.setAllowNegativesFlag(true);
            axis.setExpTickLabelsFlag(true); // "1e38", not a long that overflows
            plot.setRangeAxis(axis);
        }
        XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) plot.getRenderer();
        renderer.setDefaultShapesVisible(result.steps().size() <= 60);
        for (Marker marker : markers(result, shownStep)) {
            ValueMarker line = new ValueMarker(marker.step, marker.color, new BasicStroke(marker.width));
            line.setLabel(marker.label);
            line.setLabelPaint(marker.color);
            line.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            line.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            plot.addDomainMarker(line);
        }
        return chart;
    }

    /** A step marked on the chart. */
    record Marker(int step, String label, Color color, float width) {
    }

    /** The drift steps, the first NaN/Inf step and the shown step, as the chart marks them. */
    static List<Marker> markers(SequenceResult result, int shownStep) {
        List<Marker> markers = new ArrayList<>();
        for (DriftFinding drift : result.findings().drift()) {
            markers.add(new Marker(drift.step(), "drift: " + drift.name() + " x" + Numbers.format(drift.growthPerStep())
                    + "/step", DRIFT_COLOR, 2f));
        }
        if (result.findings().nan() != null) {
            markers.add(new Marker(result.findings().nan().step(), "NaN/Inf: " + result.findings().nan().op(),
                    NAN_COLOR, 2f));
        }
        if (shownStep >= 0) {
            markers.add(new Marker(shownStep, "shown", SHOWN_COLOR, 1f));
        }
        return markers;
    }

    private static XYSeries series(String name, double[] values, boolean log) {
        XYSeries series = new XYSeries(name, false, true);
        for (int step = 0; step < values.length; step++) {
            // a gap where the value is not finite (or not positive on a log axis), not a zero
            if (Double.isFinite(values[step]) && (!log || values[step] > 0)) {
                series.add(step, values[step]);
            }
        }
        return series;
    }
}
