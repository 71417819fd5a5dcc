package org.tensorscope.core.internal.rules;

import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.service.NanCauseRule;

/**
 * exp(x) above the dtype's largest value: x above ln(max), 11.09 for float16, 88.72 for float32 and
 * bfloat16, 709.78 for float64. Softplus is not here: TensorFlow's kernel returns x for large x.
 */
@Component(service = NanCauseRule.class)
public class ExpOverflowRule extends ElementwiseRule {

    public ExpOverflowRule() {
        super("exp-overflow", Set.of("Exp", "Expm1"), 0, dtype -> v -> v > threshold(dtype),
                dtype -> String.format("> %.2f (exp overflows %s, whose largest value is %.4g)", threshold(dtype),
                        dtype.displayName(), max(dtype)),
                "Clip the input below the overflow threshold or use a stable formulation (log-sum-exp, softmax with "
                        + "the max subtracted); in float16, compute the exp in float32. Check that the input range is "
                        + "what the model expects.");
    }

    private static double max(DType dtype) {
        return dtype.isFloating() ? dtype.maxFinite() : Float.MAX_VALUE;
    }

    static double threshold(DType dtype) {
        return Math.log(max(dtype));
    }
}
