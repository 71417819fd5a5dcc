package org.tensorscope.core.internal.rules;

import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.service.CauseFinding;
import org.tensorscope.core.service.NanCauseRule;
import org.tensorscope.core.service.OriginContext;
import org.tensorscope.core.tensor.TensorData;

/**
 * A Cast that loses what it converts: finite values beyond a narrower float type's range become
 * infinity (float32 70000 to float16, float64 1e39 to float32), and NaN or ±Inf cast to an integer type
 * has no integer value (TensorFlow returns an undefined one, -2147483648 for int32 on x86), so the
 * NaN vanishes from the trace there.
 */
@Component(service = NanCauseRule.class)
public class CastRule implements NanCauseRule {

    @Override
    public String id() {
        return "cast";
    }

    @Override
    public Optional<CauseFinding> examine(OriginContext context) {
        if (!context.op().computes("Cast") || context.inputs().size() != 1 || context.inputs().get(0) == null
                || context.output() == null) {
            return Optional.empty();
        }
        TensorData input = context.inputs().get(0);
        DType to = context.output().dtype();
        if (!input.dtype().isFloating() || input.size() != context.output().size()) {
            return Optional.empty();
        }
        if (to.isFloating()) {
            double max = to.maxFinite();
            Offenders beyond = Offenders.find(input, 0, context.output(), v -> Double.isFinite(v) && Math.abs(v) > max);
            if (beyond.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new CauseFinding("cast-overflow", String.format("Cast from %s to %s: %d finite "
                    + "value(s) beyond %s's largest value (%.4g) become infinity", input.dtype().displayName(),
                    to.displayName(), beyond.count(), to.displayName(), max), beyond.first(),
                    String.format("Keep this tensor in %s (with mixed precision, compute this op in float32), or "
                            + "scale or clip the values into ±%.4g before the cast.", input.dtype().displayName(), max)));
        }
        Offenders nonFinite = Offenders.find(input, 0, null, v -> !Double.isFinite(v));
        if (nonFinite.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new CauseFinding("cast-non-finite-to-integer", String.format("Cast of NaN/Inf to %s: "
                + "%d value(s) have no %s value; TensorFlow returns an undefined integer for them, and the NaN no "
                + "longer shows after this op", to.displayName(), nonFinite.count(), to.displayName()),
                nonFinite.first(), "Fix the op that made the NaN/Inf (the origin above); if such values are "
                        + "expected, replace them before the cast, e.g. tf.where(tf.math.is_finite(x), x, 0)."));
    }
}
