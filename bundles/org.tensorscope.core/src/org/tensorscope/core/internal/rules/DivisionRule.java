package org.tensorscope.core.internal.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.tensorscope.core.service.CauseFinding;
import org.tensorscope.core.service.NanCauseRule;
import org.tensorscope.core.service.OffendingValue;
import org.tensorscope.core.service.OriginContext;
import org.tensorscope.core.tensor.TensorData;

/**
 * Division by zero (x/0 gives ±Inf, 0/0 gives NaN) and by a tiny denominator whose quotient
 * overflows float32.
 */
@Component(service = NanCauseRule.class)
public class DivisionRule implements NanCauseRule {

    private static final Set<String> TYPES = Set.of("Div", "RealDiv", "FloorDiv", "TruncateDiv", "Reciprocal", "Inv");

    @Override
    public String id() {
        return "division";
    }

    @Override
    public Optional<CauseFinding> examine(OriginContext context) {
        if (!TYPES.contains(context.op().type())) {
            return Optional.empty();
        }
        boolean reciprocal = context.inputs().size() == 1;
        TensorData denominator = context.inputs().get(reciprocal ? 0 : 1);
        TensorData numerator = reciprocal ? null : context.inputs().get(0);
        int denominatorIndex = reciprocal ? 0 : 1;
        long zeroByZero = 0;
        long byZero = 0;
        long tiny = 0;
        List<OffendingValue> shown = new ArrayList<>();
        TensorData output = context.output();
        for (long i = 0; i < output.size(); i++) {
            if (Double.isFinite(output.getDouble(i))) {
                continue;
            }
            long di = denominator.size() == output.size() ? i : (denominator.size() == 1 ? 0 : -1);
            long ni = numerator == null ? -1 : numerator.size() == output.size() ? i : (numerator.size() == 1 ? 0 : -1);
            if (di < 0) {
                continue;
            }
            double d = denominator.getDouble(di);
            double n = ni < 0 ? 1 : numerator.getDouble(ni);
            if (d == 0 && n == 0) {
                zeroByZero++;
            } else if (d == 0) {
                byZero++;
            } else {
                tiny++;
            }
            if (shown.size() < Offenders.SHOWN) {
                if (ni >= 0) {
                    shown.add(new OffendingValue(0, numerator.position(ni), n));
                }
                shown.add(new OffendingValue(denominatorIndex, denominator.position(di), d));
            }
        }
        if (zeroByZero + byZero + tiny == 0) {
            return Optional.empty();
        }
        String cause;
        String suggestion;
        if (zeroByZero > 0) {
            cause = String.format("0/0: %d element(s) divide zero by zero, giving NaN%s", zeroByZero,
                    byZero > 0 ? String.format("; %d more divide by zero, giving infinity", byZero) : "");
            suggestion = "Guard the division: add an epsilon to the denominator, use DivNoNan, or skip the cases "
                    + "where the denominator (a confidence, a distance, a count) is zero.";
        } else if (byZero > 0) {
            cause = String.format("Division by zero: %d element(s) divide a non-zero value by 0, giving infinity", byZero);
            suggestion = "Add an epsilon to the denominator or skip the cases where it is zero "
                    + "(e.g. a confidence or box size of 0 fed back from the previous frame).";
        } else {
            cause = String.format("Tiny denominator: %d quotient(s) exceed the float32 range (3.4e38)", tiny);
            suggestion = "The denominator is close to zero: clamp it away from zero (e.g. max(|d|, 1e-6)) or skip "
                    + "low-confidence cases.";
        }
        String id = zeroByZero > 0 ? "zero-by-zero" : byZero > 0 ? "division-by-zero" : "tiny-denominator";
        return Optional.of(new CauseFinding(id, cause, shown, suggestion));
    }
}
