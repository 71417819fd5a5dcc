package org.tensorscope.ui.internal.session;

import java.util.List;

/**
 * What Run > Run Sequence… asks for, as the command line spells it.
 *
 * @param kind     0 a folder of images, 1 an .npy stack, 2 generated frames
 * @param frames   the folder, the .npy file or the generated source (e.g. {@code ramp*1.5^t})
 * @param input    the input the frames feed (its signature key); empty for the model's first input
 * @param feedback {@code OUTPUT=INPUT} or {@code INPUT=expression} texts
 * @param steps    how many steps to run, 0 for as many as there are frames
 */
public record SequenceSettings(int kind, String frames, String input, List<String> feedback, int steps) {

    public SequenceSettings {
        feedback = List.copyOf(feedback);
    }

    public static SequenceSettings defaults() {
        return new SequenceSettings(2, "ramp*1.5^t", "", List.of(), 10);
    }
}
