package org.tensorscope.core.internal.rules;

import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.tensorscope.core.service.CauseFinding;
import org.tensorscope.core.service.NanCauseRule;
import org.tensorscope.core.service.OriginContext;
import org.tensorscope.core.tensor.TensorData;

/**
 * A cumulative product of finite factors that runs past the dtype's largest value: no single factor is
 * large, their running product is. Shows the factors above 1 where the output is infinite.
 */
@Component(service = NanCauseRule.class)
public class CumulativeProductOverflowRule implements NanCauseRule {

    @Override
    public String id() {
        return "cumulative-product-overflow";
    }

    @Override
    public Optional<CauseFinding> examine(OriginContext context) {
        if (!context.op().computes("Cumprod") || context.inputs().isEmpty() || context.inputs().get(0) == null) {
            return Optional.empty();
        }
        TensorData factors = context.inputs().get(0);
        TensorData output = context.output();
        if (!factors.dtype().isFloating() || factors.size() != output.size()) {
            return Optional.empty();
        }
        long infinite = 0;
        double largest = 0;
        for (long i = 0; i < factors.size(); i++) {
            double f = factors.getDouble(i);
            if (!Double.isFinite(f)) {
                return Optional.empty(); // an infinite factor: the product only carries it
            }
            largest = Math.max(largest, Math.abs(f));
            if (Double.isInfinite(output.getDouble(i))) {
                infinite++;
            }
        }
        if (infinite == 0) {
            return Optional.empty();
        }
        Offenders growing = Offenders.find(factors, 0, output, v -> Math.abs(v) > 1);
        return Optional.of(new CauseFinding(id(), String.format("Cumulative product overflow: %d running product(s) "
                + "of finite factors (the largest %.4g) exceed %s's largest value (%.4g)", infinite, largest,
                output.dtype().displayName(), output.dtype().maxFinite()),
                growing.isEmpty() ? Offenders.largest(factors, 0).first() : growing.first(),
                "Compute the product in log space (exp(cumsum(log|x|)) with the sign tracked apart), in float64, or "
                        + "normalise the factors (e.g. divide by the running maximum) before the cumulative product."));
    }
}
