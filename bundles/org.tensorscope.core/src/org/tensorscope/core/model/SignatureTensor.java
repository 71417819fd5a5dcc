package org.tensorscope.core.model;

/**
 * An input or output of a signature: the key callers use and the graph tensor behind it.
 */
public record SignatureTensor(String key, TensorSpec tensor) {
}
