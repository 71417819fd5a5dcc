package org.tensorscope.ui.charts.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.plot.CategoryPlot;
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
