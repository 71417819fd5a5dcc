package org.tensorscope.core.tensor;

import java.io.IOException;
import java.io.Writer;

import org.tensorscope.core.model.DType;

/** Writes a slice of a tensor as a matrix of text: CSV for files, tab-separated for the clipboard. */
public final class TensorCsv {

    private TensorCsv() {
    }

    /** One line per row of the slice, values in full precision, NaN and ±Inf spelled as numpy does. */
    public static void write(TensorData tensor, TensorSlice slice, char separator, Writer out) throws IOException {
        for (long r = 0; r < slice.rows(); r++) {
            for (long c = 0; c < slice.columns(); c++) {
                if (c > 0) {
                    out.write(separator);
                }
                out.write(format(tensor.getDouble(slice.flatIndex(r, c)), tensor));
            }
            out.write('\n');
        }
    }

    static String format(double value, TensorData tensor) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (!tensor.dtype().isFloating()) {
            return Long.toString((long) value);
        }
        return tensor.dtype() == DType.FLOAT64 ? Double.toString(value)
                : Float.toString((float) value);
    }
}
