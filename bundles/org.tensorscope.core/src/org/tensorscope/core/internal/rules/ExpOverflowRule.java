package org.tensorscope.core.internal.rules;

import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.tensorscope.core.service.NanCauseRule;

/**
 * Recognises exp-overflow.
 */
@Component(service = NanCauseRule.class)
public class ExpOverflowRule extends ElementwiseRule {

    public ExpOverflowRule() {
        super("exp-overflow", Set.of("Exp", "Expm1", "Softplus"), 0, v -> v > 88.72, "> 88.72 (exp overflows float32)",
                "Clip the input (e.g. to 80) or use a stable formulation (log-sum-exp, softmax with the max subtracted); check that the input range is what the model expects.");
    }
}
