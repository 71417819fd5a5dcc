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
 * 0 · inf gives NaN: element pairs of a Mul (broadcast as NumPy does), a zero and an infinity in
 * one slice of a Prod, or zeros and infinities meeting inside a matrix product or convolution.
 */
@Component(service = NanCauseRule.class)
public class ZeroTimesInfRule implements NanCauseRule {

    private static final Set<String> ACCUMULATING = Set.of("MatMul", "BatchMatMul", "BatchMatMulV2",
            "BatchMatMulV3", "Conv2D", "Conv3D", "DepthwiseConv2dNative", "Einsum");

    private static final String SUGGESTION = "The infinity comes from an earlier overflow, log of zero or division "
            + "by zero: fix it there (clip, add an epsilon). For label * log(p), compute the loss with "
            + "tf.nn.softmax_cross_entropy_with_logits or log_softmax instead of log(softmax).";

    @Override
    public String id() {
        return "zero-times-inf";
    }

    @Override
    public Optional<CauseFinding> examine(OriginContext context) {
        String type = context.op().canonicalType();
        if (context.inputs().stream().anyMatch(t -> t == null)) {
            return Optional.empty();
        }
        if ("Mul".equals(type) && context.inputs().size() == 2) {
            return pairs(context);
        }
        if (Reduction.PRODUCTS.contains(type)) {
            return product(context);
        }
        if (ACCUMULATING.contains(type) && context.inputs().size() >= 2) {
            return accumulating(context);
        }
        return Optional.empty();
    }

    private Optional<CauseFinding> pairs(OriginContext context) {
        return Broadcast.nanPairs(context, (x, y) -> x == 0 && Double.isInfinite(y) || Double.isInfinite(x) && y == 0)
                .filter(pairs -> pairs.count() > 0)
                .map(pairs -> new CauseFinding(id(), String.format("0 · inf: %d element(s) of this Mul multiply "
                        + "zero by infinity, and the product is NaN", pairs.count()), pairs.shown(), SUGGESTION));
    }

    private Optional<CauseFinding> product(OriginContext context) {
        return Reduction.meetings(context, v -> v == 0, Double::isInfinite)
                .filter(pairs -> pairs.count() > 0)
                .map(pairs -> new CauseFinding(id(), String.format("0 · inf inside a reduction: %d output "
                        + "element(s) of this %s multiply a zero and an infinity together, and the product is NaN",
                        pairs.count(), context.op().type()), pairs.shown(), SUGGESTION));
    }

    private Optional<CauseFinding> accumulating(OriginContext context) {
        TensorData a = context.inputs().get(0);
        TensorData b = context.inputs().get(1);
        // the usual origin holds no infinity in its inputs: rule that out before collecting offenders
        if (!(ValueScans.anyInfinite(b) && ValueScans.anyZero(a) || ValueScans.anyInfinite(a) && ValueScans.anyZero(b))) {
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
                SUGGESTION));
    }
}
