package org.tensorscope.core.internal.rules;

import java.util.Optional;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.service.CauseFinding;
import org.tensorscope.core.service.NanCauseRule;
import org.tensorscope.core.service.OriginContext;

/**
 * Division by a norm that is 0: x / sqrt(sum(x²)) (l2_normalize written by hand, without its epsilon)
 * of an all-zero vector, or x * rsqrt(sum(x²)). Squares of centred values (x - mean) are a variance,
 * not a norm: those stay with the variance rules. Ranked above the general division rule, whose fix does
 * not name the norm.
 */
@Component(service = NanCauseRule.class, property = "service.ranking:Integer=10")
public class ZeroNormDivisionRule implements NanCauseRule {

    private static final Set<String> DIVISIONS = Set.of("Div", "RealDiv", "DivNoNan");
    private static final Set<String> PASS_THROUGH = Set.of("Identity", "Reshape", "ExpandDims", "Squeeze");

    @Override
    public String id() {
        return "zero-norm-division";
    }

    @Override
    public Optional<CauseFinding> examine(OriginContext context) {
        String type = context.op().canonicalType();
        if (context.inputs().stream().anyMatch(t -> t == null)) {
            return Optional.empty();
        }
        if (DIVISIONS.contains(type) && context.inputs().size() == 2 && isNorm(context, 1)) {
            return Broadcast.nonFinitePairs(context, 1, (n, d) -> d == 0 && !Double.isNaN(n))
                    .filter(pairs -> pairs.count() > 0)
                    .map(pairs -> finding(String.format("Division by a zero norm: %d element(s) divide by an L2 norm "
                            + "(sqrt of a sum of squares) that is 0, because the whole vector is 0", pairs.count()),
                            pairs.shown()));
        }
        if ("Rsqrt".equals(type) && context.inputs().size() == 1 && sumOfSquares(context.producer(0).orElse(null),
                context)) {
            Offenders zeros = Offenders.find(context.inputs().get(0), 0, context.output(), v -> v == 0);
            if (!zeros.isEmpty()) {
                return Optional.of(finding(String.format("Reciprocal of a zero norm: %d sum(s) of squares are 0 "
                        + "(all-zero vectors), and rsqrt(0) is infinity", zeros.count()), zeros.first()));
            }
        }
        return Optional.empty();
    }

    private CauseFinding finding(String cause, java.util.List<org.tensorscope.core.service.OffendingValue> shown) {
        return new CauseFinding(id(), cause, shown, "This is an L2 normalisation without an epsilon: use "
                + "tf.math.l2_normalize (it clamps the squared norm at 1e-12), or divide by tf.maximum(norm, 1e-12), "
                + "or skip all-zero vectors (padding, blank frames).");
    }

    /** Whether input k is a Euclidean norm: EuclideanNorm, or Sqrt of a Sum of squares. */
    private static boolean isNorm(OriginContext context, int k) {
        OpNode producer = through(context, context.producer(k).orElse(null));
        if (producer == null) {
            return false;
        }
        if (producer.computes("EuclideanNorm")) {
            return true;
        }
        return producer.computes("Sqrt") && sumOfSquares(through(context, producerOf(context, producer, 0)),
                context);
    }

    private static boolean sumOfSquares(OpNode op, OriginContext context) {
        op = through(context, op);
        if (op == null || !op.computes(Reduction.SUMS)) {
            return false;
        }
        OpNode squared = through(context, producerOf(context, op, 0));
        boolean squares = squared != null && (squared.computes("Square")
                || squared.computes("Mul") && squared.inputs().size() == 2
                        && squared.inputs().get(0).equals(squared.inputs().get(1))
                || squared.computes("Pow"));
        // squares of centred values (x - mean) make a variance, whose rules name the epsilon of a normalisation
        OpNode base = squares ? through(context, producerOf(context, squared, 0)) : null;
        return squares && (base == null || !base.computes("Sub"));
    }

    private static OpNode through(OriginContext context, OpNode op) {
        for (int hops = 0; op != null && op.computes(PASS_THROUGH) && hops < 4; hops++) {
            op = producerOf(context, op, 0);
        }
        return op;
    }

    private static OpNode producerOf(OriginContext context, OpNode op, int k) {
        if (op == null || context.graph() == null || k >= op.inputs().size()) {
            return null;
        }
        String tensor = op.inputs().get(k);
        int colon = tensor.lastIndexOf(':');
        return context.graph().op(colon < 0 ? tensor : tensor.substring(0, colon)).orElse(null);
    }
}
