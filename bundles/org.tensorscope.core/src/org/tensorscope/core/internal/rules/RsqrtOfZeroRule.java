package org.tensorscope.core.internal.rules;

import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.tensorscope.core.service.NanCauseRule;

/**
 * Recognises rsqrt-of-zero.
 */
@Component(service = NanCauseRule.class)
public class RsqrtOfZeroRule extends ElementwiseRule {

    public RsqrtOfZeroRule() {
        super("rsqrt-of-zero", Set.of("Rsqrt"), 0, v -> v == 0, "= 0 (a zero variance?)",
                "This looks like a normalisation by a zero variance (a constant or blank input): add an epsilon to the variance, e.g. rsqrt(var + 1e-5).");
    }
}
