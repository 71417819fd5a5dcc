package org.tensorscope.core.sequence;

import java.util.List;

import org.tensorscope.core.model.SignatureTensor;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.trace.HealthMode;

/**
 * What a sequence run does: the frames and the input they go to, the feedback rules, how many steps, and the
 * values of every input at step 0 (inputs neither frames nor feedback feed keep them at every step).
 *
 * @param initial     every input's value at step 0, prepared from the input sources as {@code trace} does; the
 *                    frames input's value there is replaced by frame 0
 * @param frames      the frame source, null when no input takes frames
 * @param framesInput the input the frames go to, null with no frames
 * @param feedback    the feedback rules, at most one per input
 * @param steps       how many steps to run (at most the frame count of a finite source)
 * @param mode        the health mode of each step's pass; FULL gives the per-op max|x|
 * @param driftFactor growth over the starting magnitude that counts as drift (10 by default)
 * @param device      the device asked for, as the report names it
 */
public record SequencePlan(PreparedInputs initial, FrameSource frames, SignatureTensor framesInput,
        List<Feedback> feedback, int steps, HealthMode mode, double driftFactor, String device) {

    public static final double DEFAULT_DRIFT_FACTOR = 10;

    public SequencePlan {
        feedback = List.copyOf(feedback);
        if (steps < 1) {
            throw new IllegalArgumentException("--steps " + steps + ": give at least 1 step");
        }
        if (!(driftFactor > 1)) {
            throw new IllegalArgumentException("--drift-factor " + driftFactor + ": give a factor above 1");
        }
        if ((frames == null) != (framesInput == null)) {
            throw new IllegalArgumentException("frames and the input they feed go together");
        }
        java.util.Set<String> fed = new java.util.HashSet<>();
        for (Feedback f : feedback) {
            if (!fed.add(f.input().key())) {
                throw new IllegalArgumentException("--feedback '" + f.text() + "': input " + f.input().key()
                        + " is already fed by another --feedback");
            }
            if (framesInput != null && f.input().key().equals(framesInput.key())) {
                throw new IllegalArgumentException("--feedback '" + f.text() + "': input " + f.input().key()
                        + " takes the frames; feed the frames to another input with --frames NAME=SOURCE");
            }
        }
    }
}
