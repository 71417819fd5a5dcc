package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.tensorflow.Tensor;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.tensorflow.internal.run.TfTensors;

/**
 * Tensors copied into TensorFlow's memory and back arrive with their exact bytes, whatever kind of
 * buffer they come from (the heap, direct memory, a slice starting inside another buffer).
 */
class TfTensorsTest {

    @Test
    void everyTypeGoesThereAndBackExactly() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.FLOAT16, DType.BFLOAT16, DType.INT32,
                DType.INT64, DType.UINT8, DType.UINT16}) {
            for (int count : new int[] {1, 3, 100_003}) {
                byte[] values = random(count * dtype.byteSize(), count);
                assertRoundTrip(dtype, count, ByteBuffer.wrap(values));
                ByteBuffer direct = ByteBuffer.allocateDirect(values.length).put(values).flip();
                assertRoundTrip(dtype, count, direct);
            }
        }
        byte[] booleans = new byte[1001];
        for (int i = 0; i < booleans.length; i++) {
            booleans[i] = (byte) (i % 3 == 0 ? 1 : 0);
        }
        assertRoundTrip(DType.BOOL, booleans.length, ByteBuffer.wrap(booleans));
    }

    @Test
    void aSliceOfALargerBufferGivesOnlyItsOwnBytes() {
        int count = 300_000;
        byte[] all = random(count * 4 + 64, 7);
        ByteBuffer slice = ByteBuffer.allocateDirect(all.length).put(all).position(32).limit(32 + count * 4).slice();
        byte[] expected = new byte[count * 4];
        System.arraycopy(all, 32, expected, 0, expected.length);
        TensorData data = new TensorData("x", DType.FLOAT32, Shape.of(count), slice);
        try (Tensor tensor = TfTensors.toTensor(data)) {
            assertArrayEquals(expected, bytes(TfTensors.toData("x", tensor)));
        }
        assertArrayEquals(expected, bytes(data), "the source is left as it was");
    }

    @Test
    void aLargeTensorGoesIntoTensorFlowWithoutAnArrayOnTheHeap() {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        int count = 4 << 20;
        TensorData data = new TensorData("x", DType.FLOAT32, Shape.of(count),
                ByteBuffer.allocateDirect(count * 4).order(ByteOrder.LITTLE_ENDIAN).putFloat(4, 3f).clear());
        for (int round = 0; round < 3; round++) { // the first round loads classes
            long before = threads.getCurrentThreadAllocatedBytes();
            try (Tensor tensor = TfTensors.toTensor(data)) {
                long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                assertTrue(round == 0 || allocated < (1 << 20),
                        "copying 16 MB into TensorFlow allocated " + allocated + " bytes on the heap");
                assertEquals(3.0, TfTensors.toData("x", tensor).getDouble(1), 0);
            }
        }
    }

    @Test
    void anEmptyTensorGoesThereAndBack() {
        TensorData empty = new TensorData("x", DType.FLOAT32, Shape.of(0, 4), ByteBuffer.allocate(0));
        try (Tensor tensor = TfTensors.toTensor(empty)) {
            TensorData back = TfTensors.toData("x", tensor);
            assertEquals(0, back.size());
            assertArrayEquals(new long[] {0, 4}, back.shape().dims());
        }
    }

    private static void assertRoundTrip(DType dtype, int count, ByteBuffer values) {
        TensorData data = new TensorData("x", dtype, Shape.of(count), values);
        byte[] expected = bytes(data);
        try (Tensor tensor = TfTensors.toTensor(data)) {
            TensorData back = TfTensors.toData("x", tensor);
            assertEquals(dtype, back.dtype());
            assertArrayEquals(new long[] {count}, back.shape().dims());
            assertArrayEquals(expected, bytes(back), dtype + " x " + count);
        }
    }

    private static byte[] random(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] bytes(TensorData data) {
        ByteBuffer bytes = data.bytes().order(ByteOrder.LITTLE_ENDIAN);
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        return copy;
    }
}
