package org.tensorscope.core.sequence;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.SignatureTensor;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.trace.HealthMode;

/**
 * Makes a {@link SequencePlan} from what the user wrote, as the CLI's {@code sequence} options and the workbench
 * take it: {@code [NAME=]FRAMES}, feedback rules and input sources for the other inputs.
 */
public final class SequenceSetup {

    /** Steps run over a generated frame source when none are asked for. */
    public static final int DEFAULT_GENERATED_STEPS = 10;

    private SequenceSetup() {
    }

    /**
     * @param framesText   {@code [NAME=]SOURCE} (see {@link FrameSources}); null for a run fed only by feedback
     * @param inputTexts   sources of the other inputs, as {@code --input} takes them; an input that feedback feeds
     *                     and that is not given here starts from zeros (a zero scalar when its rank is unknown)
     * @param steps        steps to run; 0 for every frame of a folder or stack, or
     *                     {@value #DEFAULT_GENERATED_STEPS} for generated frames
     * @throws IllegalArgumentException for a wrong name, rule, source or shape, naming it
     * @throws IOException              when a frame folder, stack or input file cannot be read
     */
    public static SequencePlan plan(Signature signature, String framesText, List<String> feedbackTexts,
            List<String> inputTexts, Map<String, String> shapes, int steps, HealthMode mode, double driftFactor,
            String device) throws IOException {
        List<Feedback> feedback = new ArrayList<>();
        for (String text : feedbackTexts) {
            feedback.add(Feedback.parse(text, signature));
        }
        Set<String> fed = feedback.stream().map(f -> f.input().key()).collect(Collectors.toSet());
        SignatureTensor framesInput = null;
        FrameSource frames = null;
        if (framesText != null) {
            String source = framesText;
            int eq = framesText.indexOf('=');
            Optional<SignatureTensor> named = eq > 0 ? signature.input(framesText.substring(0, eq)) : Optional.empty();
            if (named.isPresent()) {
                framesInput = named.get();
                source = framesText.substring(eq + 1);
            } else {
                Set<String> given = inputTexts.stream().filter(t -> t.indexOf('=') > 0)
                        .map(t -> signature.input(t.substring(0, t.indexOf('='))).map(SignatureTensor::key).orElse(""))
                        .collect(Collectors.toSet());
                framesInput = signature.inputs().stream()
                        .filter(i -> !fed.contains(i.key()) && !given.contains(i.key())).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("--frames " + framesText + ": every input of "
                                + "signature '" + signature.key() + "' is fed by --input or --feedback; name the one "
                                + "the frames go to with --frames NAME=SOURCE"));
            }
            frames = FrameSources.parse(source);
        }
        SignatureTensor framesTarget = framesInput;
        List<SignatureTensor> others = signature.inputs().stream()
                .filter(i -> framesTarget == null || !i.key().equals(framesTarget.key())).toList();
        Signature rest = new Signature(signature.key(), others, signature.outputs());
        List<String> texts = new ArrayList<>(inputTexts);
        for (Feedback f : feedback) {
            boolean given = inputTexts.stream().anyMatch(t -> t.indexOf('=') > 0
                    && rest.input(t.substring(0, t.indexOf('='))).map(i -> i.key().equals(f.input().key())).orElse(false));
            if (!given) {
                // a state of unknown rank (rvm's r1i..r4i) starts as a zero scalar, as the model's own examples start it
                boolean unknownRank = !f.input().tensor().shape().hasKnownRank() && !shapes.containsKey(f.input().key());
                texts.add(f.input().key() + (unknownRank ? "=zeros@scalar" : "=zeros"));
            }
        }
        if (framesTarget != null && shapes.containsKey(framesTarget.key())) {
            throw new IllegalArgumentException("--shape " + framesTarget.key() + ": the frames feed this input; give "
                    + "their shape with @DIMS in --frames, e.g. ramp@1x256x256x3");
        }
        PreparedInputs initial = PreparedInputs.prepare(rest, texts, shapes);
        int count = frames == null ? -1 : frames.count();
        int n = steps > 0 ? steps : count > 0 ? count : DEFAULT_GENERATED_STEPS;
        return new SequencePlan(initial, frames, framesInput, feedback, n, mode, driftFactor, device);
    }
}
