package org.tensorscope.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.tensor.TensorCsv;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.tensor.TensorEdits;
import org.tensorscope.core.tensor.TensorSlice;

class TensorSliceTest {

    /** A [1, 2, 3, 2] NHWC activation whose value at flat index i is i. */
    private static TensorData nhwc() {
        float[] values = new float[12];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        return TensorData.ofFloats("act:0", Shape.of(1, 2, 3, 2), values);
    }

    @Test
    void oneChannelOfAnActivationIsItsHeightByWidthAtThatChannel() {
        TensorData act = nhwc();
        TensorSlice channel1 = TensorSlice.lastTwo(act.shape()).withAxes(1, 2).at(3, 1);
        assertEquals("[0, :, :, 1]", channel1.describe());
        assertEquals(2, channel1.rows());
        assertEquals(3, channel1.columns());
        // (h=1, w=2, c=1) is flat 1*6 + 2*2 + 1 = 11
        assertEquals(11.0, act.getDouble(channel1.flatIndex(1, 2)));
        assertEquals(1.0, act.getDouble(channel1.flatIndex(0, 0)));
    }

    @Test
    void vectorsAndScalarsAreOneRow() {
        TensorSlice vector = TensorSlice.lastTwo(Shape.of(5));
        assertEquals(1, vector.rows());
        assertEquals(5, vector.columns());
        assertEquals(4, vector.flatIndex(0, 4));
        TensorSlice scalar = TensorSlice.lastTwo(Shape.of());
        assertEquals(1, scalar.rows() * scalar.columns());
        assertEquals(0, scalar.flatIndex(0, 0));
    }

    @Test
    void badAxesAndIndexesAreRefusedWithTheRange() {
        TensorSlice slice = TensorSlice.lastTwo(Shape.of(1, 2, 3, 2));
        assertEquals("Axis 1 has indexes 0..1, not 2", assertThrows(IllegalArgumentException.class,
                () -> slice.withAxes(2, 3).at(1, 2)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> slice.withAxes(2, 2));
    }

    @Test
    void csvWritesTheSliceWithNanAndInfAsNumpyDoes() throws IOException {
        TensorData data = TensorData.ofFloats("x:0", Shape.of(2, 2), 1.5f, Float.NaN, Float.NEGATIVE_INFINITY, 3f);
        StringWriter out = new StringWriter();
        TensorCsv.write(data, TensorSlice.lastTwo(data.shape()), ',', out);
        assertEquals("1.5,nan\n-inf,3.0\n", out.toString());
    }

    @Test
    void editsMakeNewTensorsAndLeaveTheOriginalAlone() {
        TensorData data = TensorData.ofFloats("x:0", Shape.of(4), -5f, 0.5f, 300f, Float.POSITIVE_INFINITY);
        TensorData clipped = TensorEdits.clipped(data, 0, 255);
        assertEquals(0.0, clipped.getDouble(0));
        assertEquals(0.5, clipped.getDouble(1));
        assertEquals(255.0, clipped.getDouble(2));
        assertEquals(255.0, clipped.getDouble(3), "infinity is clipped too");
        assertEquals(300.0, data.getDouble(2), "the original is unchanged");
        TensorData edited = TensorEdits.withValue(data, 3, 7);
        assertEquals(7.0, edited.getDouble(3));
        assertEquals("x:0", edited.name());
        IllegalArgumentException ints = assertThrows(IllegalArgumentException.class, () -> TensorEdits.clipped(
                new TensorData("i:0", DType.INT32, Shape.of(1), ByteBuffer.allocate(4)),
                0, 1));
        assertTrue(ints.getMessage().startsWith("i:0 holds int32 values"), ints.getMessage());
    }
}
