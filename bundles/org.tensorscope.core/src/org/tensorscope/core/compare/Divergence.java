package org.tensorscope.core.compare;

import java.util.List;

/**
 * The first computed tensor, in A's execution order, whose two sides differ beyond the tolerance;
 * every computed tensor before it matched.
 *
 * @param pair            the diverging pair
 * @param differingInputs the op's inputs that already differed, if only within the tolerance: fed inputs,
 *                        weights, or computed inputs whose small difference the op made larger (the reason it
 *                        diverges although every computed tensor before it matched); empty when its inputs are
 *                        identical on both sides and the op itself computes differently
 * @param uncomparedInputs the op's computed or fed inputs that were not compared (no counterpart on B's side, or a value
 *                        that could not be fetched): with any, nothing tells whether the op or what came before it
 *                        differs
 */
public record Divergence(TensorPair pair, List<String> differingInputs, List<String> uncomparedInputs) {

    public Divergence {
        differingInputs = List.copyOf(differingInputs);
        uncomparedInputs = List.copyOf(uncomparedInputs);
    }

    public Divergence(TensorPair pair, List<String> differingInputs) {
        this(pair, differingInputs, List.of());
    }

    /** Whether every input of the op was compared and none differs: the op itself computes differently. */
    public boolean inTheOpItself() {
        return differingInputs.isEmpty() && uncomparedInputs.isEmpty();
    }
}
