package org.tensorscope.core.compare;

import java.util.Arrays;

import org.tensorscope.core.model.Shape;
import org.tensorscope.core.tensor.TensorData;

/**
 * The comparison of two fetched values: the status, the shapes each side computed, the metrics and
 * a note. Shapes that differ only in dimensions of size 1 ([1,10] and [10]) are compared element by element, and
 * one tensor in the other's channel layout (NHWC against NCHW) once laid out as the other.
 */
record ValueComparison(PairStatus status, Shape shapeA, Shape shapeB, TensorDiff.Result diff, String note) {

    /** @param layouts whether B may hold a tensor in the other channel layout (a model and its conversion) */
    static ValueComparison of(BatchFetcher.Fetched a, BatchFetcher.Fetched b, Shape staticA, Shape staticB,
            double tolerance, boolean layouts) {
        if (a.data() == null || b.data() == null) {
            String note = a.data() == null ? "A: " + a.problem() : "";
            if (b.data() == null) {
                note += (note.isEmpty() ? "" : "; ") + "B: " + b.problem();
            }
            return new ValueComparison(PairStatus.NOT_COMPARED, a.data() == null ? staticA : a.data().shape(),
                    b.data() == null ? staticB : b.data().shape(), null, note);
        }
        TensorData x = a.data();
        TensorData y = b.data();
        if (!x.dtype().isFloating() || !y.dtype().isFloating()) {
            return new ValueComparison(PairStatus.NOT_COMPARED, x.shape(), y.shape(), null,
                    "not floating point: A holds " + x.dtype().displayName() + ", B " + y.dtype().displayName());
        }
        String note = "";
        if (!x.shape().equals(y.shape())) {
            boolean squeezedSame = x.size() == y.size() && Arrays.equals(squeezed(x.shape()), squeezed(y.shape()));
            java.util.Optional<ChannelLayout.Relaid> relaid = layouts && !squeezedSame && x.size() == y.size()
                    ? ChannelLayout.relay(x, y) : java.util.Optional.empty();
            if (relaid.isPresent()) {
                TensorDiff.Result diff = TensorDiff.of(x, relaid.get().b(), tolerance);
                return new ValueComparison(diff.metrics().diverges() ? PairStatus.DIVERGED : PairStatus.MATCH,
                        x.shape(), y.shape(), diff, relaid.get().note());
            }
            if (x.size() != y.size() || !Arrays.equals(squeezed(x.shape()), squeezed(y.shape()))) {
                return new ValueComparison(PairStatus.SHAPE_MISMATCH, x.shape(), y.shape(), null,
                        "shapes differ: A " + x.shape() + ", B " + y.shape());
            }
            note = "shapes differ only in dimensions of size 1: A " + x.shape() + ", B " + y.shape();
        }
        TensorDiff.Result diff = TensorDiff.of(x, y, tolerance);
        return new ValueComparison(diff.metrics().diverges() ? PairStatus.DIVERGED : PairStatus.MATCH, x.shape(),
                y.shape(), diff, note);
    }

    ErrorMetrics metrics() {
        return diff == null ? null : diff.metrics();
    }

    double relativeChange() {
        return diff == null ? Double.NaN : diff.relativeChange();
    }

    private static long[] squeezed(Shape shape) {
        return Arrays.stream(shape.dims()).filter(d -> d != 1).toArray();
    }
}
