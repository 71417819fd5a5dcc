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
            "BatchMatMulV3", "Conv2D", "Conv3D", "DepthwiseConv2dNative", "Einsum", "Conv", "Gemm");

    private static final String SUGGESTION = "The infinity comes from an earlier overflow, log of zero or division "
            + "by zero: fix it there (clip, add an epsilon). For label * log(p), compute the loss with "
            + "tf.nn.softmax_cross_entropy_with_logits or log_softmax instead of log(softmax).";

    @Override
    public String id() {
        return "zero-times-inf";
    }

    @Override
    public Optional<CauseFinding> examine(OriginContext context) {
        String type = context.op().type();
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
        TensorData a = context.inputs().get(0);
        TensorData b = context.inputs().get(1);
        TensorData output = context.output();
        Broadcast broadcast = Broadcast.of(output, context.inputs());
        if (broadcast == null) {
            return Optional.empty();
        }
        long count = 0;
        List<OffendingValue> shown = new ArrayList<>();
        for (long i = 0; i < output.size(); i++) {
            if (!Double.isNaN(output.getDouble(i))) {
                continue;
            }
            long ai = broadcast.index(0, i);
            long bi = broadcast.index(1, i);
            double x = a.getDouble(ai);
            double y = b.getDouble(bi);
            if (x == 0 && Double.isInfinite(y) || Double.isInfinite(x) && y == 0) {
                count++;
                if (shown.size() < Offenders.SHOWN * 2) {
                    shown.add(new OffendingValue(0, a.position(ai), x));
                    shown.add(new OffendingValue(1, b.position(bi), y));
                }
            }
        }
        return count == 0 ? Optional.empty()
                : Optional.of(new CauseFinding(id(), String.format("0 · inf: %d element(s) of this Mul multiply "
                        + "zero by infinity, and the product is NaN", count), shown, SUGGESTION));
    }

    private Optional<CauseFinding> product(OriginContext context) {
        TensorData input = context.inputs().get(0);
        TensorData output = context.output();
        Reduction reduction = Reduction.of(context.inputs(), output);
        if (reduction == null || !input.dtype().isFloating()) {
            return Optional.empty();
        }
        long[] zero = new long[Math.toIntExact(reduction.outputSize())];
        long[] inf = new long[zero.length];
        java.util.Arrays.fill(zero, -1);
        java.util.Arrays.fill(inf, -1);
        for (long i = 0; i < input.size(); i++) {
            double v = input.getDouble(i);
            int o = (int) reduction.outputIndex(i);
            if (v == 0 && zero[o] < 0) {
                zero[o] = i;
            } else if (Double.isInfinite(v) && inf[o] < 0) {
                inf[o] = i;
            }
        }
        long count = 0;
        List<OffendingValue> shown = new ArrayList<>();
        for (int o = 0; o < zero.length; o++) {
            if (zero[o] >= 0 && inf[o] >= 0 && Double.isNaN(output.getDouble(o))) {
                count++;
                if (shown.size() < Offenders.SHOWN * 2) {
                    shown.add(new OffendingValue(0, input.position(zero[o]), 0));
                    shown.add(new OffendingValue(0, input.position(inf[o]), input.getDouble(inf[o])));
                }
            }
        }
        return count == 0 ? Optional.empty()
                : Optional.of(new CauseFinding(id(), String.format("0 · inf inside a reduction: %d output "
                        + "element(s) of this %s multiply a zero and an infinity together, and the product is NaN",
                        count, context.op().type()), shown, SUGGESTION));
    }

    private Optional<CauseFinding> accumulating(OriginContext context) {
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
