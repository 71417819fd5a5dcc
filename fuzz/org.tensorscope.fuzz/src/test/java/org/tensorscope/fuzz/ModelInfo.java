package org.tensorscope.fuzz;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.SideEffectOps;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.StateChangeOps;
import org.tensorscope.core.model.WeightInfo;

/**
 * What {@code tensorscope info} reads of a loaded model: the op histogram, signatures, weights, the
 * op guard's findings. A model that loads must survive being described.
 */
final class ModelInfo {

    private ModelInfo() {
    }

    static String describe(ModelGraph graph) {
        StringBuilder text = new StringBuilder();
        Map<String, Long> types = new TreeMap<>();
        graph.ops().forEach(op -> types.merge(op.type(), 1L, Long::sum));
        text.append(graph.source()).append(' ').append(graph.format()).append(' ').append(types).append('\n');
        for (Signature signature : graph.signatures()) {
            signature.inputs().forEach(t -> text.append(t.key()).append(t.tensor().dtype().displayName())
                    .append(t.tensor().shape()).append('\n'));
            signature.outputs().forEach(t -> text.append(t.key()).append(t.tensor().dtype().displayName())
                    .append(t.tensor().shape()).append('\n'));
        }
        for (WeightInfo w : graph.weights()) {
            text.append(w.opName()).append(w.shape().numElements()).append(w.nonFiniteCount()).append('\n');
        }
        List<OpNode> risky = SideEffectOps.in(graph);
        risky.forEach(op -> text.append(SideEffectOps.describe(op)).append('\n'));
        SideEffectOps.refusal(graph).ifPresent(text::append);
        StateChangeOps.in(graph).forEach(op -> text.append(StateChangeOps.target(op)).append('\n'));
        return text.toString();
    }
}
