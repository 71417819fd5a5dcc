package org.tensorscope.onnx.internal.run;

import java.util.List;
import java.util.Map;

import org.tensorscope.core.trace.UncheckedTensor;

/**
 * A model as ONNX Runtime is given it to check it: the branch of each If chosen for the input
 * inlined in place of the If, Loop and Scan bodies returning their values of every iteration, and
 * every value a graph output.
 *
 * @param bytes       the ModelProto
 * @param computed    the ONNX name, in this model, of each tensor ("op:k") ONNX Runtime computes at its top level
 * @param pendingIfs  If nodes still in the model whose branch is not chosen yet
 * @param loops       Loop and Scan nodes whose body values are returned, by op name
 * @param notComputed tensors in branches this input does not take, with where they are
 * @param unchecked   tensors that this model does not let be checked, with the reason
 */
record InlinedModel(byte[] bytes, Map<String, String> computed, List<PendingIf> pendingIfs,
        Map<String, ExposedLoop> loops, Map<String, String> notComputed, List<UncheckedTensor> unchecked) {

    /**
     * An If whose condition must be known to choose its branch.
     *
     * @param op       the If op
     * @param cond     the condition's tensor name
     * @param condOnnx its ONNX name in the model
     */
    record PendingIf(String op, String cond, String condOnnx) {
    }

    /**
     * A Loop or Scan whose body values come out stacked, one slice per iteration (axis 0).
     *
     * @param op      the Loop or Scan op
     * @param type    "Loop" or "Scan"
     * @param stacked the ONNX name of the stacked output of each body tensor ("op:k")
     */
    record ExposedLoop(String op, String type, Map<String, String> stacked) {
    }

    /** The same without the model's bytes, which ONNX Runtime has copied once its session is open. */
    InlinedModel withoutBytes() {
        return new InlinedModel(new byte[0], computed, pendingIfs, loops, notComputed, unchecked);
    }

    /** The loop a body tensor's values come from, if it is one whose values are returned. */
    java.util.Optional<ExposedLoop> loopOf(String tensor) {
        return loops.values().stream().filter(l -> l.stacked().containsKey(tensor)).findFirst();
    }
}
