package org.tensorscope.core.sequence;

import org.tensorscope.core.tensor.TensorData;

/**
 * Measures one output's frame-to-frame change while a sequence runs, and the change left after a
 * constant-velocity Kalman filter run element by element over the frames. With a fixed ratio of process to
 * measurement noise the filter's gain does not depend on the values, so one covariance serves every element
 * and the preview needs no tuning to the output's scale.
 */
final class JitterTracker {

    static final double Q_OVER_R = 0.01;
    static final String FILTER = "Kalman (constant velocity, q/r=" + Q_OVER_R + ")";

    private final String output;
    private double[] previous;
    private double[] x;
    private double[] v;
    private double p00 = 1;
    private double p01;
    private double p11 = 1;
    private int changes;
    private int step = -1;
    private double changeSum;
    private double maxChange = Double.NaN;
    private int maxChangeStep = -1;
    private double filteredSum;
    private double lagSum;
    private int lagSteps;

    JitterTracker(String output) {
        this.output = output;
    }

    void add(TensorData value) {
        step++;
        double[] y = FrameValues.of(value);
        if (previous == null || previous.length != y.length) {
            previous = y;
            x = y.clone();
            v = new double[y.length];
            return;
        }
        // predict with F = [[1,1],[0,1]], Q = q * [[1/4,1/2],[1/2,1]] (white acceleration), r = 1
        double q = Q_OVER_R;
        double a00 = p00 + 2 * p01 + p11 + q / 4;
        double a01 = p01 + p11 + q / 2;
        double a11 = p11 + q;
        double k0 = a00 / (a00 + 1);
        double k1 = a01 / (a00 + 1);
        p00 = (1 - k0) * a00;
        p01 = (1 - k0) * a01;
        p11 = a11 - k1 * a01;
        double change = 0;
        double filteredChange = 0;
        double lag = 0;
        int finite = 0;
        for (int i = 0; i < y.length; i++) {
            if (!Double.isFinite(y[i]) || !Double.isFinite(previous[i]) || !Double.isFinite(x[i])) {
                continue;
            }
            double predicted = x[i] + v[i];
            double innovation = y[i] - predicted;
            double filtered = predicted + k0 * innovation;
            v[i] = v[i] + k1 * innovation;
            change += Math.abs(y[i] - previous[i]);
            filteredChange += Math.abs(filtered - x[i]);
            lag += Math.abs(filtered - y[i]);
            x[i] = filtered;
            finite++;
        }
        previous = y;
        if (finite == 0) {
            return;
        }
        change /= finite;
        changes++;
        changeSum += change;
        filteredSum += filteredChange / finite;
        lagSum += lag / finite;
        lagSteps++;
        if (!(change <= maxChange)) {
            maxChange = change;
            maxChangeStep = step;
        }
    }

    JitterStats stats() {
        double mean = changes == 0 ? Double.NaN : changeSum / changes;
        double filtered = changes == 0 ? Double.NaN : filteredSum / changes;
        double reduction = changes == 0 || mean == 0 ? Double.NaN : 1 - filtered / mean;
        return new JitterStats(output, changes, mean, maxChange, maxChangeStep, FILTER, filtered, reduction,
                lagSteps == 0 ? Double.NaN : lagSum / lagSteps);
    }
}
