package org.tensorscope.core.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.tensor.TensorData;

class TensorDataTest {

    @Test
    void readsFloatsAndTheirPositionsInRowMajorOrder() {
        TensorData t = TensorData.ofFloats("x:0", Shape.of(2, 3), 0f, 1f, 2f, Float.NaN, 4f, -5f);
        assertEquals(6, t.size());
        assertTrue(Double.isNaN(t.getDouble(3)));
        assertEquals(-5.0, t.getDouble(5));
        assertArrayEquals(new long[] { 1, 0 }, t.position(3));
        assertArrayEquals(new long[] { 1, 2 }, t.position(5));
    }

    @Test
    void readsUnsignedBytesAsPositiveNumbers() {
        TensorData t = new TensorData("img:0", DType.UINT8, Shape.of(2), ByteBuffer.wrap(new byte[] { (byte) 255, 7 }));
        assertEquals(255.0, t.getDouble(0));
        assertEquals(7.0, t.getDouble(1));
    }

    @Test
    void rejectsABufferOfTheWrongSizeNamingTheTensor() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TensorData("w:0", DType.FLOAT32, Shape.of(4), ByteBuffer.allocate(12)));
        assertEquals("Tensor w:0 of shape [4] and type float32 needs 16 bytes, got 12", e.getMessage());
    }
}
