package org.tensorscope.core.sequence;

import org.tensorscope.core.report.NanReport;

/**
 * The first step of a sequence where NaN or infinity appeared, with the ordinary NaN trace of that step.
 *
 * @param step   the step, from 0
 * @param op     the origin op the step's NaN trace names
 * @param opType its type
 * @param kind   "input", "weights" or "computation", as in the NaN report
 * @param report the NaN trace of that step, as {@code tensorscope trace} gives it; null only when the run was
 *               cancelled while tracing it
 */
public record NanFinding(int step, String op, String opType, String kind, NanReport report) {
}
