package org.tensorscope.core.internal.rules;

import java.nio.IntBuffer;

import org.tensorscope.core.model.DType;
import org.tensorscope.core.tensor.TensorData;

/**
 * Scans the cause rules make over a whole input: over float32 values by their bits, a chunk copied to an array at
 * a time, which the JIT compiles to a tight loop; over other types element by element. An origin's inputs are
 * often an image and a layer's weights, and the rules scan them several times per trace.
 */
final class ValueScans {

    private static final int CHUNK = 4096;
    private static final int MAGNITUDE = 0x7fffffff;
    private static final int INFINITY = 0x7f800000;

    private ValueScans() {
    }

    /** Whether any value is NaN or infinite. */
    static boolean anyNonFinite(TensorData t) {
        if (t.dtype() != DType.FLOAT32) {
            for (long i = 0; i < t.size(); i++) {
                if (!Double.isFinite(t.getDouble(i))) {
                    return true;
                }
            }
            return false;
        }
        return firstBits(t, INFINITY, Integer.MAX_VALUE) >= 0;
    }

    /** Whether any value is infinite. */
    static boolean anyInfinite(TensorData t) {
        if (t.dtype() != DType.FLOAT32) {
            for (long i = 0; i < t.size(); i++) {
                if (Double.isInfinite(t.getDouble(i))) {
                    return true;
                }
            }
            return false;
        }
        return firstBits(t, INFINITY, INFINITY) >= 0;
    }

    /** Whether any value is zero (either sign). */
    static boolean anyZero(TensorData t) {
        if (t.dtype() != DType.FLOAT32) {
            for (long i = 0; i < t.size(); i++) {
                if (t.getDouble(i) == 0) {
                    return true;
                }
            }
            return false;
        }
        return firstBits(t, 0, 0) >= 0;
    }

    /** The sum of the values' magnitudes, in double. */
    static double sumOfMagnitudes(TensorData t) {
        double sum = 0;
        for (long i = 0; i < t.size(); i++) {
            sum += Math.abs(t.getDouble(i));
        }
        return sum;
    }

    /** The index of the first finite value of largest magnitude, -1 when none is finite. */
    static long largestFinite(TensorData t) {
        long best = -1;
        if (t.dtype() != DType.FLOAT32) {
            double bestAbs = -1;
            for (long i = 0; i < t.size(); i++) {
                double a = Math.abs(t.getDouble(i));
                if (Double.isFinite(a) && a > bestAbs) {
                    bestAbs = a;
                    best = i;
                }
            }
            return best;
        }
        IntBuffer values = t.bytes().asIntBuffer();
        int[] chunk = new int[Math.min(values.remaining(), CHUNK)];
        int bestBits = -1;
        for (long start = 0; values.hasRemaining(); start += chunk.length) {
            int n = Math.min(values.remaining(), chunk.length);
            values.get(chunk, 0, n);
            for (int i = 0; i < n; i++) {
                int bits = chunk[i] & MAGNITUDE;
                if (bits < INFINITY && bits > bestBits) {
                    bestBits = bits;
                    best = start + i;
                }
            }
        }
        return best;
    }

    /** The index of the first float32 value whose magnitude's bits lie in [low, high], -1 when none does. */
    private static long firstBits(TensorData t, int low, int high) {
        IntBuffer values = t.bytes().asIntBuffer();
        int[] chunk = new int[Math.min(values.remaining(), CHUNK)];
        for (long start = 0; values.hasRemaining(); start += chunk.length) {
            int n = Math.min(values.remaining(), chunk.length);
            values.get(chunk, 0, n);
            for (int i = 0; i < n; i++) {
                int bits = chunk[i] & MAGNITUDE;
                if (bits >= low && bits <= high) {
                    return start + i;
                }
            }
        }
        return -1;
    }
}
