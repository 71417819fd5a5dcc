package org.tensorscope.core.internal.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.service.CauseFinding;
import org.tensorscope.core.service.NanCauseRule;
import org.tensorscope.core.service.OffendingValue;
import org.tensorscope.core.service.OriginContext;
import org.tensorscope.core.tensor.TensorData;

/**
 * Finite inputs whose products or sums exceed their dtype's range (3.4e38 in float32, 65504 in float16): accumulation in
 * convolutions, matrix products, reductions and a batch normalisation by its batch's statistics, or a plain product
 * or sum of huge values, a batch normalisation in inference among them (a scale and a shift per channel).
 * Reports the largest input magnitudes, which is what grew too big. Ranked below the specific rules: a
 * zero variance in a batch normalisation overflows too, and that rule names the fix.
 */
@Component(service = NanCauseRule.class, property = "service.ranking:Integer=-100")
public class OverflowRule implements NanCauseRule {

    private static final Set<String> ACCUMULATING = Set.of("Conv2D", "Conv3D", "DepthwiseConv2dNative", "MatMul",
            "BatchMatMul", "BatchMatMulV2", "BatchMatMulV3", "Sum", "Mean", "Prod", "Conv2DBackpropInput",
            "AvgPool", "AvgPool3D");
    /** Sums over the batch when they normalise by its statistics; in inference, a scale and a shift per channel. */
    private static final Set<String> BATCH_NORMS = Set.of("FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3");
    private static final Set<String> ELEMENTWISE = Set.of("Mul", "Add", "AddV2", "Sub", "BiasAdd", "AddN", "Square",
            "Pow", "Cumsum", "Einsum");
    /** Ops whose terms are products of their first two inputs. */
    private static final Set<String> PRODUCTS = Set.of("Conv2D", "Conv3D", "DepthwiseConv2dNative", "MatMul",
            "BatchMatMul", "BatchMatMulV2", "BatchMatMulV3", "Conv2DBackpropInput", "Einsum");
    /** Of the element-wise ops, those that sum many values, whose partial sums may overflow both ways. */
    private static final Set<String> SUMMING_ELEMENTWISE = Set.of("Cumsum", "Einsum");

    @Override
    public String id() {
        return "overflow";
    }

    @Override
    public Optional<CauseFinding> examine(OriginContext context) {
        String type = context.op().canonicalType();
        boolean batchNorm = BATCH_NORMS.contains(type);
        boolean scaling = batchNorm && !ZeroVarianceBatchNormRule.normalisesByTheBatch(context.op());
        boolean accumulating = ACCUMULATING.contains(type) || batchNorm && !scaling;
        if (!accumulating && !scaling && !ELEMENTWISE.contains(type)) {
            return Optional.empty();
        }
        boolean summing = accumulating && !type.equals("Prod") || SUMMING_ELEMENTWISE.contains(type);
        boolean infinite = hasInf(context.output());
        if (context.inputs().stream().anyMatch(t -> t == null)
                || !context.inputs().stream().allMatch(OverflowRule::allFinite)) {
            return Optional.empty();
        }
        // a sum of finite values makes NaN only by overflowing both ways, partial sums of +Inf and -Inf added, which
        // its terms must be large enough for (a mean of nothing is NaN too: 0 / 0)
        boolean bothWays = !infinite && summing && ValueScans.anyNonFinite(context.output())
                && canOverflow(type, context.inputs(), context.output().dtype());
        if (!infinite && !bothWays) {
            return Optional.empty();
        }
        List<OffendingValue> largest = new ArrayList<>();
        StringBuilder magnitudes = new StringBuilder();
        for (int i = 0; i < context.inputs().size(); i++) {
            Offenders top = Offenders.largest(context.inputs().get(i), i);
            largest.addAll(top.first());
            top.first().forEach(v -> magnitudes.append(magnitudes.length() == 0 ? "" : ", ")
                    .append(String.format("%.3g", Math.abs(v.value()))));
        }
        String limit = limit(context.output().dtype());
        String cause = (accumulating
                ? "Accumulation overflow: " + context.op().type() + " sums finite values past " + limit
                        + (bothWays ? ", both ways: partial sums of +Inf and -Inf, added, made NaN" : "")
                : scaling ? "Overflow: " + context.op().type() + " scales finite values, (x - mean) * scale / "
                        + "sqrt(variance + epsilon) + offset, past " + limit
                : "Overflow: " + context.op().type() + " of finite values exceeds " + limit)
                + "; largest input magnitudes " + magnitudes;
        String suggestion = "The values grew too large before this op: clip or normalise the input to the range the "
                + "model expects (e.g. pixels to 0..1 or 0..255), and check earlier layers for growing activations.";
        return Optional.of(new CauseFinding(accumulating ? "accumulation-overflow" : "overflow", cause, largest,
                suggestion));
    }

    /** Whether the sum of the terms' magnitudes reaches the dtype's largest value: the sums can overflow. */
    private static boolean canOverflow(String type, List<TensorData> inputs, DType dtype) {
        if (inputs.isEmpty() || !dtype.isFloating()) {
            return false;
        }
        double terms = ValueScans.sumOfMagnitudes(inputs.get(0));
        if (PRODUCTS.contains(type) && inputs.size() > 1) {
            long largest = ValueScans.largestFinite(inputs.get(1));
            terms *= largest < 0 ? 0 : Math.abs(inputs.get(1).getDouble(largest));
        }
        return terms >= dtype.maxFinite();
    }

    private static String limit(DType dtype) {
        return dtype.isFloating() ? String.format("%s's maximum (%.4g)", dtype.displayName(), dtype.maxFinite())
                : "the type's maximum";
    }

    private static boolean hasInf(TensorData t) {
        return ValueScans.anyInfinite(t);
    }

    private static boolean allFinite(TensorData t) {
        return !t.dtype().isFloating() || !ValueScans.anyNonFinite(t);
    }
}
