package org.tensorscope.ui.internal.tensor;

import org.eclipse.swt.graphics.RGB;

/** What the Tensor Inspector's widgets draw, read from this test fragment, which shares their package. */
public final class ShownInTensorWidgets {

    private ShownInTensorWidgets() {
    }

    /** The colour the heatmap draws for a cell. */
    public static RGB colorAt(Heatmap heatmap, int row, int column) {
        return heatmap.picture().palette.getRGB(heatmap.picture().getPixel(column, row));
    }

    /** The text the grid paints in a cell. */
    public static String cellText(ValuesGrid grid, int row, int column) {
        return grid.cellText(row, column);
    }

    /** Whether the grid paints a cell red, as NaN or infinite. */
    public static boolean isHighlighted(ValuesGrid grid, int row, int column) {
        return grid.isBad(row, column);
    }

    /** The first row in view. */
    public static long topRow(ValuesGrid grid) {
        return grid.topRow();
    }

    /** What the grid tells a screen reader it shows. */
    public static String accessibleName(ValuesGrid grid) {
        return grid.accessibleName();
    }
}
