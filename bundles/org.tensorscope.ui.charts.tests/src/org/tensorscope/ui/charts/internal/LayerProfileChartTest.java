package org.tensorscope.ui.charts.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.Test;
import org.tensorscope.core.trace.TensorHealth;

/**
 * The Layer Profile's axes: finite values on the left, NaN/Inf counts on their own axis at the right,
 * so a handful of NaN elements show beside activations of 1e38.
 */
class LayerProfileChartTest {

    private static final List<TensorHealth> ROWS = List.of(
            row("input:0", 0, 0, -1, 1),
            row("conv:0", 0, 0, -3e37, 3e38),
            row("add:0", 0, 3, -3e38, 1e38),
            row("softmax:0", 4, 0, Double.NaN, Double.NaN));

    @Test
    void nanAndInfCountsHaveTheirOwnAxis() {
        JFreeChart chart = LayerProfileChart.of(ROWS, false);
        XYPlot plot = (XYPlot) chart.getPlot();
        XYDataset counts = plot.getDataset(LayerProfileChart.COUNT_INDEX);

        assertEquals(LayerProfileChart.NON_FINITE, counts.getSeriesKey(0));
        assertEquals(2, counts.getItemCount(0), "only the ops with NaN or Inf get a bar");
        assertEquals(2.0, counts.getXValue(0, 0));
        assertEquals(3.0, counts.getYValue(0, 0));
        assertEquals(3.0, counts.getXValue(0, 1));
        assertEquals(4.0, counts.getYValue(0, 1));

        assertEquals(plot.getRangeAxis(LayerProfileChart.COUNT_INDEX), plot.getRangeAxisForDataset(LayerProfileChart.COUNT_INDEX));
        assertEquals("NaN + Inf elements", plot.getRangeAxis(LayerProfileChart.COUNT_INDEX).getLabel());
        assertTrue(plot.getRangeAxis(LayerProfileChart.COUNT_INDEX).getUpperBound() < 10,
                "the count axis is scaled to the counts, not to the values: "
                        + plot.getRangeAxis(LayerProfileChart.COUNT_INDEX).getRange());
        assertTrue(plot.getRangeAxis(0).getUpperBound() >= 3e38, "the value axis covers the values: "
                + plot.getRangeAxis(0).getRange());
    }

    @Test
    void aRowWhoseNanWereNotCountedGetsABarAtItsSizeInASeriesOfItsOwn() {
        List<TensorHealth> rows = List.of(row("conv:0", 0, 3, -3e38, 1e38), row("add:0", TensorHealth.NOT_COUNTED, 0,
                Double.NaN, Double.NaN));
        XYDataset counts = ((XYPlot) LayerProfileChart.of(rows, false).getPlot()).getDataset(LayerProfileChart.COUNT_INDEX);

        assertEquals(1, counts.getItemCount(0), "only the counted row has a counted bar");
        assertEquals(LayerProfileChart.NOT_COUNTED, counts.getSeriesKey(1));
        assertEquals(1.0, counts.getXValue(1, 0));
        assertEquals(100.0, counts.getYValue(1, 0), "not counted: at most its 100 elements");
    }

    @Test
    void valuesAreOnTheLeftAxisInExecutionOrder() {
        XYPlot plot = (XYPlot) LayerProfileChart.of(ROWS, false).getPlot();
        XYDataset values = plot.getDataset(0);

        assertEquals("value", plot.getRangeAxis(0).getLabel());
        assertEquals("op (execution order)", plot.getDomainAxis().getLabel());
        assertEquals("max |x| (finite)", values.getSeriesKey(0));
        assertEquals(3, values.getItemCount(0), "an op with no finite value has no point");
        assertEquals(3e38, values.getYValue(0, 1), 1e31);
    }

    @Test
    void theLogScaleDropsValuesItCannotShow() {
        XYPlot plot = (XYPlot) LayerProfileChart.of(ROWS, true).getPlot();

        assertEquals("value (log)", plot.getRangeAxis(0).getLabel());
        int minSeries = 2; // min (finite): -1, -3e37 and -3e38 cannot be drawn on a log axis
        assertEquals(0, plot.getDataset(0).getItemCount(minSeries));
        assertEquals("NaN + Inf elements", plot.getRangeAxis(LayerProfileChart.COUNT_INDEX).getLabel());
    }

    private static TensorHealth row(String tensor, long nan, long inf, double min, double max) {
        double mean = Double.isNaN(min) ? Double.NaN : (min + max) / 2;
        return new TensorHealth(tensor, "Op", "CPU:0", 100, nan, 0, inf, min, max, mean, 1.0, -1, -1);
    }
}
