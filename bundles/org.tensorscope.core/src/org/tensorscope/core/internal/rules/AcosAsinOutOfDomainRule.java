package org.tensorscope.core.internal.rules;

import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.tensorscope.core.service.NanCauseRule;

/**
 * Recognises acos-asin-out-of-domain.
 */
@Component(service = NanCauseRule.class)
public class AcosAsinOutOfDomainRule extends ElementwiseRule {

    public AcosAsinOutOfDomainRule() {
        super("acos-asin-out-of-domain", Set.of("Acos", "Asin"), 0, v -> v < -1 || v > 1, "outside [-1, 1]",
                "Clip the input to [-1, 1] before acos/asin; rounding often pushes cosines just past 1.");
    }
}
