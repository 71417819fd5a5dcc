package org.tensorscope.core.compare;

import java.util.List;
import java.util.Map;

import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.service.InferenceSession;
import org.tensorscope.core.tensor.TensorData;

/**
 * One side of a comparison, ready to run: a model open in a session, the signature to run and its
 * feeds. The caller owns (and closes) the session.
 *
 * @param graph     the model's graph
 * @param signature the signature to run; null for a weights-only comparison
 * @param session   a session on the model
 * @param feeds     the inputs by tensor name ("op:k"); empty for a weights-only comparison
 * @param inputs    the inputs in words for the report, "name = source" each
 */
public record ComparedRun(ModelGraph graph, Signature signature, InferenceSession session,
        Map<String, TensorData> feeds, List<String> inputs) {

    public ComparedRun {
        feeds = Map.copyOf(feeds);
        inputs = List.copyOf(inputs);
    }
}
