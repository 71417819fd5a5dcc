package org.tensorscope.ui.internal.tensor;

import org.eclipse.swt.graphics.RGB;

/** What the Tensor Inspector's widgets draw, read from this test fragment, which shares their package. */
public final class ShownInTensorWidgets {

    private ShownInTensorWidgets() {
    }

    /** The colour the heatmap draws for a cell. */
    public static RGB colorAt(Heatmap heatmap, int row, int column) {
        return heatmap.picture.palette.getRGB(heatmap.picture.getPixel(column, row));
    }

    /** The text of a cell as the grid shows it. */
    public static String cellText(ValuesGrid grid, int row, int column) {
        return grid.table.getItem(row).getText(column + 1);
    }

    /** Whether a cell is highlighted as NaN or infinite. */
    public static boolean isHighlighted(ValuesGrid grid, int row, int column) {
        return ValuesGrid.BAD_BACKGROUND.equals(grid.table.getItem(row).getBackground(column + 1));
    }

    /** How many columns of values the grid shows. */
    public static int valueColumns(ValuesGrid grid) {
        return grid.valueColumns();
    }

    /** The grid's table columns, the row numbers' first, shown or hidden. */
    public static java.util.List<org.eclipse.swt.widgets.TableColumn> tableColumns(ValuesGrid grid) {
        return java.util.List.of(grid.table.getColumns());
    }

    /** How many table columns the grid has made since it was created. */
    public static int columnsMade(ValuesGrid grid) {
        return grid.columnsMade();
    }

    /** How many table columns showing a tensor had to make, not made ahead. */
    public static int columnsMadeWhileShowing(ValuesGrid grid) {
        return grid.columnsMadeWhileShowing();
    }

    /** Whether the grid still has columns to make ahead. */
    public static boolean isMakingColumns(ValuesGrid grid) {
        return grid.isMakingColumns();
    }
}
