package org.tensorscope.ui.internal.tensor;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.tensorscope.core.report.Numbers;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.tensor.TensorSlice;

/**
 * The values of a 2-D slice in a virtual table, NaN and infinite cells in red. Double-clicking a
 * cell asks for its flat index to be edited.
 */
public final class ValuesGrid {

    private static final int MAX_COLUMNS = 256;
    private static final int COLUMN_WIDTH = 90;
    /** Columns made ahead per turn of the event loop, so that a turn stays short. */
    private static final int COLUMNS_PER_TURN = 4;
    static final Color BAD_BACKGROUND = new Color(255, 220, 218);

    /** What a double-click on a cell asks for. */
    public interface EditRequest {
        void edit(long flatIndex, double current);
    }

    final Table table;
    private TensorData data;
    private TensorSlice slice;
    private int columns;
    /** How many value columns to make ahead, in idle turns of the event loop. */
    private int wanted;
    private boolean making;
    private int made;
    /** Of those, how many a tensor's showing had to make itself, not made ahead. */
    private int madeWhileShowing;

    public ValuesGrid(Composite parent, EditRequest onEdit) {
        table = new Table(parent, SWT.VIRTUAL | SWT.FULL_SELECTION | SWT.MULTI);
        table.setHeaderVisible(true);
        table.setLinesVisible(true);
        table.addListener(SWT.SetData, e -> fill((TableItem) e.item, table.indexOf((TableItem) e.item)));
        table.addListener(SWT.MouseDoubleClick, e -> {
            Point point = new Point(e.x, e.y);
            TableItem item = table.getItem(point);
            if (item == null || data == null) {
                return;
            }
            for (int c = 1; c <= columns; c++) {
                if (item.getBounds(c).contains(point)) {
                    long index = slice.flatIndex(table.indexOf(item), c - 1);
                    onEdit.edit(index, data.getDouble(index));
                }
            }
        });
    }

    public Table control() {
        return table;
    }

    /**
     * Makes ahead, a few per idle turn of the event loop, the columns a slice this wide needs, so
     * that the first step onto the widest tensor of a model makes none: each column made costs
     * SWT a copy of every row into a wider store and GTK a new measuring of every row and header,
     * which stalled that step for seconds. Made when a model opens, the table has no rows yet.
     */
    public void prepare(long valueColumns) {
        wanted = (int) Math.max(wanted, Math.min(MAX_COLUMNS, valueColumns));
        if (!making && table.getColumnCount() < 1 + wanted) {
            making = true;
            table.getDisplay().asyncExec(this::makeSome);
        }
    }

    private void makeSome() {
        making = false;
        if (table.isDisposed()) {
            return;
        }
        int end = Math.min(1 + wanted, table.getColumnCount() + COLUMNS_PER_TURN);
        while (table.getColumnCount() < end) {
            addColumn(0);
        }
        if (table.getColumnCount() < 1 + wanted) {
            making = true;
            table.getDisplay().asyncExec(this::makeSome);
        }
    }

    /** Whether columns asked for ahead are still to be made. */
    boolean isMakingColumns() {
        return making;
    }

    private void addColumn(int width) {
        if (table.getColumnCount() == 0) {
            new TableColumn(table, SWT.RIGHT).setWidth(50);
            made++;
            return;
        }
        TableColumn column = new TableColumn(table, SWT.RIGHT);
        column.setText(Integer.toString(table.getColumnCount() - 2));
        column.setWidth(width);
        column.setResizable(width > 0);
        made++;
    }

    /** How many table columns this grid has made, row numbers included (each one costs a layout of the table). */
    int columnsMade() {
        return made;
    }

    /** How many of them showing a tensor made, because they were not made ahead. */
    int columnsMadeWhileShowing() {
        return madeWhileShowing;
    }

    public void show(TensorData values, TensorSlice shown) {
        boolean sameTensor = values == data;
        this.data = values;
        this.slice = shown;
        columns = (int) Math.min(MAX_COLUMNS, shown.columns());
        table.setRedraw(false);
        try {
            if (!sameTensor) {
                // a new tensor: dropping every row at once is far cheaper than clearing each cached one,
                // and a column made while the table has no rows costs no copy of them into a wider store
                // nor a new measuring of them (SWT and GTK do both for every column made)
                table.removeAll();
            }
            // columns are made once and hidden (width 0) while a tensor has fewer
            while (table.getColumnCount() < 1 + columns) {
                addColumn(COLUMN_WIDTH);
                madeWhileShowing++;
            }
            for (int c = 1; c < table.getColumnCount(); c++) {
                TableColumn column = table.getColumn(c);
                if (c <= columns && column.getWidth() == 0) {
                    // GTK may have narrowed the last column shown to nothing behind SWT's back, and SWT
                    // ignores a width equal to the one it last set: hide it first so the width takes
                    column.setWidth(0);
                    column.setWidth(COLUMN_WIDTH);
                    column.setResizable(true);
                } else if (c > columns && column.getWidth() != 0) {
                    column.setWidth(0);
                    column.setResizable(false);
                }
            }
            int rows = (int) Math.min(Integer.MAX_VALUE, shown.rows());
            table.setItemCount(rows);
            if (sameTensor) {
                // another slice of the same tensor: keep the scroll position
                table.clearAll();
            }
        } finally {
            table.setRedraw(true);
        }
    }

    /** How many of the table's columns, after the row numbers, show values; the others are hidden. */
    int valueColumns() {
        return columns;
    }

    public void clear() {
        data = null;
        columns = 0;
        table.removeAll();
    }

    private void fill(TableItem item, int row) {
        if (data == null) {
            return;
        }
        item.setText(0, Integer.toString(row));
        for (int c = 1; c <= columns; c++) {
            double value = data.getDouble(slice.flatIndex(row, c - 1));
            item.setText(c, Numbers.format(value));
            if (!Double.isFinite(value)) {
                item.setForeground(c, table.getDisplay().getSystemColor(SWT.COLOR_RED));
                item.setBackground(c, BAD_BACKGROUND);
            }
        }
    }


}
