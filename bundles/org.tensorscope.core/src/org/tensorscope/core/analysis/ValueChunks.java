package org.tensorscope.core.analysis;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;

import org.tensorscope.core.model.DType;
import org.tensorscope.core.tensor.TensorData;

/**
 * A numeric tensor's values, read in bulk a chunk at a time into a primitive array that stays in
 * cache: float32, float16 and bfloat16 into {@link #floats} (exactly), every other numeric type
 * into {@link #doubles} (as {@link TensorData#getDouble} widens them). Float32 values are also
 * read as their bits into {@link #bits}: loops that need the bits of each value are vector
 * operations on an int array, and not on a float one.
 */
final class ValueChunks {

    static final int SIZE = 4096;

    final boolean floatFamily;
    final float[] floats;
    final double[] doubles;
    /** For float32: the chunk's values as their bits, else null. */
    final int[] bits;
    private final IntBuffer bitView;
    private final TensorData tensor;
    private final ByteBuffer bytes;
    private final Object view;
    private final short[] shorts;
    private final byte[] raw;
    private final int[] ints;
    private final long[] longs;

    ValueChunks(TensorData tensor) {
        this(tensor, 0, tensor.size());
    }

    /** The values from index {@code from} (inclusive) to {@code to} (exclusive). */
    ValueChunks(TensorData tensor, long from, long to) {
        this.tensor = tensor;
        // from the first element on, so that positions count elements from 0
        this.bytes = tensor.bytes().slice().order(ByteOrder.LITTLE_ENDIAN);
        this.floatFamily = isFloatFamily(tensor.dtype());
        floats = floatFamily ? new float[SIZE] : null;
        doubles = floatFamily ? null : new double[SIZE];
        view = switch (tensor.dtype()) {
            case FLOAT32 -> bytes.asFloatBuffer();
            case FLOAT64 -> bytes.asDoubleBuffer();
            case FLOAT16, BFLOAT16, INT16, UINT16 -> bytes.asShortBuffer();
            case INT32, UINT32 -> bytes.asIntBuffer();
            case INT64, UINT64 -> bytes.asLongBuffer();
            case INT8, UINT8, BOOL -> bytes;
            default -> throw new UnsupportedOperationException("Tensor " + tensor.name() + " holds "
                    + tensor.dtype().displayName() + " values, which have no numeric view");
        };
        ((Buffer) view).limit(Math.toIntExact(to)).position(Math.toIntExact(from));
        if (tensor.dtype() == DType.FLOAT32) {
            bitView = bytes.asIntBuffer();
            bitView.limit(Math.toIntExact(to)).position(Math.toIntExact(from));
            bits = new int[SIZE];
        } else {
            bitView = null;
            bits = null;
        }
        shorts = view instanceof ShortBuffer ? new short[SIZE] : null;
        raw = view == bytes ? new byte[SIZE] : null;
        ints = view instanceof IntBuffer ? new int[SIZE] : null;
        longs = view instanceof LongBuffer ? new long[SIZE] : null;
    }

    /** Whether values of this type are read into {@link #floats}, exactly. */
    static boolean isFloatFamily(DType dtype) {
        return switch (dtype) {
            case FLOAT32, FLOAT16, BFLOAT16 -> true;
            default -> false;
        };
    }

    /** Moves to the value at this index (from the tensor's first): the next chunk starts there. */
    void seek(long index) {
        ((Buffer) view).position(Math.toIntExact(index));
        if (bitView != null) {
            bitView.position(Math.toIntExact(index));
        }
    }

    /** Reads the next chunk into {@link #floats} or {@link #doubles}; its length, 0 at the end. */
    int next() {
        switch (tensor.dtype()) {
            case FLOAT32 -> {
                FloatBuffer b = (FloatBuffer) view;
                int n = Math.min(SIZE, b.remaining());
                b.get(floats, 0, n);
                bitView.get(bits, 0, n);
                return n;
            }
            case FLOAT64 -> {
                DoubleBuffer b = (DoubleBuffer) view;
                int n = Math.min(SIZE, b.remaining());
                b.get(doubles, 0, n);
                return n;
            }
            case FLOAT16 -> {
                int n = shorts();
                for (int i = 0; i < n; i++) {
                    floats[i] = Float.float16ToFloat(shorts[i]);
                }
                return n;
            }
            case BFLOAT16 -> {
                int n = shorts();
                for (int i = 0; i < n; i++) {
                    floats[i] = Float.intBitsToFloat((shorts[i] & 0xffff) << 16);
                }
                return n;
            }
            case INT16 -> {
                int n = shorts();
                for (int i = 0; i < n; i++) {
                    doubles[i] = shorts[i];
                }
                return n;
            }
            case UINT16 -> {
                int n = shorts();
                for (int i = 0; i < n; i++) {
                    doubles[i] = shorts[i] & 0xffff;
                }
                return n;
            }
            case INT32, UINT32 -> {
                IntBuffer b = (IntBuffer) view;
                int n = Math.min(SIZE, b.remaining());
                b.get(ints, 0, n);
                boolean unsigned = tensor.dtype() == DType.UINT32;
                for (int i = 0; i < n; i++) {
                    doubles[i] = unsigned ? ints[i] & 0xffffffffL : ints[i];
                }
                return n;
            }
            case INT64, UINT64 -> {
                LongBuffer b = (LongBuffer) view;
                int n = Math.min(SIZE, b.remaining());
                b.get(longs, 0, n);
                for (int i = 0; i < n; i++) {
                    doubles[i] = longs[i];
                }
                return n;
            }
            default -> {
                int n = Math.min(SIZE, bytes.remaining());
                bytes.get(raw, 0, n);
                boolean signed = tensor.dtype() == DType.INT8;
                for (int i = 0; i < n; i++) {
                    doubles[i] = signed ? raw[i] : raw[i] & 0xff;
                }
                return n;
            }
        }
    }

    private int shorts() {
        ShortBuffer b = (ShortBuffer) view;
        int n = Math.min(SIZE, b.remaining());
        b.get(shorts, 0, n);
        return n;
    }
}
