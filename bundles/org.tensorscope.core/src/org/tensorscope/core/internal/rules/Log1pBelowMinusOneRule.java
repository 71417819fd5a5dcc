package org.tensorscope.core.internal.rules;

import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.tensorscope.core.service.NanCauseRule;

/**
 * Recognises log1p-below-minus-one.
 */
@Component(service = NanCauseRule.class)
public class Log1pBelowMinusOneRule extends ElementwiseRule {

    public Log1pBelowMinusOneRule() {
        super("log1p-below-minus-one", Set.of("Log1p"), 0, v -> v <= -1, "<= -1",
                "Clip the input above -1 before log1p, or check the values feeding it.");
    }
}
