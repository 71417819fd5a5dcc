package org.tensorscope.core.internal.rules;

import java.util.Optional;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.tensorscope.core.service.CauseFinding;
import org.tensorscope.core.service.NanCauseRule;
import org.tensorscope.core.service.OriginContext;

/**
 * Batch normalisation with a zero variance and no epsilon divides by zero.
 */
@Component(service = NanCauseRule.class)
public class ZeroVarianceBatchNormRule implements NanCauseRule {

    private static final Set<String> TYPES = Set.of("FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3");

    @Override
    public String id() {
        return "zero-variance-normalisation";
    }

    @Override
    public Optional<CauseFinding> examine(OriginContext context) {
        if (!TYPES.contains(context.op().type()) || context.inputs().size() < 5) {
            return Optional.empty();
        }
        String epsilon = context.op().attributes().getOrDefault("epsilon", "0");
        double eps;
        try {
            eps = Double.parseDouble(epsilon);
        } catch (NumberFormatException e) {
            eps = 0;
        }
        double minVariance = eps;
        Offenders zeroVariance = Offenders.find(context.inputs().get(4), 4, null, v -> v + minVariance <= 0);
        if (zeroVariance.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new CauseFinding(id(), String.format(
                "Normalisation by a zero variance: %d channel(s) have variance 0 and epsilon is %s",
                zeroVariance.count(), epsilon), zeroVariance.first(),
                "Set a positive epsilon (e.g. 1e-3) on the normalisation, or check the statistics frozen into the model."));
    }
}
