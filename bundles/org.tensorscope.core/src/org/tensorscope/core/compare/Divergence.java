package org.tensorscope.core.compare;

import java.util.List;

/**
 * The first computed tensor, in A's execution order, whose two sides differ beyond the tolerance;
 * every computed tensor before it matched.
 *
 * @param pair            the diverging pair
 * @param differingInputs the op's inputs that already differed: fed inputs or weights (the reason it diverges
 *                        although every computed tensor before it matched); empty when its inputs agree and
 *                        the op itself computes differently
 */
public record Divergence(TensorPair pair, List<String> differingInputs) {

    public Divergence {
        differingInputs = List.copyOf(differingInputs);
    }
}
