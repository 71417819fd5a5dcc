package org.tensorscope.ui.charts.internal;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jfree.chart.axis.AxisSpace;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.text.TextBlock;
import org.jfree.chart.text.TextUtils;
import org.jfree.chart.ui.RectangleEdge;

/**
 * The histogram's value axis: labels only as many bins' lower edges as fit side by side, evenly spaced, so
 * that each can be read. Every bin keeps its bar; a hundred bins on a chart a few hundred pixels wide would
 * otherwise draw a hundred labels over each other (and the chart's job would spend most of its time drawing
 * them). The NaN, -Inf and +Inf bars at the end are named by one label under them when theirs do not fit.
 */
final class BinAxis extends CategoryAxis {

    private static final long serialVersionUID = 1L;

    /** Each category's position along the axis. */
    private final Map<Comparable<?>, Integer> positions;
    private final int finiteBins;
    private final List<String> special;
    /** Every how many bins a finite bin is labelled, for the data area of the chart being drawn. */
    private int stride = 1;

    /**
     * @param categories the dataset's columns in order: the finite bins, then {@code special}
     * @param special    the categories after the finite bins (NaN, -Inf, +Inf)
     */
    BinAxis(String label, List<String> categories, List<String> special) {
        super(label);
        this.special = List.copyOf(special);
        this.finiteBins = categories.size() - special.size();
        this.positions = new HashMap<>();
        for (int i = 0; i < categories.size(); i++) {
            positions.put(categories.get(i), i);
        }
    }

    /**
     * The plot asks for the axis's room first, given the plot's area and the room the value axis takes beside
     * it: the labels are chosen then for the data area that leaves, and drawn the same in {@link #draw}.
     */
    @Override
    public AxisSpace reserveSpace(Graphics2D g2, Plot plot, Rectangle2D plotArea, RectangleEdge edge, AxisSpace space) {
        Rectangle2D data = new Rectangle2D.Double(plotArea.getX() + space.getLeft(), plotArea.getY() + space.getTop(),
                plotArea.getWidth() - space.getLeft() - space.getRight(),
                plotArea.getHeight() - space.getTop() - space.getBottom());
        stride = strideFor(g2, data, edge);
        return super.reserveSpace(g2, plot, plotArea, edge, space);
    }

    @Override
    public AxisState draw(Graphics2D g2, double cursor, Rectangle2D plotArea, Rectangle2D dataArea, RectangleEdge edge,
            PlotRenderingInfo plotState) {
        stride = strideFor(g2, dataArea, edge);
        return super.draw(g2, cursor, plotArea, dataArea, edge, plotState);
    }

    /** Every how many bins a label fits, the labels a line's height apart, the bars spread over {@code data}. */
    private int strideFor(Graphics2D g2, Rectangle2D data, RectangleEdge edge) {
        int n = positions.size();
        double pitch = n < 2 ? Double.MAX_VALUE
                : getCategoryMiddle(1, n, data, edge) - getCategoryMiddle(0, n, data, edge);
        // rotated labels stand side by side a line's height apart
        return strideFor(pitch, g2.getFontMetrics(getTickLabelFont()).getHeight() + 2);
    }

    /** Every how many categories {@code pitch} apart a label is drawn, so that labels are {@code room} apart. */
    static int strideFor(double pitch, double room) {
        return pitch <= 0 ? 1 : Math.max(1, (int) Math.ceil(room / pitch - 1e-9));
    }

    /** Every how many bins the finite bins were labelled in the last drawing. */
    int stride() {
        return stride;
    }

    @Override
    protected TextBlock createLabel(Comparable category, float width, RectangleEdge edge, Graphics2D g2) {
        String text = labelOf(category, stride);
        if (text.isEmpty()) {
            return new TextBlock();
        }
        // the joint label is wider than one bar's room; it has the room of the three
        return stride > 1 && special.contains(category.toString())
                ? TextUtils.createTextBlock(text, getTickLabelFont(category), getTickLabelPaint(category))
                : super.createLabel(category, width, edge, g2);
    }

    /** What the axis writes under a category's bar with finite bins labelled {@code stride} apart; empty for none. */
    private String labelOf(Comparable<?> category, int stride) {
        Integer i = positions.get(category);
        if (i == null || stride == 1) {
            return category.toString();
        }
        if (i < finiteBins) {
            // the last finite label keeps clear of the joint label, under the middle of the three
            return i % stride == 0 && i + stride <= finiteBins + special.size() / 2 ? category.toString() : "";
        }
        return i == finiteBins + special.size() / 2 ? String.join(" ", special) : "";
    }

    /** The labels under the bars in order, empty where none, with finite bins labelled {@code stride} apart. */
    List<String> labels(int stride) {
        return positions.entrySet().stream().sorted(Map.Entry.comparingByValue())
                .map(e -> labelOf(e.getKey(), stride)).toList();
    }
}
