package org.tensorscope.examples.sparsity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.service.Inspection;
import org.tensorscope.core.tensor.TensorData;

class SparsityInspectorTest {

    private final SparsityInspector inspector = new SparsityInspector();

    /** 2 x 2 x 3 activations: channel 0 is dead, channel 1 has one zero in four, channel 2 none. */
    private static final TensorData ACTIVATIONS = TensorData.ofFloats("relu:0", Shape.of(2, 2, 3),
            0, 0.5f, 1,
            0, 0, 2,
            0, 1.5f, 3,
            -0f, 2.5f, Float.NaN);

    @Test
    void countsZerosAlongTheLastAxis() {
        assertArrayEquals(new long[] { 4, 1, 0 }, SparsityInspector.zerosPerChannel(ACTIVATIONS));
    }

    @Test
    void tableGivesTheZeroFractionOfEachChannel() {
        Inspection inspection = inspector.inspect(ACTIVATIONS);
        assertEquals("Zeros per channel of relu:0", inspection.title());
        assertEquals(List.of("Channel", "Zeros", "Values", "Zero fraction"), inspection.columns());
        assertEquals(List.of(
                List.of("0", "4", "4", "100.0 %"),
                List.of("1", "1", "4", "25.0 %"),
                List.of("2", "0", "4", "0.0 %")), inspection.rows());
    }

    @Test
    void aVectorIsOneRowOfChannels() {
        TensorData vector = TensorData.ofFloats("bias:0", Shape.of(4), 0, 1, 0, 0);
        assertArrayEquals(new long[] { 1, 0, 1, 1 }, SparsityInspector.zerosPerChannel(vector));
    }

    @Test
    void appliesToNumericTensorsWithAtLeastOneAxis() {
        assertTrue(inspector.appliesTo(new TensorSpec("conv:0", DType.FLOAT32, Shape.of(1, 8, 8, 16))));
        assertFalse(inspector.appliesTo(new TensorSpec("loss:0", DType.FLOAT32, Shape.of())));
        assertFalse(inspector.appliesTo(new TensorSpec("conv:0", DType.FLOAT32, Shape.unknownRank())));
    }
}
