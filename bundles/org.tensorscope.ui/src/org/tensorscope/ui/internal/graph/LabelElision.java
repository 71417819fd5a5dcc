package org.tensorscope.ui.internal.graph;

import java.util.function.ToIntFunction;

/**
 * Shortens a label that does not fit by taking out its middle: op names differ at their start
 * (the scope) and at their end (the layer), so "batch_normalization_12/FusedBatchNormV3" becomes
 * "batch_norm…NormV3" rather than "batch_normalizati".
 */
public final class LabelElision {

    static final String ELLIPSIS = "…";

    private LabelElision() {
    }

    /**
     * The label, or its start and end around an ellipsis, as long as fits in maxWidth by the given
     * measure (pixels of a font, or characters).
     */
    public static String middle(String label, int maxWidth, ToIntFunction<String> width) {
        if (width.applyAsInt(label) <= maxWidth) {
            return label;
        }
        // keep = characters kept around the ellipsis; the longest that fits, found by bisection
        int low = 0;
        int high = label.length() - 1;
        while (low < high) {
            int keep = (low + high + 1) / 2;
            if (width.applyAsInt(cut(label, keep)) <= maxWidth) {
                low = keep;
            } else {
                high = keep - 1;
            }
        }
        return cut(label, low);
    }

    private static String cut(String label, int keep) {
        int tail = keep / 2;
        int head = keep - tail;
        return label.substring(0, head) + ELLIPSIS + label.substring(label.length() - tail);
    }
}
