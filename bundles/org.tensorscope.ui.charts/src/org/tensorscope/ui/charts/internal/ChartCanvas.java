package org.tensorscope.ui.charts.internal;

import java.awt.geom.Rectangle2D;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.swt.SWTGraphics2D;

/**
 * Draws a JFreeChart on an SWT canvas through SWTGraphics2D, repainting when the chart is set.
 */
final class ChartCanvas {

    private final Canvas canvas;
    private JFreeChart chart;
    private JFreeChart painted;
    private final ChartRenderingInfo rendering = new ChartRenderingInfo();

    ChartCanvas(Composite parent) {
        canvas = new Canvas(parent, SWT.DOUBLE_BUFFERED);
        canvas.addPaintListener(e -> {
            if (chart != null) {
                Rectangle area = canvas.getClientArea();
                SWTGraphics2D g2 = new SWTGraphics2D(e.gc);
                chart.draw(g2, new Rectangle2D.Double(0, 0, area.width, area.height), rendering);
                g2.dispose();
                painted = chart;
            }
        });
    }

    Canvas control() {
        return canvas;
    }

    void setChart(JFreeChart chart) {
        this.chart = chart;
        canvas.redraw();
    }

    /** Where the last drawing put the plot's data, in canvas pixels. */
    Rectangle2D dataArea() {
        return rendering.getPlotInfo().getDataArea();
    }

    /** Whether the chart set last is on the screen. */
    boolean isPainted() {
        return chart != null && painted == chart;
    }

    JFreeChart chart() {
        return chart;
    }
}
