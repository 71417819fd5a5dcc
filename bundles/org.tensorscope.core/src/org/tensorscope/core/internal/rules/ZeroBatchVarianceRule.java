package org.tensorscope.core.internal.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.tensorscope.core.service.CauseFinding;
import org.tensorscope.core.service.NanCauseRule;
import org.tensorscope.core.service.OffendingValue;
import org.tensorscope.core.service.OriginContext;
import org.tensorscope.core.tensor.TensorData;

/**
 * Batch normalisation in training mode normalises each channel by the batch's own mean and variance: a channel
 * holding one value across the batch (a constant frame, one sample of 1x1) has variance 0, and without an epsilon
 * (x - mean) / sqrt(0) is 0/0. The usual cause is a model exported in training mode, so the fix names that first.
 */
@Component(service = NanCauseRule.class)
public class ZeroBatchVarianceRule implements NanCauseRule {

    @Override
    public String id() {
        return "zero-batch-variance";
    }

    @Override
    public Optional<CauseFinding> examine(OriginContext context) {
        if (!context.op().computes(ZeroVarianceBatchNormRule.TYPES) || context.inputs().isEmpty()
                || context.inputs().get(0) == null
                || !ZeroVarianceBatchNormRule.normalisesByTheBatch(context.op())) {
            return Optional.empty();
        }
        String epsilon = context.op().attributes().get("epsilon");
        double eps = ZeroVarianceBatchNormRule.parse(epsilon);
        if (eps > 0) {
            return Optional.empty(); // a zero variance plus a positive epsilon divides by a number
        }
        TensorData x = context.inputs().get(0);
        int rank = x.shape().rank();
        if (rank < 2) {
            return Optional.empty();
        }
        // TensorFlow's NHWC (its default, also when the graph does not say) puts channels last; NCHW and ONNX second
        String format = context.op().attributes().get("data_format");
        boolean channelsLast = ZeroVarianceBatchNormRule.TYPES.contains(context.op().type())
                && (format == null || !format.startsWith("NC"));
        int axis = channelsLast ? rank - 1 : 1;
        List<OffendingValue> shown = new ArrayList<>();
        long constant = constantChannels(x, context.output(), axis, shown);
        if (constant == 0) {
            return Optional.empty();
        }
        return Optional.of(new CauseFinding(id(), String.format("Normalisation by a zero batch variance: the op runs in"
                + " training mode, normalising by the batch's own statistics, and %d channel(s) hold one value across"
                + " the batch (variance 0) while %s", constant, ZeroVarianceBatchNormRule.epsilonText(epsilon, eps)),
                shown,
                "Export the model for inference so that it uses its moving statistics (model.eval() in PyTorch,"
                        + " training=False in Keras, is_training=False in TensorFlow), or set a positive epsilon"
                        + " (e.g. 1e-3)."));
    }

    /**
     * The channels whose values are all equal and whose output holds a non-finite value (every channel's, when the
     * output is not known); the first element of the first few goes to {@code shown}.
     */
    private static long constantChannels(TensorData x, TensorData output, int axis, List<OffendingValue> shown) {
        long[] dims = x.shape().dims();
        int channels = (int) dims[axis];
        long inner = 1;
        for (int d = axis + 1; d < dims.length; d++) {
            inner *= dims[d];
        }
        long size = x.size();
        boolean aligned = output != null && output.size() == size;
        double[] first = new double[channels];
        boolean[] varies = new boolean[channels];
        boolean[] seen = new boolean[channels];
        boolean[] broken = new boolean[channels];
        long[] firstAt = new long[channels];
        for (long i = 0; i < size; i++) {
            int c = (int) ((i / inner) % channels);
            double v = x.getDouble(i);
            if (!seen[c]) {
                seen[c] = true;
                first[c] = v;
                firstAt[c] = i;
            } else if (Double.compare(v, first[c]) != 0) {
                varies[c] = true;
            }
            if (aligned && !Double.isFinite(output.getDouble(i))) {
                broken[c] = true;
            }
        }
        long count = 0;
        for (int c = 0; c < channels; c++) {
            if (seen[c] && !varies[c] && Double.isFinite(first[c]) && (!aligned || broken[c])) {
                count++;
                if (shown.size() < Offenders.SHOWN) {
                    shown.add(new OffendingValue(0, x.position(firstAt[c]), first[c]));
                }
            }
        }
        return count;
    }
}
