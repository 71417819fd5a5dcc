package org.tensorscope.core.internal.rules;

import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.tensorscope.core.service.NanCauseRule;

/**
 * atanh(x) is ±Inf at x = ±1 and NaN beyond: rounding of tanh outputs (or of correlations) pushes
 * values onto or past 1.
 */
@Component(service = NanCauseRule.class)
public class AtanhOutOfDomainRule extends ElementwiseRule {

    public AtanhOutOfDomainRule() {
        super("atanh-out-of-domain", Set.of("Atanh"), 0, v -> v <= -1 || v >= 1, "outside (-1, 1)",
                "Clip the input into (-1, 1) before atanh, e.g. clip_by_value(x, -1 + 1e-6, 1 - 1e-6) in float32.");
    }
}
