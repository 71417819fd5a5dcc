package org.tensorscope.core.compare;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.tensorscope.core.tensor.TensorData;

/**
 * Compares the values of two tensors of the same number of elements in one pass, widening each
 * element to double; nothing is copied.
 */
final class TensorDiff {

    /** The metrics plus the squared norms a weight's relative change needs. */
    record Result(ErrorMetrics metrics, double squaredNormA, double squaredDistance) {

        /** ||b - a|| / ||a||; +Inf when a is zero and b is not, 0 when both are zero. */
        double relativeChange() {
            if (squaredNormA == 0) {
                return squaredDistance == 0 ? 0 : Double.POSITIVE_INFINITY;
            }
            return Math.sqrt(squaredDistance / squaredNormA);
        }
    }

    private TensorDiff() {
    }

    static Result of(TensorData a, TensorData b, double tolerance) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException(a.name() + " has " + a.size() + " elements, " + b.name() + " " + b.size());
        }
        Reader ra = new Reader(a);
        Reader rb = new Reader(b);
        long n = a.size();
        double maxAbs = 0;
        double maxRel = 0;
        double maxError = 0;
        long worst = -1;
        double dot = 0;
        double normA = 0;
        double normB = 0;
        double distance = 0;
        long nanA = 0;
        long infA = 0;
        long nanB = 0;
        long infB = 0;
        long mismatches = 0;
        long beyond = 0;
        long firstMismatch = -1;
        for (long i = 0; i < n; i++) {
            double x = ra.get(i);
            double y = rb.get(i);
            boolean finiteX = Double.isFinite(x);
            boolean finiteY = Double.isFinite(y);
            if (!finiteX || !finiteY) {
                if (Double.isNaN(x)) {
                    nanA++;
                } else if (!finiteX) {
                    infA++;
                }
                if (Double.isNaN(y)) {
                    nanB++;
                } else if (!finiteY) {
                    infB++;
                }
                boolean same = Double.isNaN(x) ? Double.isNaN(y) : x == y;
                if (!same) {
                    mismatches++;
                    if (firstMismatch < 0) {
                        firstMismatch = i;
                    }
                }
                continue;
            }
            double diff = Math.abs(x - y);
            double ax = Math.abs(x);
            dot += x * y;
            normA += x * x;
            normB += y * y;
            distance += diff * diff;
            if (diff > maxAbs) {
                maxAbs = diff;
            }
            if (ax > 0 && diff / ax > maxRel) {
                maxRel = diff / ax;
            }
            double error = diff / (1 + ax);
            if (error > maxError) {
                maxError = error;
                worst = i;
            }
            if (error > tolerance) {
                beyond++;
            }
        }
        double cosine = normA == 0 && normB == 0 ? 1 : normA == 0 || normB == 0 ? 0 : dot / Math.sqrt(normA * normB);
        long at = firstMismatch >= 0 ? firstMismatch : worst;
        List<Long> position = new ArrayList<>();
        double worstA = Double.NaN;
        double worstB = Double.NaN;
        if (at >= 0) {
            for (long p : a.position(at)) {
                position.add(p);
            }
            worstA = ra.get(at);
            worstB = rb.get(at);
        }
        ErrorMetrics metrics = new ErrorMetrics(n, maxAbs, maxRel, maxError, Math.max(-1, Math.min(1, cosine)), nanA,
                infA, nanB, infB, mismatches, beyond, position, worstA, worstB);
        return new Result(metrics, normA, distance);
    }

    /** Reads elements as double, with float32 read straight from the buffer. */
    private static final class Reader {
        private final TensorData data;
        private final ByteBuffer bytes;
        private final boolean float32;

        Reader(TensorData data) {
            this.data = data;
            this.bytes = data.bytes();
            this.float32 = data.dtype() == org.tensorscope.core.model.DType.FLOAT32;
        }

        double get(long i) {
            return float32 ? bytes.getFloat(bytes.position() + Math.toIntExact(i) * 4) : data.getDouble(i);
        }
    }
}
