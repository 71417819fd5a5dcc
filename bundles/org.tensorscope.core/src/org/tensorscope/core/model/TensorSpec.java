package org.tensorscope.core.model;

import java.util.Objects;

/**
 * A tensor of a graph: its name ("op:index"), element type and static shape.
 */
public record TensorSpec(String name, DType dtype, Shape shape) {

    public TensorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
    }

    /** A tensor name from an op name or a tensor name: "conv" becomes "conv:0", "split:1" stays. */
    public static String tensorName(String opOrTensor) {
        int colon = opOrTensor.lastIndexOf(':');
        boolean hasIndex = colon > 0 && colon < opOrTensor.length() - 1
                && opOrTensor.substring(colon + 1).chars().allMatch(Character::isDigit);
        return hasIndex ? opOrTensor : opOrTensor + ":0";
    }

    /** The name of the op producing this tensor. */
    public String opName() {
        return opNameOf(name);
    }

    /** The name of the op producing a tensor: "split:1" gives "split". */
    public static String opNameOf(String tensor) {
        int colon = tensor.lastIndexOf(':');
        return colon < 0 ? tensor : tensor.substring(0, colon);
    }

    /** The output index of this tensor on its op. */
    public int outputIndex() {
        int colon = name.lastIndexOf(':');
        return colon < 0 ? 0 : Integer.parseInt(name.substring(colon + 1));
    }
}
