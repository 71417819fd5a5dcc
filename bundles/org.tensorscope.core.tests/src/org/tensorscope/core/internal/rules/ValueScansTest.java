package org.tensorscope.core.internal.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.tensor.TensorData;

/**
 * The float32 scans by bits answer as the element-by-element scans do, on every kind of value, at every position
 * of chunks and across their edges; the other types go element by element.
 */
class ValueScansTest {

    private static final float[] SPECIAL = {0f, -0f, Float.NaN, Float.intBitsToFloat(0xffc00000),
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, 1f,
            -3e38f};

    @Test
    void float32ScansAgreeWithScansValueByValue() {
        Random random = new Random(7);
        for (int length : new int[] {0, 1, 5, 4095, 4096, 4097, 9000}) {
            for (int trial = 0; trial < 40; trial++) {
                float[] values = new float[length];
                for (int i = 0; i < length; i++) {
                    values[i] = random.nextFloat() * 2 - 1 + 0.5f; // no zero, finite
                }
                int specials = trial % 4;
                for (int k = 0; k < specials && length > 0; k++) {
                    // at the chunks' edges in half the trials, anywhere in the others
                    int[] edges = {0, 4095, 4096, length - 1};
                    int at = trial % 2 == 0 ? Math.min(edges[random.nextInt(edges.length)], length - 1)
                            : random.nextInt(length);
                    values[at] = SPECIAL[random.nextInt(SPECIAL.length)];
                }
                String what = "length " + length + ", trial " + trial;
                for (TensorData t : List.of(TensorData.ofFloats("t", Shape.of(length), values), direct(values),
                        afterOffset(values))) {
                    assertEquals(reference(values, 'n'), ValueScans.anyNonFinite(t), what + ": non-finite");
                    assertEquals(reference(values, 'i'), ValueScans.anyInfinite(t), what + ": infinite");
                    assertEquals(reference(values, 'z'), ValueScans.anyZero(t), what + ": zero");
                    assertEquals(largest(values), ValueScans.largestFinite(t), what + ": largest finite");
                }
            }
        }
    }

    @Test
    void otherTypesAreScannedValueByValue() {
        ByteBuffer bytes = ByteBuffer.allocate(3 * 8).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putDouble(2).putDouble(Double.NEGATIVE_INFINITY).putDouble(-5).flip();
        TensorData doubles = new TensorData("d", DType.FLOAT64, Shape.of(3), bytes);
        assertEquals(true, ValueScans.anyInfinite(doubles));
        assertEquals(true, ValueScans.anyNonFinite(doubles));
        assertEquals(false, ValueScans.anyZero(doubles));
        assertEquals(2, ValueScans.largestFinite(doubles));

        ByteBuffer halves = ByteBuffer.allocate(3 * 2).order(ByteOrder.LITTLE_ENDIAN);
        halves.putShort(Float.floatToFloat16(0f)).putShort(Float.floatToFloat16(-7f))
                .putShort(Float.floatToFloat16(Float.NaN)).flip();
        TensorData float16 = new TensorData("h", DType.FLOAT16, Shape.of(3), halves);
        assertEquals(false, ValueScans.anyInfinite(float16));
        assertEquals(true, ValueScans.anyNonFinite(float16));
        assertEquals(true, ValueScans.anyZero(float16));
        assertEquals(1, ValueScans.largestFinite(float16));
    }

    /** The values in a direct buffer, as TensorFlow's and the worker's tensors come. */
    private static TensorData direct(float[] values) {
        ByteBuffer bytes = ByteBuffer.allocateDirect(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return new TensorData("t", DType.FLOAT32, Shape.of(values.length), bytes);
    }

    /** The values three bytes into a larger buffer: the tensor's bytes start at the buffer's position. */
    private static TensorData afterOffset(float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4 + 3).order(ByteOrder.LITTLE_ENDIAN);
        bytes.position(3);
        for (float v : values) {
            bytes.putFloat(v);
        }
        bytes.position(3);
        return new TensorData("t", DType.FLOAT32, Shape.of(values.length), bytes);
    }

    private static boolean reference(float[] values, char kind) {
        for (float v : values) {
            if (kind == 'n' && !Float.isFinite(v) || kind == 'i' && Float.isInfinite(v) || kind == 'z' && v == 0) {
                return true;
            }
        }
        return false;
    }

    private static long largest(float[] values) {
        long best = -1;
        double bestAbs = -1;
        for (int i = 0; i < values.length; i++) {
            double a = Math.abs((double) values[i]);
            if (Double.isFinite(a) && a > bestAbs) {
                bestAbs = a;
                best = i;
            }
        }
        return best;
    }
}
