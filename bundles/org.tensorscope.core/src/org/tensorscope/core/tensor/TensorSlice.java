package org.tensorscope.core.tensor;

import java.util.Arrays;

import org.tensorscope.core.model.Shape;

/**
 * A 2-D window on an N-d tensor: one axis down the rows, one across the columns, every other
 * axis held at an index. A scalar is one cell; a vector is one row.
 */
public final class TensorSlice {

    private final long[] dims;
    private final int rowAxis;
    private final int columnAxis;
    private final long[] fixed;

    private TensorSlice(long[] dims, int rowAxis, int columnAxis, long[] fixed) {
        this.dims = dims;
        this.rowAxis = rowAxis;
        this.columnAxis = columnAxis;
        this.fixed = fixed;
    }

    /** The last two axes, the others at index 0 (the usual way to look at NHWC or [batch, features]). */
    public static TensorSlice lastTwo(Shape shape) {
        long[] dims = shape.dims().clone();
        return new TensorSlice(dims, dims.length - 2, dims.length - 1, new long[dims.length]);
    }

    /** Rows along one axis and columns along another; -1 for none (a vector's rows, a scalar's both). */
    public TensorSlice withAxes(int newRowAxis, int newColumnAxis) {
        if (newRowAxis >= dims.length || newColumnAxis >= dims.length
                || (newRowAxis >= 0 && newRowAxis == newColumnAxis)) {
            throw new IllegalArgumentException("Rows and columns need two different axes of " + Arrays.toString(dims));
        }
        return new TensorSlice(dims, newRowAxis, newColumnAxis, fixed);
    }

    /** The slice with an axis that is neither rows nor columns held at another index. */
    public TensorSlice at(int axis, long index) {
        if (index < 0 || index >= dims[axis]) {
            throw new IllegalArgumentException("Axis " + axis + " has indexes 0.." + (dims[axis] - 1) + ", not " + index);
        }
        long[] next = fixed.clone();
        next[axis] = index;
        return new TensorSlice(dims, rowAxis, columnAxis, next);
    }

    public int rowAxis() {
        return rowAxis;
    }

    public int columnAxis() {
        return columnAxis;
    }

    public int rank() {
        return dims.length;
    }

    /** The index an axis that is neither rows nor columns is held at. */
    public long indexOf(int axis) {
        return fixed[axis];
    }

    public long rows() {
        return rowAxis < 0 ? 1 : dims[rowAxis];
    }

    public long columns() {
        return columnAxis < 0 ? 1 : dims[columnAxis];
    }

    /** The row-major flat index of a cell of the slice. */
    public long flatIndex(long row, long column) {
        long index = 0;
        for (int axis = 0; axis < dims.length; axis++) {
            long i = axis == rowAxis ? row : axis == columnAxis ? column : fixed[axis];
            index = index * dims[axis] + i;
        }
        return index;
    }

    /** The slice as numpy writes it, e.g. "[0, :, :, 3]". */
    public String describe() {
        StringBuilder text = new StringBuilder("[");
        for (int axis = 0; axis < dims.length; axis++) {
            text.append(axis == 0 ? "" : ", ").append(axis == rowAxis || axis == columnAxis ? ":" : Long.toString(fixed[axis]));
        }
        return text.append(']').toString();
    }
}
