package org.tensorscope.ui.charts.internal;

import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Path;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGUtils;

/** Saves a chart as PNG or SVG, chosen by the file's extension. */
final class ChartExport {

    static final int WIDTH = 900;
    static final int HEIGHT = 500;

    private ChartExport() {
    }

    static void save(JFreeChart chart, Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".svg")) {
            SVGGraphics2D g2 = new SVGGraphics2D(WIDTH, HEIGHT);
            chart.draw(g2, new Rectangle2D.Double(0, 0, WIDTH, HEIGHT));
            SVGUtils.writeToSVG(file.toFile(), g2.getSVGElement());
        } else if (name.endsWith(".png")) {
            ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
        } else {
            throw new IOException("Choose a file name ending in .png or .svg");
        }
    }
}
