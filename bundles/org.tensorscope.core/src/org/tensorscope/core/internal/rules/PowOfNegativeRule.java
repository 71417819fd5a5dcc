package org.tensorscope.core.internal.rules;

import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.tensorscope.core.service.CauseFinding;
import org.tensorscope.core.service.NanCauseRule;
import org.tensorscope.core.service.OriginContext;

/**
 * A negative base raised to a non-integer power is NaN.
 */
@Component(service = NanCauseRule.class)
public class PowOfNegativeRule implements NanCauseRule {

    @Override
    public String id() {
        return "pow-of-negative";
    }

    @Override
    public Optional<CauseFinding> examine(OriginContext context) {
        if (!"Pow".equals(context.op().type()) || context.inputs().size() < 2) {
            return Optional.empty();
        }
        Offenders negative = Offenders.find(context.inputs().get(0), 0, context.output(), v -> v < 0);
        if (negative.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new CauseFinding(id(), String.format(
                "Pow of negative bases: %d of %d bases are < 0 and the exponent is not an integer", negative.count(),
                context.inputs().get(0).size()), negative.first(),
                "Clip the base at 0 (or use |x|) before a fractional power."));
    }
}
