package org.tensorscope.core.trace;

/**
 * Where a tensor computed inside a loop body sits: its health row then aggregates every iteration
 * (NaN/±Inf counts summed, finite min/max over iterations).
 *
 * @param loop                     the loop, as the model names it (a TF1 frame name, a While op, an ONNX Loop node)
 * @param iterations               how many iterations ran, -1 when unknown
 * @param firstNonFiniteIteration  0-based iteration where a NaN/Inf first appeared, -1 when none did
 */
public record LoopHealth(String loop, long iterations, long firstNonFiniteIteration) {
}
