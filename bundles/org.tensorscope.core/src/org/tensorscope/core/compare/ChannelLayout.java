package org.tensorscope.core.compare;

import java.nio.ByteBuffer;
import java.util.Optional;

import org.tensorscope.core.model.Shape;
import org.tensorscope.core.tensor.TensorData;

/**
 * One tensor in the two layouts of an image's (or a sequence's, or a volume's) channels: first, after the batch (NCHW:
 * ONNX, PyTorch), or last (NHWC: TensorFlow, TFLite, TF.js). A model and its conversion to the other family hold
 * every activation in its own layout, so their values line up only once one side is laid out as the other.
 */
public final class ChannelLayout {

    /**
     * B's values laid out as A's, with what was done in words.
     *
     * @param b    B's tensor in A's shape
     * @param note e.g. "compared in A's layout: B holds it with its channels last, [1,74,32,24]"
     */
    record Relaid(TensorData b, String note) {
    }

    private ChannelLayout() {
    }

    /** Whether B's shape is A's with the channels moved from after the batch to last, or the other way round. */
    static boolean relayable(Shape a, Shape b) {
        return channelsLast(a, b) || channelsLast(b, a);
    }

    /** B's values in A's layout, when B's shape is A's with its channels moved; empty otherwise. */
    static Optional<Relaid> relay(TensorData a, TensorData b) {
        if (a.dtype() != b.dtype() || a.dtype().byteSize() <= 0) {
            return Optional.empty();
        }
        if (channelsLast(a.shape(), b.shape())) {
            return Optional.of(new Relaid(moved(b, a.shape(), true),
                    "compared in A's layout: B holds it with its channels last, " + b.shape()));
        }
        if (channelsLast(b.shape(), a.shape())) {
            return Optional.of(new Relaid(moved(b, a.shape(), false),
                    "compared in A's layout: B holds it with its channels first, " + b.shape()));
        }
        return Optional.empty();
    }

    /**
     * The values laid out with their channels moved (first to last, or last to first) when {@code accepting} takes
     * that shape and not theirs: A's input for a conversion of A to the other channel layout. Empty when
     * {@code accepting} takes the values as they are, neither way, or both ways.
     */
    public static Optional<TensorData> fitted(TensorData values, Shape accepting) {
        Shape shape = values.shape();
        if (accepting.accepts(shape) || shape.rank() < 3 || shape.rank() > 5 || values.dtype().byteSize() <= 0) {
            return Optional.empty();
        }
        long[] last = channelsMovedLast(shape.dims());
        long[] first = channelsMovedFirst(shape.dims());
        boolean toLast = accepting.accepts(Shape.of(last));
        boolean toFirst = accepting.accepts(Shape.of(first));
        if (toLast == toFirst) { // neither, or both: which one the model means is not known
            return Optional.empty();
        }
        return Optional.of(toLast ? moved(values, Shape.of(last), false) : moved(values, Shape.of(first), true));
    }

    /**
     * Whether {@code last} is {@code first} with dimension 1 moved to the end, rank 3 to 5, the two differing;
     * unknown dimensions (-1) fit any.
     */
    private static boolean channelsLast(Shape first, Shape last) {
        if (!first.hasKnownRank() || !last.hasKnownRank() || first.rank() != last.rank() || first.rank() < 3
                || first.rank() > 5 || first.equals(last)) {
            return false;
        }
        long[] moved = channelsMovedLast(first.dims());
        long[] l = last.dims();
        for (int i = 0; i < l.length; i++) {
            if (moved[i] >= 0 && l[i] >= 0 && moved[i] != l[i]) {
                return false;
            }
        }
        return true;
    }

    /** [n, c, d1, d2] as [n, d1, d2, c]. */
    private static long[] channelsMovedLast(long[] dims) {
        long[] moved = new long[dims.length];
        moved[0] = dims[0];
        System.arraycopy(dims, 2, moved, 1, dims.length - 2);
        moved[dims.length - 1] = dims[1];
        return moved;
    }

    /** [n, d1, d2, c] as [n, c, d1, d2]. */
    private static long[] channelsMovedFirst(long[] dims) {
        long[] moved = new long[dims.length];
        moved[0] = dims[0];
        moved[1] = dims[dims.length - 1];
        System.arraycopy(dims, 1, moved, 2, dims.length - 2);
        return moved;
    }

    /**
     * B's elements reordered into {@code shape} (A's).
     *
     * @param fromLast whether B holds the channels last and A first
     */
    private static TensorData moved(TensorData b, Shape shape, boolean fromLast) {
        long[] dims = shape.dims();
        long batch = dims[0];
        long channels = fromLast ? dims[1] : dims[dims.length - 1];
        long spatial = b.size() / Math.max(1, batch * channels);
        int width = b.dtype().byteSize();
        ByteBuffer in = b.bytes();
        int base = in.position();
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(b.size() * width));
        byte[] element = new byte[width];
        for (long n = 0; n < batch; n++) {
            for (long c = 0; c < channels; c++) {
                for (long s = 0; s < spatial; s++) {
                    long first = (n * channels + c) * spatial + s;
                    long last = (n * spatial + s) * channels + c;
                    long to = fromLast ? first : last;
                    long from = fromLast ? last : first;
                    in.get(base + Math.toIntExact(from * width), element);
                    out.put(Math.toIntExact(to * width), element);
                }
            }
        }
        return new TensorData(b.name(), b.dtype(), shape, out);
    }
}
