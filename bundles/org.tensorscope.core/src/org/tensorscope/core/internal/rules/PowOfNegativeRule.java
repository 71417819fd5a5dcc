package org.tensorscope.core.internal.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.tensorscope.core.service.CauseFinding;
import org.tensorscope.core.service.NanCauseRule;
import org.tensorscope.core.service.OffendingValue;
import org.tensorscope.core.service.OriginContext;
import org.tensorscope.core.tensor.TensorData;

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
        if (!"Pow".equals(context.op().type()) || context.inputs().size() != 2
                || context.inputs().stream().anyMatch(t -> t == null)) {
            return Optional.empty();
        }
        TensorData base = context.inputs().get(0);
        TensorData exponent = context.inputs().get(1);
        TensorData output = context.output();
        Broadcast broadcast = Broadcast.of(output, context.inputs());
        if (broadcast == null) {
            return Optional.empty();
        }
        long count = 0;
        List<OffendingValue> shown = new ArrayList<>();
        for (long i = 0; i < output.size(); i++) {
            if (!Double.isNaN(output.getDouble(i))) {
                continue;
            }
            long bi = broadcast.index(0, i);
            long ei = broadcast.index(1, i);
            double b = base.getDouble(bi);
            double e = exponent.getDouble(ei);
            if (b < 0 && Double.isFinite(e) && e != Math.rint(e)) {
                count++;
                if (shown.size() < Offenders.SHOWN * 2) {
                    shown.add(new OffendingValue(0, base.position(bi), b));
                    shown.add(new OffendingValue(1, exponent.position(ei), e));
                }
            }
        }
        if (count == 0) {
            return Optional.empty();
        }
        return Optional.of(new CauseFinding(id(), String.format(
                "Pow of negative bases: %d element(s) raise a base < 0 to a non-integer exponent, giving NaN", count),
                shown, "Clip the base at 0 (or use |x|) before a fractional power, e.g. tf.pow(tf.maximum(x, 0), p)."));
    }
}
