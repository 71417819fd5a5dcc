package org.tensorscope.core.compare;

import org.tensorscope.core.model.Shape;

/** Whether two shapes, possibly partial, can describe the same tensor. */
final class Shapes {

    private Shapes() {
    }

    /** The same rank and the same dimensions where both are known; a shape of unknown rank fits any. */
    static boolean compatible(Shape a, Shape b) {
        if (!a.hasKnownRank() || !b.hasKnownRank()) {
            return true;
        }
        if (a.rank() != b.rank()) {
            return false;
        }
        for (int i = 0; i < a.rank(); i++) {
            if (a.dim(i) >= 0 && b.dim(i) >= 0 && a.dim(i) != b.dim(i)) {
                return false;
            }
        }
        return true;
    }

    /** Both fully known and equal. */
    static boolean same(Shape a, Shape b) {
        return a.hasKnownRank() && a.isFullyDefined() && a.equals(b);
    }
}
