package org.tensorscope.core.sequence;

/**
 * How much one output changes from frame to frame, and how much a smoothing filter would reduce it.
 * A change is the mean |y[t] - y[t-1]| over the output's finite elements.
 *
 * @param output             the output (signature key)
 * @param changes            number of frame-to-frame changes measured (steps - 1)
 * @param meanChange         mean change per step
 * @param maxChange          largest change
 * @param maxChangeStep      the step t whose change from t-1 is largest, -1 with no change measured
 * @param filter             the filter previewed, e.g. "Kalman (constant velocity, q/r=0.01)"
 * @param filteredMeanChange mean change per step of the filtered output
 * @param reduction          1 - filteredMeanChange / meanChange: 0.8 means the filter removes 80% of the change
 * @param meanLag            mean |filtered - raw| over elements and steps: what the smoothing costs in accuracy
 */
public record JitterStats(String output, int changes, double meanChange, double maxChange, int maxChangeStep,
        String filter, double filteredMeanChange, double reduction, double meanLag) {
}
