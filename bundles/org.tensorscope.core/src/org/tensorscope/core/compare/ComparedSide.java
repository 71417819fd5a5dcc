package org.tensorscope.core.compare;

import java.util.List;

/**
 * What one side of a comparison ran: the model, the signature and the inputs it was given.
 *
 * @param model      the model file or folder as given
 * @param format     its format as users name it ("TF.js graph model")
 * @param signature  the signature run, empty for a weights-only comparison
 * @param inputs     the inputs fed, "name = source" each; empty for a weights-only comparison
 * @param deviceNote what the backend chose when it differs from what was asked, empty otherwise
 */
public record ComparedSide(String model, String format, String signature, List<String> inputs, String deviceNote) {

    public ComparedSide {
        inputs = List.copyOf(inputs);
    }
}
