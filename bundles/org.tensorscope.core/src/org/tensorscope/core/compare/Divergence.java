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
 */
public record Divergence(TensorPair pair, List<String> differingInputs) {

    public Divergence {
        differingInputs = List.copyOf(differingInputs);
    }
}
