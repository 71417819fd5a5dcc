package org.tensorscope.ui.internal.tensor;

import org.eclipse.swt.SWT;
import org.eclipse.swt.accessibility.AccessibleAdapter;
import org.eclipse.swt.accessibility.AccessibleEvent;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.ScrollBar;
import org.tensorscope.core.report.Numbers;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.tensor.TensorSlice;

/**
 * The values of a 2-D slice, drawn on a canvas: only the rows and columns in view are painted,
 * so that showing another tensor costs one repaint whatever its size (an SWT table laid out and
 * measured every column it had, hidden ones included, on each step). NaN and infinite cells are
 * red. The arrow keys, Page Up/Down and Home/End move the selected cell; double-clicking a cell
 * asks for its flat index to be edited.
 */
public final class ValuesGrid {

    static final int COLUMN_WIDTH = 90;
    private static final int PAD = 4;
    static final Color BAD_BACKGROUND = new Color(255, 220, 218);

    /** What a double-click on a cell asks for. */
    public interface EditRequest {
        void edit(long flatIndex, double current);
    }

    final Canvas canvas;
    private final int rowHeight;
    private final int digitWidth;
    private TensorData data;
    private TensorSlice slice;
    /** The slice's rows and columns; the scroll bars count rows and columns, not pixels. */
    private long rows;
    private long columns;
    private long topRow;
    private long leftColumn;
    private long selectedRow;
    private long selectedColumn;
    private long[] hovered;
    /** The cells the last paint drew: first row, row after the last, first column, column after the last. */
    long[] painted = new long[4];

    public ValuesGrid(Composite parent, EditRequest onEdit) {
        canvas = new Canvas(parent, SWT.H_SCROLL | SWT.V_SCROLL | SWT.DOUBLE_BUFFERED);
        GC gc = new GC(canvas);
        rowHeight = gc.getFontMetrics().getHeight() + PAD;
        digitWidth = gc.stringExtent("0").x;
        gc.dispose();
        canvas.addListener(SWT.Paint, e -> paint(e.gc));
        canvas.addListener(SWT.Resize, e -> fitScrollBars());
        canvas.getVerticalBar().addListener(SWT.Selection, e -> {
            topRow = canvas.getVerticalBar().getSelection();
            canvas.redraw();
        });
        canvas.getHorizontalBar().addListener(SWT.Selection, e -> {
            leftColumn = canvas.getHorizontalBar().getSelection();
            canvas.redraw();
        });
        canvas.addListener(SWT.MouseDown, e -> {
            canvas.setFocus();
            long[] cell = cellAt(e.x, e.y);
            if (cell != null) {
                select(cell[0], cell[1]);
            }
        });
        canvas.addListener(SWT.MouseDoubleClick, e -> {
            long[] cell = cellAt(e.x, e.y);
            if (cell != null) {
                long index = slice.flatIndex(cell[0], cell[1]);
                onEdit.edit(index, data.getDouble(index));
            }
        });
        canvas.addListener(SWT.MouseMove, e -> hover(cellAt(e.x, e.y)));
        canvas.addListener(SWT.MouseExit, e -> hover(null));
        canvas.addListener(SWT.KeyDown, this::key);
        canvas.addListener(SWT.Traverse, e -> {
            // the arrow keys move the selected cell, not the focus
            if (e.detail == SWT.TRAVERSE_ARROW_NEXT || e.detail == SWT.TRAVERSE_ARROW_PREVIOUS) {
                e.doit = false;
            }
        });
        canvas.addListener(SWT.FocusIn, e -> canvas.redraw());
        canvas.addListener(SWT.FocusOut, e -> canvas.redraw());
        canvas.getAccessible().addAccessibleListener(new AccessibleAdapter() {
            @Override
            public void getName(AccessibleEvent e) {
                e.result = accessibleName();
            }

            @Override
            public void getDescription(AccessibleEvent e) {
                e.result = selectionText();
            }
        });
    }

    public Canvas control() {
        return canvas;
    }

    /** Shows a slice; another slice of the tensor shown keeps the scroll position, another tensor starts at the top left. */
    public void show(TensorData values, TensorSlice shown) {
        boolean sameTensor = values == data;
        data = values;
        slice = shown;
        rows = Math.min(Integer.MAX_VALUE, shown.rows());
        columns = Math.min(Integer.MAX_VALUE, shown.columns());
        if (!sameTensor) {
            topRow = leftColumn = selectedRow = selectedColumn = 0;
        }
        selectedRow = Math.max(0, Math.min(selectedRow, rows - 1));
        selectedColumn = Math.max(0, Math.min(selectedColumn, columns - 1));
        if (hovered != null) {
            // the tooltip named a value of the slice before
            hovered = null;
            canvas.setToolTipText(null);
        }
        fitScrollBars();
        canvas.redraw();
    }

    public void clear() {
        data = null;
        slice = null;
        rows = columns = 0;
        topRow = leftColumn = selectedRow = selectedColumn = 0;
        hovered = null;
        canvas.setToolTipText(null);
        fitScrollBars();
        canvas.redraw();
    }

    /** The text a cell shows. */
    String cellText(long row, long column) {
        return Numbers.format(value(row, column));
    }

    /** Whether a cell is drawn red, as NaN or infinite. */
    boolean isBad(long row, long column) {
        return !Double.isFinite(value(row, column));
    }

    private double value(long row, long column) {
        return data.getDouble(slice.flatIndex(row, column));
    }

    /** The cell at a point of the canvas as {row, column}, or null where there is none. */
    long[] cellAt(int x, int y) {
        int left = rowNumberWidth();
        if (data == null || x < left || y < rowHeight) {
            return null;
        }
        long row = topRow + (y - rowHeight) / rowHeight;
        long column = leftColumn + (x - left) / COLUMN_WIDTH;
        return row < rows && column < columns ? new long[] {row, column} : null;
    }

    /** Where a cell in view is drawn. */
    Rectangle cellBounds(long row, long column) {
        return new Rectangle(rowNumberWidth() + (int) (column - leftColumn) * COLUMN_WIDTH,
                rowHeight + (int) (row - topRow) * rowHeight, COLUMN_WIDTH, rowHeight);
    }

    long selectedRow() {
        return selectedRow;
    }

    long selectedColumn() {
        return selectedColumn;
    }

    long topRow() {
        return topRow;
    }

    long leftColumn() {
        return leftColumn;
    }

    /** What the grid tells a screen reader it shows. */
    String accessibleName() {
        return data == null ? "Values: no tensor"
                : "Values of " + data.name() + " " + slice.describe() + ": " + rows + " rows, " + columns + " columns";
    }

    private String selectionText() {
        return data == null ? "" : "row " + selectedRow + ", column " + selectedColumn + ": " + cellText(selectedRow, selectedColumn);
    }

    private void key(Event e) {
        if (data == null) {
            return;
        }
        long page = Math.max(1, fullRowsInView());
        switch (e.keyCode) {
            case SWT.ARROW_UP -> select(selectedRow - 1, selectedColumn);
            case SWT.ARROW_DOWN -> select(selectedRow + 1, selectedColumn);
            case SWT.ARROW_LEFT -> select(selectedRow, selectedColumn - 1);
            case SWT.ARROW_RIGHT -> select(selectedRow, selectedColumn + 1);
            case SWT.PAGE_UP -> select(selectedRow - page, selectedColumn);
            case SWT.PAGE_DOWN -> select(selectedRow + page, selectedColumn);
            case SWT.HOME -> select(0, (e.stateMask & SWT.MOD1) != 0 ? 0 : selectedColumn);
            case SWT.END -> select(rows - 1, (e.stateMask & SWT.MOD1) != 0 ? columns - 1 : selectedColumn);
            default -> {
                return;
            }
        }
        e.doit = false;
    }

    /** Selects a cell (clamped to the slice) and scrolls it into view. */
    private void select(long row, long column) {
        selectedRow = Math.max(0, Math.min(rows - 1, row));
        selectedColumn = Math.max(0, Math.min(columns - 1, column));
        long rowsInView = Math.max(1, fullRowsInView());
        long columnsInView = Math.max(1, fullColumnsInView());
        topRow = Math.min(selectedRow, Math.max(topRow, selectedRow - rowsInView + 1));
        leftColumn = Math.min(selectedColumn, Math.max(leftColumn, selectedColumn - columnsInView + 1));
        fitScrollBars();
        canvas.redraw();
        canvas.getAccessible().selectionChanged();
    }

    private void hover(long[] cell) {
        if (cell == null ? hovered == null : hovered != null && cell[0] == hovered[0] && cell[1] == hovered[1]) {
            return;
        }
        hovered = cell;
        canvas.setToolTipText(cell == null ? null : "row " + cell[0] + ", column " + cell[1] + ": "
                + fullPrecision(value(cell[0], cell[1])));
    }

    /** The value with every digit its type holds. */
    private String fullPrecision(double value) {
        if (!Double.isFinite(value)) {
            return Numbers.format(value);
        }
        return switch (data.dtype()) {
            case FLOAT64 -> Double.toString(value);
            case FLOAT32, FLOAT16, BFLOAT16 -> Float.toString((float) value);
            default -> Long.toString((long) value);
        };
    }

    private int fullRowsInView() {
        return Math.max(0, (canvas.getClientArea().height - rowHeight) / rowHeight);
    }

    private int fullColumnsInView() {
        return Math.max(0, (canvas.getClientArea().width - rowNumberWidth()) / COLUMN_WIDTH);
    }

    private int rowNumberWidth() {
        return Long.toString(Math.max(9, rows - 1)).length() * digitWidth + 3 * PAD;
    }

    /** Sizes the scroll bars in rows and columns, and keeps the view within the slice. */
    private void fitScrollBars() {
        int rowsInView = Math.max(1, fullRowsInView());
        int columnsInView = Math.max(1, fullColumnsInView());
        topRow = Math.max(0, Math.min(topRow, rows - rowsInView));
        leftColumn = Math.max(0, Math.min(leftColumn, columns - columnsInView));
        fit(canvas.getVerticalBar(), topRow, rows, rowsInView);
        fit(canvas.getHorizontalBar(), leftColumn, columns, columnsInView);
    }

    private static void fit(ScrollBar bar, long first, long count, int inView) {
        int total = (int) Math.max(1, count);
        bar.setValues((int) first, 0, total, Math.min(total, inView), 1, inView);
    }

    private void paint(GC gc) {
        Display display = canvas.getDisplay();
        Rectangle area = canvas.getClientArea();
        gc.setBackground(display.getSystemColor(SWT.COLOR_LIST_BACKGROUND));
        gc.fillRectangle(area);
        if (data == null) {
            painted = new long[4];
            return;
        }
        int left = rowNumberWidth();
        // the last row and column in view may show in part
        long endRow = Math.min(rows, topRow + Math.max(0, area.height - 1) / rowHeight);
        long endColumn = Math.min(columns, leftColumn + Math.max(0, area.width - left + COLUMN_WIDTH - 1) / COLUMN_WIDTH);
        int right = left + (int) (endColumn - leftColumn) * COLUMN_WIDTH;
        int bottom = rowHeight + (int) (endRow - topRow) * rowHeight;
        Color header = display.getSystemColor(SWT.COLOR_WIDGET_BACKGROUND);
        Color text = display.getSystemColor(SWT.COLOR_LIST_FOREGROUND);
        Color red = display.getSystemColor(SWT.COLOR_RED);
        Color selection = display.getSystemColor(SWT.COLOR_LIST_SELECTION);
        gc.setBackground(header);
        gc.fillRectangle(0, 0, area.width, rowHeight);
        gc.fillRectangle(0, 0, left, bottom);
        gc.setForeground(text);
        for (long c = leftColumn; c < endColumn; c++) {
            drawRight(gc, Long.toString(c), left + (int) (c - leftColumn + 1) * COLUMN_WIDTH);
        }
        for (long r = topRow; r < endRow; r++) {
            int y = rowHeight + (int) (r - topRow) * rowHeight;
            gc.setForeground(text);
            drawRight(gc, Long.toString(r), left, y);
            for (long c = leftColumn; c < endColumn; c++) {
                int x = left + (int) (c - leftColumn) * COLUMN_WIDTH;
                boolean bad = isBad(r, c);
                boolean selected = r == selectedRow && c == selectedColumn;
                if (selected && canvas.isFocusControl()) {
                    gc.setBackground(selection);
                    gc.fillRectangle(x, y, COLUMN_WIDTH, rowHeight);
                    gc.setForeground(display.getSystemColor(SWT.COLOR_LIST_SELECTION_TEXT));
                } else if (bad) {
                    gc.setBackground(BAD_BACKGROUND);
                    gc.fillRectangle(x, y, COLUMN_WIDTH, rowHeight);
                    gc.setForeground(red);
                } else {
                    gc.setForeground(text);
                }
                drawRight(gc, cellText(r, c), x + COLUMN_WIDTH, y);
                if (selected && !canvas.isFocusControl()) {
                    gc.setForeground(selection);
                    gc.drawRectangle(x + 1, y + 1, COLUMN_WIDTH - 2, rowHeight - 2);
                }
            }
        }
        gc.setForeground(display.getSystemColor(SWT.COLOR_WIDGET_NORMAL_SHADOW));
        for (int x = left; x <= right; x += COLUMN_WIDTH) {
            gc.drawLine(x, 0, x, bottom);
        }
        for (int y = rowHeight; y <= bottom; y += rowHeight) {
            gc.drawLine(0, y, right, y);
        }
        painted = new long[] {topRow, endRow, leftColumn, endColumn};
    }

    private void drawRight(GC gc, String s, int rightEdge) {
        drawRight(gc, s, rightEdge, 0);
    }

    private void drawRight(GC gc, String s, int rightEdge, int y) {
        gc.drawString(s, rightEdge - PAD - gc.stringExtent(s).x, y + PAD / 2, true);
    }
}
