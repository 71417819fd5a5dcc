package org.tensorscope.ui.internal.tensor;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StackLayout;
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
    private final StackLayout pages = new StackLayout();
    /**
     * The controls of each rank, kept while others show: stepping alternates between ranks (a
     * convolution's activation, then its bias), and disposing and making combos and spinners on
     * every step cost GTK more than the step's other work.
     */
    private final Map<Integer, Composite> byRank = new HashMap<>();
    private final Consumer<TensorSlice> onChange;
    private Shape shape;
    private TensorSlice slice;
    private final int height;

    public SliceControls(Composite parent, Consumer<TensorSlice> onChange) {
        this.onChange = onChange;
        area = new Composite(parent, SWT.NONE);
        area.setLayout(pages);
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
        Composite page = byRank.computeIfAbsent(slice.rank(), rank -> {
            Composite made = new Composite(area, SWT.NONE);
            RowLayout layout = new RowLayout(SWT.HORIZONTAL);
            layout.center = true;
            layout.marginTop = 0;
            layout.marginBottom = 0;
            made.setLayout(layout);
            return made;
        });
        boolean changed = true;
        if (page.getData() instanceof TensorSlice built && built.rowAxis() == slice.rowAxis()
                && built.columnAxis() == slice.columnAxis()) {
            changed = relabel(page);
        } else {
            make(page);
        }
        page.setData(slice);
        if (pages.topControl != page) {
            pages.topControl = page;
            area.layout();
        }
        // only the controls, and only when a text changed their widths: their row keeps its height,
        // and a layout of the parent measured the values table again
        if (changed) {
            page.layout(true);
        }
    }

    private void make(Composite page) {
        for (Control child : page.getChildren()) {
            child.dispose();
        }
        int rank = slice.rank();
        if (rank >= 2) {
            new Label(page, SWT.NONE).setText("Rows:");
            Combo rows = axisCombo(page, slice.rowAxis());
            new Label(page, SWT.NONE).setText("Columns:");
            Combo columns = axisCombo(page, slice.columnAxis());
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
            new Label(page, SWT.NONE).setText("axis " + axis + ":");
            Spinner index = new Spinner(page, SWT.BORDER);
            setRange(index, axis, true);
            index.addListener(SWT.Selection, e -> {
                slice = slice.at(held, index.getSelection());
                onChange.accept(slice);
            });
        }
        new Label(page, SWT.NONE).setText(slice.describe());
    }

    /**
     * Another shape, or the same, with the axes the page's controls were made for: their texts and
     * ranges change in place, those that differ only (GTK measures and repaints a combo for each
     * item set). Whether a text changed.
     */
    private boolean relabel(Composite page) {
        Control[] children = page.getChildren();
        boolean changed = false;
        int at = 0;
        if (slice.rank() >= 2) {
            for (int combo : new int[] {1, 3}) {
                Combo axes = (Combo) children[combo];
                for (int axis = 0; axis < slice.rank(); axis++) {
                    if (!axes.getItem(axis).equals(axisText(axis))) {
                        axes.setItem(axis, axisText(axis));
                        changed = true;
                    }
                }
            }
            at = 4;
        }
        for (int axis = 0; axis < slice.rank(); axis++) {
            if (axis == slice.rowAxis() || axis == slice.columnAxis()) {
                continue;
            }
            changed |= setRange((Spinner) children[at + 1], axis, false);
            at += 2;
        }
        Label describe = (Label) children[at];
        if (!describe.getText().equals(slice.describe())) {
            describe.setText(slice.describe());
            changed = true;
        }
        return changed;
    }

    /** Sets a spinner to an axis's index and range; whether they changed (its width may have). */
    private boolean setRange(Spinner index, int axis, boolean made) {
        int max = (int) Math.max(0, shape.dim(axis) - 1);
        int selection = (int) slice.indexOf(axis);
        if (!made && index.getMaximum() == max && index.getSelection() == selection) {
            return false;
        }
        index.setValues(selection, 0, max, 0, 1, 10);
        index.setToolTipText("Index of axis " + axis + " (0.." + (shape.dim(axis) - 1) + ")");
        return true;
    }

    private String axisText(int axis) {
        return "axis " + axis + " (" + shape.dim(axis) + ")";
    }

    private Combo axisCombo(Composite page, int selected) {
        Combo combo = new Combo(page, SWT.READ_ONLY);
        for (int axis = 0; axis < slice.rank(); axis++) {
            combo.add(axisText(axis));
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
