package org.tensorscope.ui.internal.tensor;

import java.util.function.Consumer;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.RowLayout;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Spinner;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.tensor.TensorSlice;

/**
 * Which 2-D slice of an N-d tensor is shown: the axis down the rows, the axis across the columns,
 * and an index for every other axis.
 */
public final class SliceControls {

    private final Composite area;
    private final Consumer<TensorSlice> onChange;
    private Shape shape;
    private TensorSlice slice;
    private final int height;
    /** The slice whose axes the controls were made for: the same rank and axes only relabel them. */
    private TensorSlice built;

    public SliceControls(Composite parent, Consumer<TensorSlice> onChange) {
        this.onChange = onChange;
        area = new Composite(parent, SWT.NONE);
        RowLayout layout = new RowLayout(SWT.HORIZONTAL);
        layout.center = true;
        layout.marginTop = 0;
        layout.marginBottom = 0;
        area.setLayout(layout);
        // as high as a row of combos whatever the rank: a height that changed with the shape resized
        // the values table below it
        Combo combo = new Combo(area, SWT.READ_ONLY);
        Spinner spinner = new Spinner(area, SWT.BORDER);
        height = Math.max(combo.computeSize(SWT.DEFAULT, SWT.DEFAULT).y, spinner.computeSize(SWT.DEFAULT, SWT.DEFAULT).y);
        combo.dispose();
        spinner.dispose();
    }

    /** The height the controls keep, for the parent's layout data. */
    public int height() {
        return height;
    }

    public Control control() {
        return area;
    }

    public TensorSlice slice() {
        return slice;
    }

    /** Shows the controls of a tensor's shape; keeps the slice when the shape is the same. */
    public TensorSlice show(Shape newShape) {
        if (slice == null || shape == null || !shape.equals(newShape)) {
            shape = newShape;
            slice = TensorSlice.lastTwo(newShape);
            rebuild();
        }
        return slice;
    }

    private void rebuild() {
        if (relabel()) {
            return;
        }
        for (Control child : area.getChildren()) {
            child.dispose();
        }
        int rank = slice.rank();
        if (rank >= 2) {
            new Label(area, SWT.NONE).setText("Rows:");
            Combo rows = axisCombo(slice.rowAxis());
            new Label(area, SWT.NONE).setText("Columns:");
            Combo columns = axisCombo(slice.columnAxis());
            // picking the other's axis swaps the two
            rows.addListener(SWT.Selection, e -> changeAxes(rows.getSelectionIndex(),
                    rows.getSelectionIndex() == slice.columnAxis() ? slice.rowAxis() : slice.columnAxis()));
            columns.addListener(SWT.Selection, e -> changeAxes(
                    columns.getSelectionIndex() == slice.rowAxis() ? slice.columnAxis() : slice.rowAxis(),
                    columns.getSelectionIndex()));
        }
        for (int axis = 0; axis < rank; axis++) {
            if (axis == slice.rowAxis() || axis == slice.columnAxis()) {
                continue;
            }
            int held = axis;
            new Label(area, SWT.NONE).setText("axis " + axis + ":");
            Spinner index = new Spinner(area, SWT.BORDER);
            index.setValues((int) slice.indexOf(axis), 0, (int) Math.max(0, shape.dim(axis) - 1), 0, 1, 10);
            index.setToolTipText("Index of axis " + axis + " (0.." + (shape.dim(axis) - 1) + ")");
            index.addListener(SWT.Selection, e -> {
                slice = slice.at(held, index.getSelection());
                onChange.accept(slice);
            });
        }
        new Label(area, SWT.NONE).setText(slice.describe());
        built = slice;
        // only the controls: their row keeps its height, and a layout of the parent measured the values table again
        area.layout(true);
    }

    /**
     * Another shape of the rank and axes the controls were made for: their texts and ranges change
     * in place, since disposing and making the combos and spinners on every step cost GTK more
     * than the step's other work.
     */
    private boolean relabel() {
        if (built == null || built.rank() != slice.rank() || built.rowAxis() != slice.rowAxis()
                || built.columnAxis() != slice.columnAxis()) {
            return false;
        }
        Control[] children = area.getChildren();
        int at = 0;
        if (slice.rank() >= 2) {
            at = 1; // "Rows:"
            for (int combo = 0; combo < 2; combo++, at += 2) {
                Combo axes = (Combo) children[at];
                for (int axis = 0; axis < slice.rank(); axis++) {
                    axes.setItem(axis, "axis " + axis + " (" + shape.dim(axis) + ")");
                }
            }
            at = 4;
        }
        for (int axis = 0; axis < slice.rank(); axis++) {
            if (axis == slice.rowAxis() || axis == slice.columnAxis()) {
                continue;
            }
            Spinner index = (Spinner) children[at + 1];
            index.setValues((int) slice.indexOf(axis), 0, (int) Math.max(0, shape.dim(axis) - 1), 0, 1, 10);
            index.setToolTipText("Index of axis " + axis + " (0.." + (shape.dim(axis) - 1) + ")");
            at += 2;
        }
        ((Label) children[at]).setText(slice.describe());
        built = slice;
        area.layout(true);
        return true;
    }

    private Combo axisCombo(int selected) {
        Combo combo = new Combo(area, SWT.READ_ONLY);
        for (int axis = 0; axis < slice.rank(); axis++) {
            combo.add("axis " + axis + " (" + shape.dim(axis) + ")");
        }
        combo.select(selected);
        return combo;
    }

    private void changeAxes(int rowAxis, int columnAxis) {
        if (rowAxis == columnAxis) {
            return;
        }
        slice = slice.withAxes(rowAxis, columnAxis);
        rebuild();
        onChange.accept(slice);
    }

    /** Picks rows and columns, e.g. (1, 2) for the height and width of an NHWC activation (for tests and views). */
    public void select(int rowAxis, int columnAxis, int[] held) {
        slice = slice.withAxes(rowAxis, columnAxis);
        for (int axis = 0; axis < held.length; axis++) {
            if (axis != rowAxis && axis != columnAxis) {
                slice = slice.at(axis, held[axis]);
            }
        }
        rebuild();
        onChange.accept(slice);
    }
}
