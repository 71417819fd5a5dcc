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
 * inf - inf (or inf + -inf) gives NaN: two overflowed values meeting in an Add or Sub (inputs
 * broadcast as NumPy does), or +Inf and -Inf folded into one element of a Sum or Mean.
 */
@Component(service = NanCauseRule.class)
public class InfMinusInfRule implements NanCauseRule {

    private static final Set<String> BINARY = Set.of("Add", "AddV2", "Sub", "BiasAdd");

    private static final String SUGGESTION = "The infinities come from an earlier overflow (see the first ±Inf op): "
            + "fix that one, e.g. clip the input to its expected range or compute in a stable form "
            + "(log-sum-exp, softmax with the maximum subtracted).";

    @Override
    public String id() {
        return "inf-minus-inf";
    }

    @Override
    public Optional<CauseFinding> examine(OriginContext context) {
        String type = context.op().canonicalType();
        if (context.inputs().stream().anyMatch(t -> t == null)) {
            return Optional.empty();
        }
        if (BINARY.contains(type) && context.inputs().size() == 2) {
            return binary(context);
        }
        if ("AddN".equals(type)) {
            return addN(context);
        }
        if (Reduction.SUMS.contains(type)) {
            return reduction(context);
        }
        return Optional.empty();
    }

    private Optional<CauseFinding> binary(OriginContext context) {
        boolean subtract = context.op().computes("Sub");
        return Broadcast.nanPairs(context, (x, y) -> Double.isInfinite(x) && Double.isInfinite(y)
                && (subtract ? x == y : x != y)).filter(pairs -> pairs.count() > 0)
                .map(pairs -> new CauseFinding(id(), String.format("inf - inf: %d element(s) of this %s %s, and "
                        + "the result is NaN", pairs.count(), context.op().type(),
                        subtract ? "subtract an infinity from an equal one" : "add infinities of opposite sign"),
                        pairs.shown(), SUGGESTION));
    }

    private Optional<CauseFinding> addN(OriginContext context) {
        TensorData output = context.output();
        if (context.inputs().stream().anyMatch(t -> t.size() != output.size())) {
            return Optional.empty();
        }
        long count = 0;
        List<OffendingValue> shown = new ArrayList<>();
        for (long i = 0; i < output.size(); i++) {
            if (!Double.isNaN(output.getDouble(i))) {
                continue;
            }
            int plus = -1;
            int minus = -1;
            for (int k = 0; k < context.inputs().size(); k++) {
                double v = context.inputs().get(k).getDouble(i);
                if (v == Double.POSITIVE_INFINITY && plus < 0) {
                    plus = k;
                } else if (v == Double.NEGATIVE_INFINITY && minus < 0) {
                    minus = k;
                }
            }
            if (plus >= 0 && minus >= 0) {
                count++;
                if (shown.size() < Offenders.SHOWN * 2) {
                    shown.add(new OffendingValue(plus, output.position(i), Double.POSITIVE_INFINITY));
                    shown.add(new OffendingValue(minus, output.position(i), Double.NEGATIVE_INFINITY));
                }
            }
        }
        return count == 0 ? Optional.empty()
                : Optional.of(new CauseFinding(id(), String.format("inf - inf: %d element(s) of this %s add +Inf "
                        + "and -Inf, and the result is NaN", count, context.op().type()), shown, SUGGESTION));
    }

    private Optional<CauseFinding> reduction(OriginContext context) {
        return Reduction.meetings(context, v -> v == Double.POSITIVE_INFINITY, v -> v == Double.NEGATIVE_INFINITY)
                .filter(pairs -> pairs.count() > 0)
                .map(pairs -> new CauseFinding(id(), String.format("inf - inf inside a reduction: %d output "
                        + "element(s) of this %s sum +Inf and -Inf together, and the result is NaN", pairs.count(),
                        context.op().type()), pairs.shown(), SUGGESTION));
    }
}
