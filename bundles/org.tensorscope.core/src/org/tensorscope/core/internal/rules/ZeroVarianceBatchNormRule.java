package org.tensorscope.core.internal.rules;

import java.util.Optional;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.service.CauseFinding;
import org.tensorscope.core.service.NanCauseRule;
import org.tensorscope.core.service.OriginContext;

/**
 * Batch normalisation for inference with a zero moving variance and no epsilon divides by zero. In training mode
 * the op reads no moving variance: whatever it holds is not the cause.
 */
@Component(service = NanCauseRule.class)
public class ZeroVarianceBatchNormRule implements NanCauseRule {

    static final Set<String> TYPES = Set.of("FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3");

    @Override
    public String id() {
        return "zero-variance-normalisation";
    }

    @Override
    public Optional<CauseFinding> examine(OriginContext context) {
        if (!context.op().computes(TYPES) || context.inputs().size() < 5) {
            return Optional.empty();
        }
        if (context.inputs().get(4) == null || normalisesByTheBatch(context.op())) {
            return Optional.empty();
        }
        String epsilon = context.op().attributes().get("epsilon");
        double eps = parse(epsilon);
        // an epsilon the graph does not state is unknown, not 0: then only the variance is reported
        double minVariance = Double.isNaN(eps) ? 0 : eps;
        Offenders zeroVariance = Offenders.find(context.inputs().get(4), 4, null, v -> v + minVariance <= 0);
        if (zeroVariance.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new CauseFinding(id(), String.format(
                "Normalisation by a zero variance: %d channel(s) have variance 0 and %s",
                zeroVariance.count(), epsilonText(epsilon, eps)), zeroVariance.first(),
                "Set a positive epsilon (e.g. 1e-3) on the normalisation, or check the statistics frozen into the model."));
    }

    /**
     * Whether the op normalises by its batch's own statistics and so reads no moving variance: TensorFlow's
     * {@code is_training}, true unless the graph says false (SavedModels may strip attributes at their default);
     * ONNX's {@code training_mode}, 0 unless set.
     */
    static boolean normalisesByTheBatch(OpNode op) {
        if (TYPES.contains(op.type())) {
            return !"false".equals(op.attributes().get("is_training"));
        }
        return "1".equals(op.attributes().get("training_mode"));
    }

    /** "epsilon is 0", or why it is not known. */
    static String epsilonText(String epsilon, double eps) {
        return Double.isNaN(eps)
                ? (epsilon == null ? "the epsilon is not in the graph" : "the epsilon '" + epsilon + "' could not be read")
                : "epsilon is " + epsilon;
    }

    static double parse(String epsilon) {
        if (epsilon == null) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(epsilon.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
