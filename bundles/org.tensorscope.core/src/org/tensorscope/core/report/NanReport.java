package org.tensorscope.core.report;

import java.util.List;

import org.tensorscope.core.analysis.NanOrigin;

/**
 * Everything a NaN trace found, in the shape the CLI, the NaN Trace view and the JSON/HTML
 * reports share. Plain values only: no framework types, no references to tensors.
 * The JSON schema is documented in docs/trace-report.md.
 *
 * @param model       model path
 * @param format      model format
 * @param signature   signature run
 * @param device      device asked for ("cpu"/"gpu")
 * @param deviceNote  what the backend chose instead, empty when as asked
 * @param healthMode  health pass mode
 * @param finite      whether every tensor was finite
 * @param origin      where NaN/Inf started first; null when everything is finite
 * @param propagation ops after the origin whose non-finite inputs explain their non-finite outputs, in execution
 *                    order (independent origins are not here but in {@code origins})
 * @param inputs      health of each fed input
 * @param weights     weights already holding NaN/Inf (empty when all are finite)
 * @param weightCount number of weights checked
 * @param ops         per-op health of every checked tensor, in execution order
 * @param checked     number of tensors checked
 * @param unchecked   tensors that could not be checked, with the reason; "every tensor is finite" may only be
 *                    said when this is empty
 * @param fidelity    how the traced run compares with the plain, optimised run the user's runtime does; null
 *                    when not compared
 * @param origins     every independent origin (an op that turned finite inputs non-finite), in execution order,
 *                    each with its cause; the first is {@code origin}
 */
public record NanReport(String model, String format, String signature, String device, String deviceNote,
        String healthMode, boolean finite, Origin origin, List<String> propagation, List<InputHealth> inputs,
        List<WeightHealth> weights, int weightCount, List<OpHealth> ops, int checked, List<Unchecked> unchecked,
        Fidelity fidelity, List<Origin> origins) {

    public NanReport {
        // reports written before origins existed: the one origin they name
        origins = origins == null ? (origin == null ? List.of() : List.of(origin)) : List.copyOf(origins);
        propagation = List.copyOf(propagation);
        inputs = List.copyOf(inputs);
        weights = List.copyOf(weights);
        ops = List.copyOf(ops);
        unchecked = unchecked == null ? List.of() : List.copyOf(unchecked);
    }

    /** A report with one origin at most (no independent origins besides it). */
    public NanReport(String model, String format, String signature, String device, String deviceNote,
            String healthMode, boolean finite, Origin origin, List<String> propagation, List<InputHealth> inputs,
            List<WeightHealth> weights, int weightCount, List<OpHealth> ops, int checked, List<Unchecked> unchecked,
            Fidelity fidelity) {
        this(model, format, signature, device, deviceNote, healthMode, finite, origin, propagation, inputs, weights,
                weightCount, ops, checked, unchecked, fidelity, null);
    }

    /** The origins after the first: ops that turned finite inputs non-finite independently of it. */
    public List<Origin> otherOrigins() {
        return origins.size() <= 1 ? List.of() : origins.subList(1, origins.size());
    }

    /** Whether every float tensor was checked. */
    public boolean complete() {
        return unchecked.isEmpty();
    }

    /** Whether the report may say "every tensor is finite": nothing non-finite and nothing unchecked. */
    public boolean allClear() {
        return finite && complete();
    }

    /** A tensor (or a whole subgraph) the trace could not check, and why. */
    public record Unchecked(String tensor, String reason) {
    }

    /**
     * The traced (unfused) run against the plain, optimised run.
     *
     * @param agree        whether the outputs agree (same NaN/±Inf counts, values within tolerance)
     * @param tolerance    the relative tolerance used on finite values
     * @param outputs      per output, both runs' counts and the largest difference
     * @param rewrites     the optimised runtime's rewrites that the traced run does not make ("_FusedConv2D at
     *                     conv/Relu fuses Conv2D+BiasAdd+Relu")
     * @param explanation  what the user should know, in words; empty when the runs agree
     */
    public record Fidelity(boolean agree, double tolerance, List<OutputComparison> outputs, List<String> rewrites,
            String explanation) {

        public Fidelity {
            outputs = List.copyOf(outputs);
            rewrites = List.copyOf(rewrites);
        }
    }

    /**
     * One output in both runs.
     *
     * @param tensor       output tensor
     * @param tracedNonFinite NaN/±Inf elements in the traced run
     * @param plainNonFinite  NaN/±Inf elements in the plain run
     * @param tracedNan    NaN elements in the traced run
     * @param plainNan     NaN elements in the plain run
     * @param maxDifference largest |traced - plain| where both are finite
     */
    public record OutputComparison(String tensor, long tracedNonFinite, long plainNonFinite, long tracedNan,
            long plainNan, double maxDifference) {
    }

    /**
     * @param op         the origin op
     * @param type       its type
     * @param kind       whether the input, the weights or the computation is to blame (in JSON: "input",
     *                   "weights" or "computation")
     * @param firstInfOp first op whose output holds ±Inf, null when none
     * @param firstNanOp first op whose output holds NaN, null when none
     * @param cause      the cause a rule recognised, null when none did
     * @param firstNanCause why the first NaN op made NaN, when it is not the origin (e.g. inf - inf after an
     *                   overflow); null otherwise
     * @param opInputs   statistics of the origin op's inputs
     * @param histogram  histogram of the input that the cause blames (or the first input)
     * @param loop       the loop the origin op is in (its values aggregate every iteration), null when in none
     * @param iteration  0-based iteration of that loop where NaN/Inf first appeared, -1 when not in a loop or unknown
     */
    public record Origin(String op, String type, NanOrigin.Kind kind, String firstInfOp, String firstNanOp, Cause cause,
            Cause firstNanCause, List<TensorSummary> opInputs, Histogram histogram, String loop, long iteration,
            List<String> uncheckedInputs) {

        /**
         * @param uncheckedInputs the op's inputs the trace did not check (a cond's branches it cannot follow): the
         *                        op's inputs are then not known to be finite, and NaN or infinity may start there
         */
        public Origin {
            opInputs = List.copyOf(opInputs);
            uncheckedInputs = uncheckedInputs == null ? List.of() : List.copyOf(uncheckedInputs);
        }

        public Origin(String op, String type, NanOrigin.Kind kind, String firstInfOp, String firstNanOp, Cause cause,
                Cause firstNanCause, List<TensorSummary> opInputs, Histogram histogram, String loop, long iteration) {
            this(op, type, kind, firstInfOp, firstNanOp, cause, firstNanCause, opInputs, histogram, loop, iteration,
                    List.of());
        }
    }

    /** A recognised cause: the rule, the words, the values and the fix. */
    public record Cause(String rule, String description, List<Value> offendingValues, String suggestion) {

        public Cause {
            offendingValues = List.copyOf(offendingValues);
        }
    }

    /** One offending element: which input of the op, where, and its value. */
    public record Value(int input, List<Long> position, double value) {

        public Value {
            position = List.copyOf(position);
        }
    }

    /** Statistics of one tensor. */
    public record TensorSummary(String tensor, String dtype, String shape, long count, long nan, long negInf,
            long posInf, long zeros, double min, double max, double mean, double std) {
    }

    /** A histogram: finite bins plus NaN and ±Inf counts apart. */
    public record Histogram(String tensor, List<Double> edges, List<Long> counts, long nan, long negInf,
            long posInf) {

        public Histogram {
            edges = List.copyOf(edges);
            counts = List.copyOf(counts);
        }
    }

    /** The health of one fed input and any problems found with it. */
    public record InputHealth(String name, String source, TensorSummary summary, List<String> problems) {

        public InputHealth {
            problems = List.copyOf(problems);
        }
    }

    /**
     * A weight already holding NaN or infinity.
     *
     * @param leftOut why the trace left it out of the NaN search (an infinity by design, say), or empty when it
     *                was searched
     */
    public record WeightHealth(String op, String shape, long nonFinite, String leftOut) {

        public WeightHealth {
            leftOut = leftOut == null ? "" : leftOut;
        }

        public WeightHealth(String op, String shape, long nonFinite) {
            this(op, shape, nonFinite, "");
        }

        /** Whether the trace searched it: one that holds NaN or infinity and was searched is broken. */
        public boolean searched() {
            return leftOut.isEmpty();
        }
    }

    /** The health row of one op output. */
    public record OpHealth(String tensor, String type, String device, long count, long nan, long negInf,
            long posInf, double min, double max, double mean, long micros) {
    }
}
