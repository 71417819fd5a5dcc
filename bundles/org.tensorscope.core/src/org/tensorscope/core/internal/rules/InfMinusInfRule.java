package org.tensorscope.core.internal.rules;

import java.util.Optional;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.tensorscope.core.service.CauseFinding;
import org.tensorscope.core.service.NanCauseRule;
import org.tensorscope.core.service.OriginContext;

/**
 * inf - inf (or inf + -inf) gives NaN: typically two overflowed values meeting in an Add or Sub.
 */
@Component(service = NanCauseRule.class)
public class InfMinusInfRule implements NanCauseRule {

    private static final Set<String> TYPES = Set.of("Add", "AddV2", "Sub", "BiasAdd", "AddN");

    @Override
    public String id() {
        return "inf-minus-inf";
    }

    @Override
    public Optional<CauseFinding> examine(OriginContext context) {
        if (!TYPES.contains(context.op().type()) || context.inputs().size() < 2 || !hasNan(context)) {
            return Optional.empty();
        }
        Offenders a = Offenders.find(context.inputs().get(0), 0, context.output(), Double::isInfinite);
        Offenders b = Offenders.find(context.inputs().get(1), 1, context.output(), Double::isInfinite);
        if (a.isEmpty() || b.isEmpty()) {
            return Optional.empty();
        }
        var shown = new java.util.ArrayList<>(a.first());
        shown.addAll(b.first());
        return Optional.of(new CauseFinding(id(),
                String.format("inf - inf: both inputs of this %s hold infinity (%d and %d elements), and their "
                        + "difference is NaN", context.op().type(), a.count(), b.count()),
                shown.subList(0, Math.min(shown.size(), Offenders.SHOWN)),
                "The infinities come from an earlier overflow (see the first ±Inf op): fix that one, e.g. clip the "
                        + "input to its expected range or compute in a stable form."));
    }

    private static boolean hasNan(OriginContext context) {
        for (long i = 0; i < context.output().size(); i++) {
            if (Double.isNaN(context.output().getDouble(i))) {
                return true;
            }
        }
        return false;
    }
}
