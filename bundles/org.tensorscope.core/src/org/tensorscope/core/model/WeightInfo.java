package org.tensorscope.core.model;

/**
 * A weight of the model (a constant or variable) and whether it already holds non-finite values.
 *
 * @param opName         the Const/Variable op holding it
 * @param dtype          element type
 * @param shape          shape
 * @param bytes          size in bytes
 * @param nonFiniteCount NaN and ±Inf elements found at load, 0 for healthy weights, -1 when not checked
 */
public record WeightInfo(String opName, DType dtype, Shape shape, long bytes, long nonFiniteCount) {

    public boolean isHealthy() {
        return nonFiniteCount == 0;
    }
}
