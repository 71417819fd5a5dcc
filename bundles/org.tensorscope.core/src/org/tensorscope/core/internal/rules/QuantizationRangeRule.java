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
 * Quantize/dequantize ops whose range [min, max] is broken (an infinite or NaN bound, or so wide that
 * its step overflows), so the dequantized values come out NaN or infinite. Also says how
 * many inputs saturate at the range's ends, which a broken calibration usually shows too.
 */
@Component(service = NanCauseRule.class)
public class QuantizationRangeRule implements NanCauseRule {

    /** Op type to the inputs holding min and max (-1 when they are the attributes "min" and "max"). */
    private static final Set<String> RANGE_INPUTS_1_2 = Set.of("QuantizeV2", "Dequantize", "QuantizeAndDequantizeV2",
            "QuantizeAndDequantizeV3", "QuantizeAndDequantizeV4", "FakeQuantWithMinMaxVars",
            "FakeQuantWithMinMaxVarsPerChannel");
    private static final Set<String> RANGE_ATTRIBUTES = Set.of("FakeQuantWithMinMaxArgs");

    @Override
    public String id() {
        return "quantization-range";
    }

    @Override
    public Optional<CauseFinding> examine(OriginContext context) {
        String type = context.op().canonicalType();
        double limit = context.output() != null && context.output().dtype().isFloating()
                ? context.output().dtype().maxFinite() : Float.MAX_VALUE;
        List<OffendingValue> shown = new ArrayList<>();
        double min;
        double max;
        if (RANGE_INPUTS_1_2.contains(type) && context.inputs().size() >= 3 && context.inputs().get(1) != null
                && context.inputs().get(2) != null && context.inputs().get(1).size() > 0) {
            TensorData mins = context.inputs().get(1);
            TensorData maxs = context.inputs().get(2);
            int broken = -1;
            for (long i = 0; i < Math.min(mins.size(), maxs.size()); i++) {
                if (broken(mins.getDouble(i), maxs.getDouble(i), limit)) {
                    broken = (int) i;
                    break;
                }
            }
            if (broken < 0) {
                return Optional.empty();
            }
            min = mins.getDouble(broken);
            max = maxs.getDouble(broken);
            shown.add(new OffendingValue(1, mins.position(broken), min));
            shown.add(new OffendingValue(2, maxs.position(broken), max));
        } else if (RANGE_ATTRIBUTES.contains(type)) {
            min = parse(context.op().attributes().get("min"));
            max = parse(context.op().attributes().get("max"));
            if (Double.isNaN(min) && Double.isNaN(max) || !broken(min, max, limit)) {
                return Optional.empty(); // a range the graph does not state is unknown, not broken
            }
        } else {
            return Optional.empty();
        }
        String saturated = "";
        TensorData input = context.inputs().isEmpty() ? null : context.inputs().get(0);
        if (input != null && input.dtype().isFloating() && Double.isFinite(min) && Double.isFinite(max)) {
            double lo = min;
            double hi = max;
            Offenders outside = Offenders.find(input, 0, null, v -> v < lo || v > hi);
            if (!outside.isEmpty()) {
                saturated = String.format("; %d of %d input values lie outside it and saturate", outside.count(),
                        input.size());
            }
        }
        String why = !Double.isFinite(min) || !Double.isFinite(max) ? "an infinite or NaN bound"
                : "a step (max - min) beyond the float range";
        return Optional.of(new CauseFinding(id(), String.format("Quantization range [%s, %s] of this %s has %s%s",
                text(min), text(max), context.op().type(), why, saturated), shown,
                "Recalibrate the quantization range on representative data (finite bounds spanning the values "
                        + "seen), or for a converted model quantize it again with a representative dataset."));
    }

    /** Whether the bounds are not finite, or their distance exceeds the largest value of the op's float type. */
    private static boolean broken(double min, double max, double limit) {
        return !Double.isFinite(min) || !Double.isFinite(max) || max - min > limit;
    }

    private static String text(double v) {
        return Double.isNaN(v) ? "NaN" : Double.isInfinite(v) ? (v > 0 ? "+Inf" : "-Inf")
                : compact(String.format(java.util.Locale.ROOT, "%.4g", v));
    }

    private static double parse(String value) {
        if (value == null) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** "1.00e-10" as "1e-10", "-1.000" as "-1": trailing zeros of the mantissa dropped. */
    private static String compact(String formatted) {
        int e = formatted.indexOf('e');
        String mantissa = e < 0 ? formatted : formatted.substring(0, e);
        if (mantissa.contains(".")) {
            mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return mantissa + (e < 0 ? "" : formatted.substring(e));
    }
}
