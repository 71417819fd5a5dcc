package org.tensorscope.ui.charts.internal;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.text.TextBlock;
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
    /** Every how many bins a finite bin is labelled, for the area drawn last. */
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

    @Override
    public List refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
        double length = RectangleEdge.isTopOrBottom(edge) ? dataArea.getWidth() : dataArea.getHeight();
        // rotated labels stand side by side a line's height apart
        double room = g2.getFontMetrics(getTickLabelFont()).getHeight() + 2;
        stride = strideFor(positions.size(), length, room);
        return super.refreshTicks(g2, state, dataArea, edge);
    }

    /** Every how many of {@code categories} a label is drawn, so that labels {@code room} apart fit in {@code length}. */
    static int strideFor(int categories, double length, double room) {
        if (categories == 0 || length <= 0) {
            return 1;
        }
        return Math.max(1, (int) Math.ceil(room * categories / length));
    }

    @Override
    protected TextBlock createLabel(Comparable category, float width, RectangleEdge edge, Graphics2D g2) {
        String text = labelOf(category, stride);
        return text.isEmpty() ? new TextBlock() : super.createLabel(text, width, edge, g2);
    }

    /** What the axis writes under a category's bar with finite bins labelled {@code stride} apart; empty for none. */
    private String labelOf(Comparable<?> category, int stride) {
        Integer i = positions.get(category);
        if (i == null) {
            return category.toString();
        }
        if (i < finiteBins) {
            // the last finite labels keep clear of the NaN and infinity labels
            return i % stride == 0 && i + stride <= finiteBins ? category.toString() : "";
        }
        if (stride == 1) {
            return category.toString();
        }
        return i == finiteBins + special.size() / 2 ? String.join(" ", special) : "";
    }

    /** The labels under the bars in order, empty where none, for an axis of {@code length} pixels with labels {@code room} apart. */
    List<String> labels(double length, double room) {
        int every = strideFor(positions.size(), length, room);
        return positions.entrySet().stream().sorted(Map.Entry.comparingByValue())
                .map(e -> labelOf(e.getKey(), every)).toList();
    }
}
