package org.tensorscope.core.internal.rules;

import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.tensorscope.core.service.NanCauseRule;

/**
 * Recognises log-of-non-positive.
 */
@Component(service = NanCauseRule.class)
public class LogOfNonPositiveRule extends ElementwiseRule {

    public LogOfNonPositiveRule() {
        super("log-of-non-positive", Set.of("Log"), 0, v -> v <= 0, "<= 0",
                "Clip the input to a small positive minimum (e.g. max(x, 1e-7)) or add an epsilon before the log.");
    }
}
