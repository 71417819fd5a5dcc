package org.tensorscope.core.analysis;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.OpRole;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.service.CauseFinding;
import org.tensorscope.core.tensor.TensorData;

/**
 * Turns a cause into a fix in the user's terms by looking at the ops around it: the numerically
 * unstable pattern the model was written with (Log of a Softmax, log(1 - sigmoid), a hand-written
 * softmax, a Sum as a denominator, exp without the maximum subtracted, an epsilon lost in 1 + 1e-10,
 * an input far outside what the first layers expect) and the change that fixes it. The pattern's fix
 * leads the suggestion, the rule's general advice follows; a model converted to another format (TF.js,
 * TFLite) is said to be so, since its graph cannot be edited. Ops are matched by what they compute
 * ({@link OpNode#canonicalType()}, TensorFlow's op names), so a pattern is seen in any format whose loader maps
 * its ops onto them.
 */
public final class FixPatterns {

    /** Ops that pass values through unchanged, looked through when following a pattern. */
    private static final Set<String> PASS_THROUGH = Set.of("Identity", "Reshape", "ExpandDims", "Squeeze",
            "StopGradient", "Snapshot");
    private static final Set<String> SUMS = Set.of("Sum", "Mean", "AddN");
    private static final Set<String> DIVISIONS = Set.of("Div", "RealDiv", "DivNoNan");
    private static final Set<String> SUBTRACTIONS = Set.of("Sub");
    private static final Set<String> ADDITIONS = Set.of("Add", "AddV2");
    /** Inputs this far above 1 in magnitude are outside any usual normalisation (0..1, -1..1, 0..255). */
    private static final double LARGE_INPUT = 1e4;
    /** How many ops upstream of the origin a fed input may be and still be "the input of the first layers". */
    private static final int INPUT_HOPS = 6;

    private final ModelGraph graph;
    private final Map<String, TensorData> feeds;
    private final Function<String, TensorData> constants;

    /**
     * @param feeds     the fed tensors by name ("x:0"), whose ranges are checked
     * @param constants the value of a Const op's output tensor, null when it cannot be read
     */
    public FixPatterns(ModelGraph graph, Map<String, TensorData> feeds, Function<String, TensorData> constants) {
        this.graph = graph;
        Map<String, TensorData> byTensor = new java.util.HashMap<>();
        feeds.forEach((name, data) -> byTensor.put(TensorSpec.tensorName(name), data));
        this.feeds = Map.copyOf(byTensor);
        this.constants = constants;
    }

    /** The finding with the pattern's fix leading its suggestion; the finding itself when no pattern is seen. */
    public CauseFinding refine(OpNode op, CauseFinding finding) {
        if (finding == null) {
            return null;
        }
        Optional<String> pattern = pattern(op, finding);
        String converted = converted();
        if (pattern.isEmpty() && converted.isEmpty()) {
            return finding;
        }
        String suggestion = pattern.map(p -> p + " Also: " + finding.suggestion()).orElse(finding.suggestion())
                + converted;
        return new CauseFinding(finding.ruleId(), finding.cause(), finding.offending(), suggestion);
    }

    private Optional<String> pattern(OpNode op, CauseFinding finding) {
        String rule = finding.ruleId();
        switch (rule) {
            case "log-of-non-positive" -> {
                return logPattern(op);
            }
            case "zero-times-inf" -> {
                for (int k = 0; k < op.inputs().size(); k++) {
                    OpNode log = producer(op, k);
                    if (log != null && log.computes("Log")) {
                        Optional<String> p = logPattern(log);
                        if (p.isPresent()) {
                            return p;
                        }
                    }
                }
                for (int k = 0; k < op.inputs().size(); k++) {
                    OpNode division = producer(op, k);
                    if (division != null && division.computes(DIVISIONS)) {
                        return Optional.of(String.format("The infinity comes from the division %s: guard it (an "
                                + "epsilon in its denominator, or tf.math.divide_no_nan), and this product is finite "
                                + "again.", division.name()));
                    }
                }
                return Optional.empty();
            }
            case "zero-by-zero", "division-by-zero", "tiny-denominator", "inf-by-inf" -> {
                return divisionPattern(op, rule);
            }
            case "exp-overflow" -> {
                Optional<String> exp = expPattern(op);
                Optional<String> range = inputRange(op);
                return exp.isPresent() && range.isPresent() ? Optional.of(range.get() + " " + exp.get())
                        : exp.or(() -> range);
            }
            case "sqrt-of-negative" -> {
                return sqrtPattern(op, finding);
            }
            case "overflow", "accumulation-overflow", "cast-overflow" -> {
                return inputRange(op);
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    /** Log of a Softmax, of a hand-written softmax, of a Sigmoid, of 1 - sigmoid, or of 1 + eps - x. */
    private Optional<String> logPattern(OpNode log) {
        OpNode p = producer(log, 0);
        if (p == null) {
            return Optional.empty();
        }
        if (p.computes("Softmax")) {
            return Optional.of(String.format("`Log` of a `Softmax` output (%s): the softmax underflows to 0 for "
                    + "logits far below their row's maximum, and log(0) = -Inf. Compute the log-probabilities with "
                    + "tf.nn.log_softmax, or the loss with tf.nn.softmax_cross_entropy_with_logits (or "
                    + "sparse_softmax_cross_entropy_with_logits) on the logits.", p.name()));
        }
        if (isHandWrittenSoftmax(p)) {
            return Optional.of(String.format("`Log` of a hand-written softmax exp(x) / sum(exp(x)) (%s): it "
                    + "underflows to 0 for logits far below their row's maximum, and log(0) = -Inf. Compute the "
                    + "log-probabilities with tf.nn.log_softmax, or the loss with "
                    + "tf.nn.softmax_cross_entropy_with_logits on the logits.", p.name()));
        }
        if (p.computes("Sigmoid")) {
            return Optional.of(String.format("`Log` of a `Sigmoid` output (%s): sigmoid(x) rounds to 0 for very "
                    + "negative x, and log(0) = -Inf. Use tf.math.log_sigmoid(x), or the loss "
                    + "tf.nn.sigmoid_cross_entropy_with_logits on the logits.", p.name()));
        }
        if (p.computes(SUBTRACTIONS) && p.inputs().size() == 2) {
            OpNode minuend = producer(p, 0);
            OpNode subtrahend = producer(p, 1);
            Optional<String> lost = lostEpsilon(minuend);
            if (lost.isPresent()) {
                return lost;
            }
            if (subtrahend != null && subtrahend.computes("Sigmoid")) {
                return Optional.of(String.format("`Log(1 - sigmoid(x))` saturates (%s): sigmoid(x) rounds to 1 "
                        + "in %s once x exceeds about %s, so 1 - sigmoid(x) = 0 and the log is -Inf. Use "
                        + "tf.math.log_sigmoid(-x), which equals log(1 - sigmoid(x)), or the loss "
                        + "tf.nn.sigmoid_cross_entropy_with_logits on the logits. An epsilon written as "
                        + "log(1e-10 + 1 - x) does not help: 1 + 1e-10 rounds to 1 in float32; add it after the "
                        + "subtraction, log((1 - x) + 1e-7).", log.name(), dtypeOf(log).displayName(),
                        saturation(dtypeOf(log))));
            }
            if (isConstant(minuend, 1)) {
                return Optional.of(String.format("`Log(1 - x)` with x reaching 1 (%s). If the code adds an "
                        + "epsilon as eps + 1 - x, it is lost: 1 + 1e-10 rounds to 1 in float32 (its spacing at 1 is "
                        + "1.19e-7). Add the epsilon after the subtraction, log((1 - x) + 1e-7), or clip x below 1.",
                        log.name()));
            }
        }
        if (p.computes(ADDITIONS) && p.inputs().size() == 2) {
            for (int k = 0; k < 2; k++) {
                OpNode side = producer(p, k);
                if (side != null && side.computes(SUBTRACTIONS)) {
                    Optional<String> lost = lostEpsilon(producer(side, 0));
                    if (lost.isPresent()) {
                        return lost;
                    }
                }
            }
            Optional<String> lost = lostEpsilon(p);
            if (lost.isPresent()) {
                return lost;
            }
        }
        return Optional.empty();
    }

    /** An Add of 1 and an epsilon below half float32's spacing at 1, which rounds the epsilon away. */
    private Optional<String> lostEpsilon(OpNode add) {
        if (add == null || !add.computes(ADDITIONS) || add.inputs().size() != 2) {
            return Optional.empty();
        }
        Double a = scalar(producer(add, 0));
        Double b = scalar(producer(add, 1));
        if (a == null || b == null) {
            return Optional.empty();
        }
        DType dtype = dtypeOf(add);
        double one = Math.abs(a) >= Math.abs(b) ? a : b;
        double eps = Math.abs(a) >= Math.abs(b) ? b : a;
        double spacing = switch (dtype) {
            case FLOAT16 -> 9.765625e-4;
            case BFLOAT16 -> 7.8125e-3;
            case FLOAT64 -> Math.ulp(1.0);
            default -> Math.ulp(1f);
        };
        if (one == 0 || eps == 0 || Math.abs(eps) >= Math.abs(one) * spacing / 2) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "The epsilon %s is lost in `%s + %s` in %s (%s): the "
                + "sum rounds to %s, whose spacing there is %.3g. Add the epsilon after the subtraction, "
                + "log((1 - x) + %s), or use an epsilon of %s or more.", text(eps), text(one), text(eps),
                dtype.displayName(), add.name(), text(one), spacing, text(eps), text(Math.pow(10, Math.ceil(Math.log10(spacing / 2))))));
    }

    private Optional<String> divisionPattern(OpNode div, String rule) {
        if (!div.computes(DIVISIONS) || div.inputs().size() != 2) {
            return Optional.empty();
        }
        OpNode denominator = producer(div, 1);
        if (denominator == null) {
            return Optional.empty();
        }
        OpNode numerator = producer(div, 0);
        if (denominator.computes(SUMS)) {
            OpNode summed = producer(denominator, 0);
            boolean softmax = summed != null && summed.computes("Exp") && summed.equals(numerator);
            if (softmax && "inf-by-inf".equals(rule)) {
                return Optional.of(String.format("Hand-written softmax exp(x) / sum(exp(x)) (%s / %s): exp(x) "
                        + "overflows to +Inf for x above %s in %s, and Inf / Inf is NaN. Use tf.nn.softmax, which "
                        + "subtracts the row maximum first, or subtract tf.reduce_max(x, axis, keepdims=True) "
                        + "before the exp.", summed.name(), denominator.name(), expLimit(dtypeOf(summed)),
                        dtypeOf(summed).displayName()));
            }
            if (softmax) {
                return Optional.of(String.format("Hand-written softmax exp(x) / sum(exp(x)) whose `%s` %s is 0: "
                        + "exp(x) underflows to 0 for every element of a row whose logits are all below about %s "
                        + "in %s, so the row is 0/0. Use tf.nn.softmax, which subtracts the row maximum first, or "
                        + "subtract tf.reduce_max(x, axis, keepdims=True) before the exp.", denominator.type(),
                        denominator.name(), underflowLimit(dtypeOf(summed)), dtypeOf(summed).displayName()));
            }
            if (!"inf-by-inf".equals(rule)) {
                return Optional.of(String.format("The denominator is a `%s` (%s) that is 0 here: add an epsilon "
                        + "(%s + 1e-7) or use tf.math.divide_no_nan; check why every summed value is 0 (an empty "
                        + "mask, a blank frame, padding).", denominator.type(), denominator.name(),
                        denominator.name()));
            }
        }
        if (denominator.computes("Sqrt") && !"inf-by-inf".equals(rule)) {
            return Optional.of(String.format("The denominator is a `Sqrt` (%s) of a value that is 0 here (a zero "
                    + "variance or distance): add the epsilon inside the square root, sqrt(v + 1e-6), or divide by "
                    + "tf.maximum(sqrt(v), 1e-6).", denominator.name()));
        }
        return Optional.empty();
    }

    private Optional<String> expPattern(OpNode exp) {
        OpNode p = producer(exp, 0);
        if (p != null && p.computes(SUBTRACTIONS)) {
            OpNode max = producer(p, 1);
            if (max != null && max.computes("Max")) {
                return Optional.empty(); // already stable: the overflow is elsewhere
            }
        }
        DType dtype = dtypeOf(exp);
        String half = dtype == DType.FLOAT16 ? " In float16, cast to float32 before the exp." : "";
        return Optional.of(String.format("`Exp` (%s) of values with no maximum subtracted: it overflows above %s "
                + "in %s. If it is part of a softmax or log-sum-exp, use tf.nn.softmax or tf.reduce_logsumexp (they "
                + "subtract the maximum); otherwise clip its input below %s.%s", exp.name(), expLimit(dtype),
                dtype.displayName(), expLimit(dtype), half));
    }

    private Optional<String> sqrtPattern(OpNode sqrt, CauseFinding finding) {
        OpNode p = producer(sqrt, 0);
        boolean tiny = finding.offending().stream().allMatch(v -> Math.abs(v.value()) < 1e-3);
        if (p != null && p.computes(SUBTRACTIONS) && tiny) {
            return Optional.of(String.format("`Sqrt` of a difference (%s) that rounding makes slightly negative "
                    + "(a variance computed as E[x²] - E[x]², a distance near 0): clip it at 0, "
                    + "sqrt(tf.maximum(v, 0) + 1e-6).", p.name()));
        }
        return Optional.empty();
    }

    /** A fed input a few ops upstream whose values are far outside any usual normalisation. */
    private Optional<String> inputRange(OpNode op) {
        ArrayDeque<OpNode> queue = new ArrayDeque<>();
        ArrayDeque<Integer> depth = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        queue.add(op);
        depth.add(0);
        while (!queue.isEmpty()) {
            OpNode current = queue.poll();
            int d = depth.poll();
            for (String input : current.inputs()) {
                String tensor = TensorSpec.tensorName(input);
                TensorData fed = feeds.get(tensor);
                if (fed != null && fed.dtype().isFloating()) {
                    TensorStats stats = TensorStats.of(fed);
                    if (stats.finiteCount() > 0 && Math.max(Math.abs(stats.min()), Math.abs(stats.max())) > LARGE_INPUT) {
                        return Optional.of(String.format(Locale.ROOT, "The input %s ranges over [%s, %s], outside what "
                                + "the first layers were trained on (usually 0..1, -1..1 or 0..255): clip or normalise "
                                + "it before feeding the model.", TensorSpec.opNameOf(tensor), text(stats.min()),
                                text(stats.max())));
                    }
                    continue;
                }
                OpNode upstream = graph.op(TensorSpec.opNameOf(tensor)).orElse(null);
                if (upstream != null && d + 1 < INPUT_HOPS && seen.add(upstream.name())) {
                    queue.add(upstream);
                    depth.add(d + 1);
                }
            }
        }
        return Optional.empty();
    }

    private String converted() {
        String format = graph.format() == null ? "" : graph.format();
        if (format.contains("TF.js") || format.contains("TFLite")) {
            return " This model is converted code (" + format + "): its graph cannot be edited here; make the "
                    + "change in the source model and convert it again, or clip or normalise the input you feed it.";
        }
        return "";
    }

    private boolean isHandWrittenSoftmax(OpNode op) {
        if (!op.computes(DIVISIONS) || op.inputs().size() != 2) {
            return false;
        }
        OpNode numerator = producer(op, 0);
        OpNode denominator = producer(op, 1);
        return numerator != null && numerator.computes("Exp") && denominator != null
                && denominator.computes(SUMS) && numerator.equals(producer(denominator, 0));
    }

    private boolean isConstant(OpNode op, double value) {
        Double v = scalar(op);
        return v != null && v == value;
    }

    /** The single value of a Const op (or of a same-valued constant tensor), null when not a readable constant. */
    private Double scalar(OpNode op) {
        if (op == null || op.role() != OpRole.CONSTANT || op.outputs().isEmpty()) {
            return null;
        }
        TensorData value = constants.apply(op.outputs().get(0).name());
        if (value == null || value.size() == 0 || !value.dtype().isFloating()) {
            return null;
        }
        double first = value.getDouble(0);
        for (long i = 1; i < Math.min(value.size(), 1024); i++) {
            if (value.getDouble(i) != first) {
                return null;
            }
        }
        return first;
    }

    /** The op making input k of op, looking through Identity and reshapes; null when not in the graph. */
    private OpNode producer(OpNode op, int k) {
        if (op == null || k >= op.inputs().size()) {
            return null;
        }
        OpNode p = graph.op(TensorSpec.opNameOf(op.inputs().get(k))).orElse(null);
        for (int hops = 0; p != null && p.computes(PASS_THROUGH) && hops < 4 && !p.inputs().isEmpty(); hops++) {
            p = graph.op(TensorSpec.opNameOf(p.inputs().get(0))).orElse(null);
        }
        return p;
    }

    private static DType dtypeOf(OpNode op) {
        List<TensorSpec> outputs = op.outputs();
        return outputs.isEmpty() || !outputs.get(0).dtype().isFloating() ? DType.FLOAT32 : outputs.get(0).dtype();
    }

    private static String expLimit(DType dtype) {
        return String.format(Locale.ROOT, "%.2f", Math.log(dtype.maxFinite()));
    }

    /** Below this, exp(x) is 0 (under the smallest subnormal). */
    private static String underflowLimit(DType dtype) {
        double smallest = switch (dtype) {
            case FLOAT16 -> 5.960464477539063e-8;
            case FLOAT64 -> Double.MIN_VALUE;
            default -> Float.MIN_VALUE;
        };
        return String.format(Locale.ROOT, "%.0f", Math.log(smallest));
    }

    /** x above which sigmoid(x) rounds to 1: where exp(-x) is under half the spacing below 1. */
    private static String saturation(DType dtype) {
        double halfSpacing = switch (dtype) {
            case FLOAT16 -> 4.8828125e-4 / 2;
            case BFLOAT16 -> 3.90625e-3 / 2;
            case FLOAT64 -> Math.ulp(0.5) / 2;
            default -> Math.ulp(0.5f) / 2;
        };
        return String.format(Locale.ROOT, "%.1f", -Math.log(halfSpacing));
    }

    private static String text(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e6) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        // 1e-10 rather than 1.00e-10
        return compact(String.format(Locale.ROOT, "%.3g", v));
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
