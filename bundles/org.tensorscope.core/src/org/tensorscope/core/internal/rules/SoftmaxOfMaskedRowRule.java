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
 * Softmax and LogSoftmax over the last axis give NaN for a row whose every logit is -Inf (a fully
 * masked attention row: exp(-inf - max) with max = -inf is exp(NaN)), and for a row holding +Inf.
 */
@Component(service = NanCauseRule.class)
public class SoftmaxOfMaskedRowRule implements NanCauseRule {

    private static final Set<String> TYPES = Set.of("Softmax", "LogSoftmax");

    @Override
    public String id() {
        return "softmax-of-infinite-row";
    }

    @Override
    public Optional<CauseFinding> examine(OriginContext context) {
        if (!context.op().computes(TYPES) || context.inputs().size() != 1 || context.inputs().get(0) == null) {
            return Optional.empty();
        }
        TensorData logits = context.inputs().get(0);
        TensorData output = context.output();
        long[] dims = logits.shape().dims();
        long row = dims.length == 0 ? 1 : dims[dims.length - 1];
        if (row <= 0 || logits.size() % row != 0 || output.size() != logits.size()) {
            return Optional.empty();
        }
        long masked = 0;
        long withPlusInf = 0;
        List<OffendingValue> maskedShown = new ArrayList<>();
        List<OffendingValue> plusShown = new ArrayList<>();
        for (long start = 0; start < logits.size(); start += row) {
            boolean nanRow = false;
            boolean allMinusInf = true;
            long plus = -1;
            for (long i = start; i < start + row; i++) {
                double v = logits.getDouble(i);
                nanRow |= Double.isNaN(output.getDouble(i));
                allMinusInf &= v == Double.NEGATIVE_INFINITY;
                if (plus < 0 && v == Double.POSITIVE_INFINITY) {
                    plus = i;
                }
            }
            if (!nanRow) {
                continue;
            }
            if (allMinusInf) {
                masked++;
                if (maskedShown.size() < Offenders.SHOWN) {
                    maskedShown.add(new OffendingValue(0, logits.position(start), Double.NEGATIVE_INFINITY));
                }
            } else if (plus >= 0) {
                withPlusInf++;
                if (plusShown.size() < Offenders.SHOWN) {
                    plusShown.add(new OffendingValue(0, logits.position(plus), Double.POSITIVE_INFINITY));
                }
            }
        }
        String type = context.op().type();
        if (masked > 0) {
            return Optional.of(new CauseFinding(id(), String.format("%s of rows that are all -Inf: %d row(s) of "
                    + "%d logits are -Inf in every position (everything masked out), and the softmax of such a row "
                    + "is NaN", type, masked, row), maskedShown,
                    "Mask with a large finite negative value (e.g. -1e9, or the dtype's lowest value) instead of -Inf, "
                            + "or skip rows where every position is masked (empty sequences, padding)."));
        }
        if (withPlusInf > 0) {
            return Optional.of(new CauseFinding(id(), String.format("%s of rows holding +Inf: %d row(s) contain "
                    + "+Inf, and inf - inf inside the softmax gives NaN", type, withPlusInf), plusShown,
                    "The +Inf logits come from an earlier overflow: fix that op (clip, or compute in a stable form)."));
        }
        return Optional.empty();
    }
}
