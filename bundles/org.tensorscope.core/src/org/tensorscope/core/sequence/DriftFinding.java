package org.tensorscope.core.sequence;

/**
 * An output or fed-back state that grew beyond a factor of its starting magnitude.
 *
 * @param name          the output or state (signature key)
 * @param kind          "output" or "state"
 * @param step          the first step where its norm exceeds {@code factor} times its starting norm
 * @param baseStep      the step its starting norm was taken at: the first step where it is non-zero
 * @param baseNorm      its norm at {@code baseStep}
 * @param norm          its norm at {@code step}
 * @param factor        the threshold factor (10 by default)
 * @param growthPerStep the geometric mean growth of the norm per step from {@code baseStep} to {@code step}
 * @param op            the op where the growth shows first: the first op in execution order (not a fed input)
 *                      whose max|x| passed the same factor of its own starting value, at the earliest step any
 *                      did; null when no op's did
 * @param opType        that op's type, null with it
 * @param opStep        the step where that op passed the factor, -1 with no op
 */
public record DriftFinding(String name, String kind, int step, int baseStep, double baseNorm, double norm,
        double factor, double growthPerStep, String op, String opType, int opStep) {
}
