package org.tensorscope.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tensorscope.core.model.Shape;

class ShapeTest {

    @Test
    void partialShapeAcceptsAnyBatchButNotAnotherImageSize() {
        Shape input = Shape.of(-1, 224, 224, 3);
        assertTrue(input.accepts(Shape.of(8, 224, 224, 3)));
        assertFalse(input.accepts(Shape.of(1, 256, 256, 3)));
        assertFalse(input.accepts(Shape.of(224, 224, 3)));
        assertEquals("[?,224,224,3]", input.toString());
        assertEquals(-1, input.numElements());
    }

    @Test
    void fullyDefinedShapeCountsItsElements() {
        assertEquals(1 * 256 * 256 * 3, Shape.of(1, 256, 256, 3).numElements());
        assertEquals(1, Shape.of().numElements());
        assertEquals("<unknown rank>", Shape.unknownRank().toString());
        assertTrue(Shape.unknownRank().accepts(Shape.of(2, 3)));
    }

    @Test
    void opNamesBecomeTheirFirstTensor() {
        assertEquals("conv:0", org.tensorscope.core.model.TensorSpec.tensorName("conv"));
        assertEquals("split:1", org.tensorscope.core.model.TensorSpec.tensorName("split:1"));
        assertEquals("odd:name:0", org.tensorscope.core.model.TensorSpec.tensorName("odd:name"));
    }

    @Test
    void dimsCannotBeChangedFromOutside() {
        long[] dims = { 2, 3 };
        Shape shape = Shape.of(dims);
        dims[0] = 7;
        shape.dims()[1] = 9;
        assertEquals(Shape.of(2, 3), shape);
    }
}
