package org.tensorscope.core.sequence;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.tensorscope.core.tensor.TensorData;

/**
 * One step of a sequence run, kept compactly: the outputs' and states' summaries and every checked op's
 * health, plus what it takes to feed the step again (see {@link StepInputs}), so that the step can be run
 * again to show any tensor.
 *
 * @param index     the step, from 0
 * @param frame     where the step's frame came from, e.g. "frames/0003.png" or "ramp*1.5^t, t=3"
 * @param inputs    the inputs the step was fed, by graph tensor name ("src:0"): run the step again from these
 * @param outputs   the signature outputs, in signature order
 * @param states    the inputs fed back from the previous step's outputs (at step 0, their initial values)
 * @param ops       per op output checked by the step's health pass, in execution order
 * @param unchecked tensors the step's health pass could not check, with the reason
 */
public record SequenceStep(int index, String frame, StepInputs inputs, List<ValueSummary> outputs,
        List<ValueSummary> states, List<OpStat> ops, List<Unchecked> unchecked) {

    public SequenceStep {
        java.util.Objects.requireNonNull(inputs, "inputs");
        outputs = List.copyOf(outputs);
        states = List.copyOf(states);
        ops = List.copyOf(ops);
        unchecked = List.copyOf(unchecked);
    }

    /** A step whose fed values are all kept as given. */
    public SequenceStep(int index, String frame, Map<String, TensorData> feeds, List<ValueSummary> outputs,
            List<ValueSummary> states, List<OpStat> ops, List<Unchecked> unchecked) {
        this(index, frame, StepInputs.stored(feeds), outputs, states, ops, unchecked);
    }
    /** A tensor the step's health pass could not check, and why. */
    public record Unchecked(String tensor, String reason) {
    }

    public Optional<ValueSummary> output(String name) {
        return outputs.stream().filter(v -> v.name().equals(name) || v.tensor().equals(name)).findFirst();
    }

    public Optional<ValueSummary> state(String name) {
        return states.stream().filter(v -> v.name().equals(name) || v.tensor().equals(name)).findFirst();
    }

    public Optional<OpStat> op(String tensorOrOp) {
        return ops.stream().filter(o -> o.tensor().equals(tensorOrOp) || o.opName().equals(tensorOrOp)).findFirst();
    }

    /** Whether any checked op, output or state of this step holds NaN or infinity. */
    public boolean hasNonFinite() {
        return ops.stream().anyMatch(o -> o.nonFinite() != 0) || outputs.stream().anyMatch(v -> v.nonFinite() > 0)
                || states.stream().anyMatch(v -> v.nonFinite() > 0);
    }
}
