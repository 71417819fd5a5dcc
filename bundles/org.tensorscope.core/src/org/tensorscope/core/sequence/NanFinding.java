package org.tensorscope.core.sequence;

import org.tensorscope.core.analysis.NanOrigin;
import org.tensorscope.core.report.NanReport;

/**
 * The first step of a sequence where NaN or infinity appeared, with the ordinary NaN trace of that step.
 *
 * @param step   the step, from 0
 * @param op     the origin op the step's NaN trace names
 * @param opType its type
 * @param kind   whether the input, the weights or the computation is to blame, as in the NaN report; null
 *               when the step's trace found no origin
 * @param report the NaN trace of that step, as {@code tensorscope trace} gives it; null only when the run was
 *               cancelled while tracing it
 */
public record NanFinding(int step, String op, String opType, NanOrigin.Kind kind, NanReport report) {
}
