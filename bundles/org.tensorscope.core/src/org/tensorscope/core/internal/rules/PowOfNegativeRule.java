package org.tensorscope.core.internal.rules;

import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.tensorscope.core.service.CauseFinding;
import org.tensorscope.core.service.NanCauseRule;
import org.tensorscope.core.service.OriginContext;

/**
 * A negative base raised to a non-integer power is NaN. Base and exponent broadcast as NumPy does
 * (a tensor of bases against a scalar exponent 0.5); each offending pair is shown.
 */
@Component(service = NanCauseRule.class)
public class PowOfNegativeRule implements NanCauseRule {

    @Override
    public String id() {
        return "pow-of-negative";
    }

    @Override
    public Optional<CauseFinding> examine(OriginContext context) {
        if (!context.op().computes("Pow") || context.inputs().size() != 2
                || context.inputs().stream().anyMatch(t -> t == null)) {
            return Optional.empty();
        }
        return Broadcast.nanPairs(context, (b, e) -> b < 0 && Double.isFinite(e) && e != Math.rint(e))
                .filter(pairs -> pairs.count() > 0)
                .map(pairs -> new CauseFinding(id(), String.format("Pow of negative bases: %d element(s) raise a "
                        + "base < 0 to a non-integer exponent, giving NaN", pairs.count()), pairs.shown(),
                        "Clip the base at 0 (or use |x|) before a fractional power, e.g. tf.pow(tf.maximum(x, 0), p)."));
    }
}
