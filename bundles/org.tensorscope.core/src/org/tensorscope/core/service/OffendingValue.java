package org.tensorscope.core.service;

/**
 * One input element that made an op produce NaN or infinity.
 *
 * @param input    which input of the op, 0-based
 * @param position the element's position in that input
 * @param value    its value
 */
public record OffendingValue(int input, long[] position, double value) {

    public OffendingValue {
        position = position.clone();
    }

    @Override
    public long[] position() {
        return position.clone();
    }
}
