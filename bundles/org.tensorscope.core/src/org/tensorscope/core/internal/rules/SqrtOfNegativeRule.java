package org.tensorscope.core.internal.rules;

import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.tensorscope.core.service.NanCauseRule;

/**
 * Recognises sqrt-of-negative.
 */
@Component(service = NanCauseRule.class)
public class SqrtOfNegativeRule extends ElementwiseRule {

    public SqrtOfNegativeRule() {
        super("sqrt-of-negative", Set.of("Sqrt", "Rsqrt"), 0, v -> v < 0, "< 0",
                "Clip the input at 0 (e.g. max(x, 0) + epsilon) before the square root.");
    }
}
