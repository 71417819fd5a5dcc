package org.tensorscope.core.trace;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A weight the trace leaves out holds NaN or infinity "by design" only when its reason says so: one left out because
 * the pass cannot reach it is still broken, and the Weights line must call it so.
 */
class UncheckedTensorTest {

    @Test
    void onlyAnInfinityOnPurposeIsByDesign() {
        assertTrue(new UncheckedTensor("pad_value:0", "holds an infinity by design: PadV2 pad pads the input of MaxPool"
                + " pool with this -inf, which never wins a max").byDesign());
        assertFalse(new UncheckedTensor("w:0", "it lies inside cond c, whose branches Tensorscope cannot follow")
                .byDesign());
        assertFalse(new UncheckedTensor("bn:3", "a reserve space of FusedBatchNormV3, which it fills only in training:"
                + " its values are undefined in inference; no op of this run reads it").byDesign());
    }
}
