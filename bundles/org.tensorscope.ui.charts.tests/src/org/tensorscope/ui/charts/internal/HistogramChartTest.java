package org.tensorscope.ui.charts.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.CategoryTick;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.text.TextLine;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.CategoryDataset;
import org.junit.jupiter.api.Test;
import org.tensorscope.core.analysis.Histogram;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.tensor.TensorData;

/** What the Histogram view's chart shows for a tensor with known finite and non-finite values. */
class HistogramChartTest {

    private static final float NAN = Float.NaN;
    private static final float INF = Float.POSITIVE_INFINITY;

    /** -1 .. 1 in four linear bins, two NaN, three -Inf, one +Inf. */
    private static final TensorData VALUES = TensorData.ofFloats("relu:0", Shape.of(12),
            -1f, -0.75f, 0.1f, 0.6f, 1f, 1f, NAN, NAN, -INF, -INF, -INF, INF);

    @Test
    void linearBinsShowTheirLowerEdgesAndCounts() {
        JFreeChart chart = HistogramChart.of(Histogram.of(VALUES, 4, Histogram.Binning.LINEAR), null, false);
        CategoryDataset data = ((CategoryPlot) chart.getPlot()).getDataset();

        assertEquals(List.of("-1.00", "-0.500", "0.00", "0.500"), finiteBins(data));
        assertEquals(List.of(2L, 0L, 1L, 3L), counts(data, HistogramChart.FINITE, finiteBins(data)));
        assertEquals(2L, count(data, HistogramChart.NAN, HistogramChart.NAN));
        assertEquals(3L, count(data, HistogramChart.NEG_INF, HistogramChart.NEG_INF));
        assertEquals(1L, count(data, HistogramChart.POS_INF, HistogramChart.POS_INF));
        assertEquals("value", ((CategoryPlot) chart.getPlot()).getDomainAxis().getLabel());
    }

    @Test
    void symmetricLogBinsSpanHugeValuesAndSayHowTheyAreBinned() {
        TensorData huge = TensorData.ofFloats("conv:0", Shape.of(4), -3.4e38f, 0f, 1f, 3.4e38f);
        JFreeChart chart = HistogramChart.of(Histogram.of(huge, 8, Histogram.Binning.SYMLOG), null, false);
        CategoryPlot plot = (CategoryPlot) chart.getPlot();
        List<String> bins = finiteBins(plot.getDataset());

        assertEquals(8, bins.size());
        assertEquals("-3.40e+38", bins.get(0));
        assertEquals(4L, counts(plot.getDataset(), HistogramChart.FINITE, bins).stream().mapToLong(Long::longValue).sum());
        assertEquals("value (symmetric-log bins)", plot.getDomainAxis().getLabel());
    }

    @Test
    void finiteBinsAreNeutralAndNanAndInfinitiesHaveDistinctLabelledColours() {
        JFreeChart chart = HistogramChart.of(Histogram.of(VALUES, 4, Histogram.Binning.LINEAR), null, false);
        CategoryPlot plot = (CategoryPlot) chart.getPlot();
        LegendItemCollection legend = plot.getLegendItems();
        List<String> labels = new ArrayList<>();
        List<Color> colours = new ArrayList<>();
        for (int i = 0; i < legend.getItemCount(); i++) {
            LegendItem item = legend.get(i);
            labels.add(item.getLabel());
            colours.add((Color) item.getFillPaint());
        }

        assertEquals(List.of("finite values", "NaN", "-Inf", "+Inf"), labels);
        assertEquals(4, colours.stream().distinct().count(), "every kind has its own colour: " + colours);
        Color finite = colours.get(0);
        assertTrue(saturation(finite) < 0.35f, "finite bins are drawn in a neutral colour, not " + finite);
        for (Color special : colours.subList(1, 4)) {
            assertTrue(saturation(special) > 0.6f, "NaN/Inf bars stand out: " + special);
            assertNotEquals(finite, special);
        }
    }

    @Test
    void thePreviousRunIsLaidBesideInTheSameBins() {
        Histogram now = Histogram.of(VALUES, 4, Histogram.Binning.LINEAR);
        Histogram before = now.sameBins(TensorData.ofFloats("relu:0", Shape.of(3), -1f, 1f, NAN));
        CategoryDataset data = ((CategoryPlot) HistogramChart.of(now, before, false).getPlot()).getDataset();

        assertEquals(List.of(1L, 0L, 0L, 1L), counts(data, HistogramChart.PREVIOUS, finiteBins(data)));
        assertEquals(1L, count(data, HistogramChart.PREVIOUS, HistogramChart.NAN));
    }

    @Test
    void theLogCountAxisIsLabelled() {
        JFreeChart chart = HistogramChart.of(Histogram.of(VALUES, 4, Histogram.Binning.LINEAR), null, true);
        assertEquals("count (log)", ((CategoryPlot) chart.getPlot()).getRangeAxis().getLabel());
    }

    @Test
    void anSvgExportKeepsTheRotatedBinLabelsAsText() throws Exception {
        // drawn as text, not through a TextLayout per label, which also cost the chart's job a
        // third of its CPU time in a fresh VM (SVG export wrote each label's glyph outlines)
        Path svg = Files.createTempFile("histogram", ".svg");
        try {
            ChartExport.save(HistogramChart.of(Histogram.of(VALUES, 4, Histogram.Binning.LINEAR), null, false), svg);
            String drawing = Files.readString(svg);
            for (String bin : List.of("-1.00", "-0.500", "0.00", "0.500")) {
                assertTrue(drawing.contains(">" + bin + "</text>"), "bin label " + bin + " is not text in the SVG");
            }
        } finally {
            Files.deleteIfExists(svg);
        }
    }

    @Test
    void aHundredBinsLabelEveryKthEdgeAndOneLabelNamesTheNanAndInfinityBars() {
        Histogram histogram = Histogram.of(spread(), 100, Histogram.Binning.SYMLOG);
        CategoryPlot plot = (CategoryPlot) HistogramChart.of(histogram, null, false).getPlot();
        BinAxis axis = (BinAxis) plot.getDomainAxis();
        List<String> bins = finiteBins(plot.getDataset());

        List<String> labels = axis.labels(3);
        List<Integer> labelled = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            if (!labels.get(i).isEmpty()) {
                labelled.add(i);
            }
        }
        // bins 0, 3, ..., 96 (99 is closer than three bars to the joint label under bar 101), then the joint label
        assertEquals(34, labelled.size(), "labelled bars: " + labelled);
        for (int k = 1; k < labelled.size(); k++) {
            assertTrue(labelled.get(k) - labelled.get(k - 1) >= 3, "labels closer than three bars: " + labelled);
        }
        assertEquals(bins.get(0), labels.get(0), "the lowest edge is labelled");
        assertEquals(bins.get(96), labels.get(96));
        assertEquals("", labels.get(99));
        assertEquals("NaN -Inf +Inf", labels.get(101), "one label names the NaN and infinity bars");
        assertEquals("", labels.get(100));
        assertEquals("", labels.get(102));

        // with room for every label, each bar has its own
        List<String> all = axis.labels(1);
        assertEquals(bins, all.subList(0, 100));
        assertEquals(List.of("NaN", "-Inf", "+Inf"), all.subList(100, 103));
    }

    @Test
    void drawnLabelsStandALineApartAndTheJointLabelIsWhole() {
        for (int bins : new int[] {20, 100, 200}) {
            for (int[] size : new int[][] {{560, 320}, {400, 250}, {300, 200}, {900, 500}, {700, 150}}) {
                JFreeChart chart = HistogramChart.of(Histogram.of(spread(), bins, Histogram.Binning.SYMLOG), null, false);
                Graphics2D g2 = new BufferedImage(size[0], size[1], BufferedImage.TYPE_INT_RGB).createGraphics();
                ChartRenderingInfo info = new ChartRenderingInfo(null);
                chart.draw(g2, new Rectangle2D.Double(0, 0, size[0], size[1]), info);
                Rectangle2D data = info.getPlotInfo().getDataArea();
                BinAxis axis = (BinAxis) ((CategoryPlot) chart.getPlot()).getDomainAxis();
                int bars = bins + 3;
                double pitch = axis.getCategoryMiddle(1, bars, data, RectangleEdge.BOTTOM)
                        - axis.getCategoryMiddle(0, bars, data, RectangleEdge.BOTTOM);
                int line = g2.getFontMetrics(axis.getTickLabelFont()).getHeight();
                String where = bins + " bins on " + size[0] + "x" + size[1] + ", every " + axis.stride() + " labelled";

                assertTrue(axis.stride() * pitch >= line, where + ": labels " + axis.stride() * pitch + " px apart");
                assertTrue(axis.stride() == 1 || (axis.stride() - 1) * pitch < line + 2, where + ": fewer labels than fit");
                String underInfinities = "";
                for (Object tick : axis.refreshTicks(g2, new AxisState(), data, RectangleEdge.BOTTOM)) {
                    if (((CategoryTick) tick).getCategory().equals(HistogramChart.NEG_INF)) {
                        for (Object text : ((CategoryTick) tick).getLabel().getLines()) {
                            underInfinities += ((TextLine) text).getFirstTextFragment().getText();
                        }
                    }
                }
                assertEquals(axis.stride() == 1 ? "-Inf" : "NaN -Inf +Inf", underInfinities, where);
            }
        }
    }

    @Test
    void barsAreDrawnCrispAndTextSmooth() {
        JFreeChart chart = HistogramChart.of(Histogram.of(VALUES, 4, Histogram.Binning.LINEAR), null, false);
        assertEquals(RenderingHints.VALUE_ANTIALIAS_OFF, chart.getRenderingHints().get(RenderingHints.KEY_ANTIALIASING));
        // without a hint of its own, Java2D would draw the text as the shapes
        assertEquals(RenderingHints.VALUE_TEXT_ANTIALIAS_ON,
                chart.getRenderingHints().get(RenderingHints.KEY_TEXT_ANTIALIASING));
    }

    @Test
    void anExportedChartLabelsAsManyBinsAsItsWidthHolds() throws Exception {
        Path svg = Files.createTempFile("histogram", ".svg");
        try {
            Histogram histogram = Histogram.of(spread(), 100, Histogram.Binning.SYMLOG);
            ChartExport.save(HistogramChart.of(histogram, null, false), svg);
            String drawing = Files.readString(svg);
            List<String> bins = finiteBins(((CategoryPlot) HistogramChart.of(histogram, null, false).getPlot()).getDataset());
            long drawn = bins.stream().filter(bin -> drawing.contains(">" + bin + "</text>")).count();
            assertTrue(drawn > 20 && drawn < 70, drawn + " of 100 bin labels drawn on a chart "
                    + ChartExport.WIDTH + " pixels wide");
            assertTrue(drawing.contains(">" + bins.get(0) + "</text>"), "the lowest edge is labelled");
            assertTrue(drawing.contains(">NaN -Inf +Inf</text>"));
        } finally {
            Files.deleteIfExists(svg);
        }
    }

    /** Values of both signs and magnitudes from 1e-3 to 1e3, which fill most of a hundred symmetric-log bins. */
    private static TensorData spread() {
        float[] values = new float[2000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((i % 2 == 0 ? 1 : -1) * Math.pow(10, -3 + 6.0 * i / values.length));
        }
        return TensorData.ofFloats("spread:0", Shape.of(values.length), values);
    }

    private static List<String> finiteBins(CategoryDataset data) {
        List<String> bins = new ArrayList<>();
        for (Object key : data.getColumnKeys()) {
            String column = (String) key;
            if (!List.of(HistogramChart.NAN, HistogramChart.NEG_INF, HistogramChart.POS_INF).contains(column)) {
                bins.add(column);
            }
        }
        return bins;
    }

    private static List<Long> counts(CategoryDataset data, String series, List<String> columns) {
        return columns.stream().map(c -> count(data, series, c)).toList();
    }

    private static long count(CategoryDataset data, String series, String column) {
        Number value = data.getValue(series, column);
        return value == null ? 0 : value.longValue();
    }

    private static float saturation(Color colour) {
        return Color.RGBtoHSB(colour.getRed(), colour.getGreen(), colour.getBlue(), null)[1];
    }
}
