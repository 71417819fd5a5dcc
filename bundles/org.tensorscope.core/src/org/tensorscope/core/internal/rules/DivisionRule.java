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
 * Division by zero (x/0 gives ±Inf, 0/0 gives NaN), inf/inf (NaN), and division by a tiny
 * denominator whose quotient overflows the dtype. Numerator and denominator broadcast as NumPy
 * does (a keepdims sum [N,1] divides [N,C]); each offending pair is shown denominator first, as it
 * is the denominator the fix guards.
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
        if (!context.op().computes(TYPES) || context.inputs().isEmpty()
                || context.inputs().stream().anyMatch(t -> t == null)) {
            return Optional.empty();
        }
        boolean reciprocal = context.inputs().size() == 1;
        int denominatorIndex = reciprocal ? 0 : 1;
        TensorData denominator = context.inputs().get(denominatorIndex);
        TensorData numerator = reciprocal ? null : context.inputs().get(0);
        TensorData output = context.output();
        Broadcast broadcast = Broadcast.of(output, context.inputs());
        if (broadcast == null) {
            return Optional.empty();
        }
        long zeroByZero = 0;
        long byZero = 0;
        long infByInf = 0;
        long tiny = 0;
        List<OffendingValue> zeroByZeroShown = new ArrayList<>();
        List<OffendingValue> byZeroShown = new ArrayList<>();
        List<OffendingValue> infByInfShown = new ArrayList<>();
        List<OffendingValue> tinyShown = new ArrayList<>();
        for (long i = 0; i < output.size(); i++) {
            if (Double.isFinite(output.getDouble(i))) {
                continue;
            }
            long di = broadcast.index(denominatorIndex, i);
            long ni = reciprocal ? -1 : broadcast.index(0, i);
            double d = denominator.getDouble(di);
            double n = reciprocal ? 1 : numerator.getDouble(ni);
            List<OffendingValue> shown;
            if (Double.isNaN(d) || Double.isNaN(n)) {
                continue; // a NaN input propagates, nothing this division did
            } else if (d == 0 && n == 0) {
                zeroByZero++;
                shown = zeroByZeroShown;
            } else if (Double.isInfinite(d) && Double.isInfinite(n)) {
                infByInf++;
                shown = infByInfShown;
            } else if (d == 0) {
                byZero++;
                shown = byZeroShown;
            } else if (Double.isInfinite(n) || Double.isInfinite(d)) {
                continue; // inf / finite: the infinity came from before
            } else {
                tiny++;
                shown = tinyShown;
            }
            if (shown.size() < Offenders.SHOWN * 2) {
                shown.add(new OffendingValue(denominatorIndex, denominator.position(di), d));
                if (!reciprocal) {
                    shown.add(new OffendingValue(0, numerator.position(ni), n));
                }
            }
        }
        String dtype = output.dtype().displayName();
        String where = reciprocal ? "" : broadcastNote(numerator, denominator);
        if (zeroByZero > 0) {
            String cause = String.format("0/0: %d element(s) divide zero by zero, giving NaN%s%s", zeroByZero,
                    byZero > 0 ? String.format("; %d more divide by zero, giving infinity", byZero) : "", where);
            return finding("zero-by-zero", cause, zeroByZeroShown,
                    "Guard the division: add an epsilon to the denominator (d + 1e-7), use tf.math.divide_no_nan, "
                            + "or skip the cases where the denominator (a sum, a count, a norm, a confidence) is zero.");
        }
        if (infByInf > 0) {
            String cause = String.format("inf/inf: %d element(s) divide an infinite numerator by an infinite "
                    + "denominator, giving NaN%s", infByInf, where);
            return finding("inf-by-inf", cause, infByInfShown,
                    "Both sides overflowed before this division (typically exp(x) / sum(exp(x)) with a large x): "
                            + "subtract the maximum before the exp, or use tf.nn.softmax / tf.nn.log_softmax.");
        }
        if (byZero > 0) {
            String cause = reciprocal
                    ? String.format("Reciprocal of zero: %d element(s) are 1/0, giving infinity", byZero)
                    : String.format("Division by zero: %d element(s) divide a non-zero value by 0, giving "
                    + "infinity%s", byZero, where);
            return finding("division-by-zero", cause, byZeroShown,
                    "Add an epsilon to the denominator or skip the cases where it is zero "
                            + "(e.g. a sum that underflows to 0, or a confidence or box size of 0 fed back from the "
                            + "previous frame); tf.math.divide_no_nan returns 0 there.");
        }
        if (tiny > 0) {
            String cause = String.format("Tiny denominator: %d quotient(s) exceed the %s range (%.4g)%s", tiny, dtype,
                    output.dtype().maxFinite(), where);
            return finding("tiny-denominator", cause, tinyShown,
                    "The denominator is close to zero: clamp it away from zero (e.g. max(|d|, 1e-6)) or skip "
                            + "low-confidence cases.");
        }
        return Optional.empty();
    }

    private static Optional<CauseFinding> finding(String id, String cause, List<OffendingValue> shown,
            String suggestion) {
        return Optional.of(new CauseFinding(id, cause, shown, suggestion));
    }

    private static String broadcastNote(TensorData numerator, TensorData denominator) {
        return numerator.shape().equals(denominator.shape()) ? ""
                : String.format(" (numerator %s broadcast against denominator %s)", numerator.shape(),
                        denominator.shape());
    }
}
