package org.tensorscope.ui.internal.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.report.Numbers;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.tensor.TensorSlice;

/**
 * The values grid on tensors whose every value is known (cell (r, c) of the 50 x 8 one holds
 * r + c / 10, one cell NaN): which cell a point hits, how the keys move the selected cell and
 * scroll it into view, what a double-click asks to edit, and a slice of a million rows.
 */
class ValuesGridTest {

    private static final int ROWS = 50;
    private static final int COLUMNS = 8;

    private Display display;
    private Shell shell;
    private ValuesGrid grid;
    private final List<Long> edits = new ArrayList<>();
    private final List<Double> editedValues = new ArrayList<>();
    private TensorData known;

    @BeforeEach
    void open() {
        display = Display.getCurrent();
        shell = new Shell(display);
        shell.setLayout(new FillLayout());
        grid = new ValuesGrid(shell, (index, current) -> {
            edits.add(index);
            editedValues.add(current);
        });
        // narrower than the 8 columns and shorter than the 50 rows, so that both scroll
        shell.setSize(400, 300);
        shell.open();
        float[] values = new float[ROWS * COLUMNS];
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < COLUMNS; c++) {
                values[r * COLUMNS + c] = r + c / 10f;
            }
        }
        values[3 * COLUMNS + 2] = Float.NaN;
        known = TensorData.ofFloats("known:0", Shape.of(ROWS, COLUMNS), values);
        grid.show(known, TensorSlice.lastTwo(known.shape()));
    }

    @AfterEach
    void close() {
        shell.dispose();
    }

    @Test
    void aPointHitsTheCellDrawnThere() {
        Rectangle first = grid.cellBounds(0, 0);
        Rectangle next = grid.cellBounds(1, 1);
        assertEquals(first.x + ValuesGrid.COLUMN_WIDTH, next.x, "columns side by side");
        assertEquals(first.y + first.height, next.y, "rows one under the other");
        assertTrue(first.x > 0 && first.y > 0, "the row numbers and the header come first: " + first);
        assertArrayEquals(new long[] {0, 0}, grid.cellAt(first.x + 1, first.y + 1));
        assertArrayEquals(new long[] {1, 1}, grid.cellAt(next.x + next.width - 1, next.y + next.height - 1));
        assertArrayEquals(new long[] {2, 3}, grid.cellAt(first.x + 3 * ValuesGrid.COLUMN_WIDTH + 5, first.y + 2 * first.height + 5));
        assertNull(grid.cellAt(first.x + 5, first.y - 1), "the header is no cell");
        assertNull(grid.cellAt(first.x - 1, first.y + 5), "the row numbers are no cell");
        assertEquals("2.3", grid.cellText(2, 3));
        assertEquals("NaN", grid.cellText(3, 2));
        assertTrue(grid.isBad(3, 2), "the NaN cell is drawn red");
        assertFalse(grid.isBad(3, 1));
        assertEquals("Values of known:0 [:, :]: 50 rows, 8 columns", grid.accessibleName());
    }

    @Test
    void keysMoveTheSelectionAndScrollItIntoView() {
        int rowsInView = (grid.canvas.getClientArea().height - grid.cellBounds(0, 0).y) / grid.cellBounds(0, 0).height;
        assertTrue(rowsInView > 2 && rowsInView < ROWS, rowsInView + " rows in view");
        key(SWT.PAGE_DOWN, 0);
        assertEquals(rowsInView, grid.selectedRow(), "a page down");
        assertEquals(1, grid.topRow(), "scrolled by one row to show the selected one at the bottom");
        key(SWT.ARROW_RIGHT, 0);
        key(SWT.ARROW_RIGHT, 0);
        assertEquals(2, grid.selectedColumn());
        key(SWT.END, 0);
        assertEquals(ROWS - 1, grid.selectedRow(), "End: the last row");
        assertEquals(2, grid.selectedColumn(), "in the same column");
        assertEquals(ROWS - rowsInView, grid.topRow(), "the last row at the bottom of the view");
        assertEquals(ROWS - rowsInView, grid.canvas.getVerticalBar().getSelection(), "the scroll bar follows");
        key(SWT.END, SWT.MOD1);
        assertEquals(COLUMNS - 1, grid.selectedColumn(), "Ctrl+End: the last column");
        assertTrue(grid.leftColumn() > 0, "scrolled right to the last column");
        paint();
        assertEquals(ROWS, grid.painted[1], "the last row painted");
        assertEquals(COLUMNS, grid.painted[3], "the last column painted");
        key(SWT.PAGE_UP, 0);
        assertEquals(ROWS - 1 - rowsInView, grid.selectedRow(), "a page up");
        key(SWT.HOME, SWT.MOD1);
        assertEquals(0, grid.selectedRow());
        assertEquals(0, grid.selectedColumn());
        assertEquals(0, grid.topRow());
        assertEquals(0, grid.leftColumn());
        key(SWT.ARROW_UP, 0);
        assertEquals(0, grid.selectedRow(), "no row above the first");
    }

    @Test
    void aDoubleClickAsksToEditTheCellsFlatIndex() {
        key(SWT.END, 0); // scrolled: the rows in view are not the first ones
        long top = grid.topRow();
        Rectangle cell = grid.cellBounds(top + 1, 2);
        mouse(SWT.MouseDoubleClick, cell.x + cell.width / 2, cell.y + cell.height / 2);
        assertEquals(1, edits.size());
        assertEquals((top + 1) * COLUMNS + 2, edits.get(0));
        assertEquals(known.getDouble((top + 1) * COLUMNS + 2), editedValues.get(0));
        Rectangle header = grid.cellBounds(top, 2);
        mouse(SWT.MouseDoubleClick, header.x + 5, header.y - 3);
        assertEquals(1, edits.size(), "a double-click on the header edits nothing");
    }

    @Test
    void anotherSliceOfTheTensorKeepsTheScrollAndAnotherTensorStartsAtTheTop() {
        key(SWT.END, 0);
        long top = grid.topRow();
        assertTrue(top > 0);
        grid.show(known, TensorSlice.lastTwo(known.shape()));
        assertEquals(top, grid.topRow(), "the same tensor again");
        TensorData other = TensorData.ofFloats("other:0", Shape.of(ROWS, COLUMNS), new float[ROWS * COLUMNS]);
        grid.show(other, TensorSlice.lastTwo(other.shape()));
        assertEquals(0, grid.topRow(), "another tensor");
        assertEquals(0, grid.selectedRow());
    }

    @Test
    void aMillionRowsScrollToTheLastAndPaintItsValue() {
        int rows = 1_000_000;
        float[] values = new float[rows * 3];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.25f;
        }
        TensorData tall = TensorData.ofFloats("tall:0", Shape.of(rows, 3), values);
        grid.show(tall, TensorSlice.lastTwo(tall.shape()));
        assertEquals(rows, grid.canvas.getVerticalBar().getMaximum(), "the scroll bar counts rows");
        key(SWT.END, SWT.MOD1);
        assertEquals(rows - 1, grid.selectedRow());
        assertEquals(2, grid.selectedColumn());
        paint();
        assertEquals(rows, grid.painted[1], "the last row painted");
        assertTrue(grid.painted[0] > rows - 100, "only the rows in view painted, from " + grid.painted[0]);
        assertEquals(3, grid.painted[3], "the last column painted");
        assertEquals(Numbers.format(values[values.length - 1]), grid.cellText(rows - 1, 2));
        Rectangle last = grid.cellBounds(rows - 1, 2);
        assertArrayEquals(new long[] {rows - 1, 2}, grid.cellAt(last.x + 1, last.y + 1), "the last cell is where it is drawn");
    }

    private void key(int keyCode, int stateMask) {
        Event e = new Event();
        e.keyCode = keyCode;
        e.stateMask = stateMask;
        grid.canvas.notifyListeners(SWT.KeyDown, e);
    }

    private void mouse(int type, int x, int y) {
        Event e = new Event();
        e.x = x;
        e.y = y;
        e.button = 1;
        e.count = 2;
        grid.canvas.notifyListeners(type, e);
    }

    /** Runs the event loop until the grid has painted what it shows now. */
    private void paint() {
        grid.painted = null;
        grid.canvas.redraw();
        long end = System.currentTimeMillis() + 10_000;
        while (grid.painted == null && System.currentTimeMillis() < end) {
            if (!display.readAndDispatch()) {
                display.timerExec(20, () -> { });
                display.sleep();
            }
        }
        assertTrue(grid.painted != null, "the grid did not paint");
    }
}
