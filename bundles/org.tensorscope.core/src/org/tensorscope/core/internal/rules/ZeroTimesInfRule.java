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

/**
 * 0 · inf gives NaN.
 */
@Component(service = NanCauseRule.class)
public class ZeroTimesInfRule implements NanCauseRule {

    private static final Set<String> TYPES = Set.of("Mul", "MatMul", "BatchMatMulV2", "Conv2D");

    @Override
    public String id() {
        return "zero-times-inf";
    }

    @Override
    public Optional<CauseFinding> examine(OriginContext context) {
        if (!TYPES.contains(context.op().type()) || context.inputs().size() < 2) {
            return Optional.empty();
        }
        Offenders zerosA = Offenders.find(context.inputs().get(0), 0, null, v -> v == 0);
        Offenders infB = Offenders.find(context.inputs().get(1), 1, null, Double::isInfinite);
        Offenders infA = Offenders.find(context.inputs().get(0), 0, null, Double::isInfinite);
        Offenders zerosB = Offenders.find(context.inputs().get(1), 1, null, v -> v == 0);
        boolean fires = (!zerosA.isEmpty() && !infB.isEmpty()) || (!infA.isEmpty() && !zerosB.isEmpty());
        if (!fires) {
            return Optional.empty();
        }
        List<OffendingValue> shown = new ArrayList<>();
        shown.addAll((!infA.isEmpty() ? infA : zerosA).first());
        shown.addAll((!infB.isEmpty() ? infB : zerosB).first());
        return Optional.of(new CauseFinding(id(), "0 · inf: zeros meet infinities in this " + context.op().type()
                + ", and their product is NaN", shown.subList(0, Math.min(shown.size(), Offenders.SHOWN)),
                "The infinity comes from an earlier overflow or division by zero: fix it there (clip, add an epsilon)."));
    }
}
