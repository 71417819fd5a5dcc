package org.tensorscope.core.input;

import java.util.Locale;

import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.service.ModelFiles;

/**
 * The most memory one input tensor may take, checked before it is allocated: 1 GiB unless the
 * system property {@code tensorscope.maxTensorBytes} or the environment variable
 * {@code TENSORSCOPE_MAX_TENSOR_BYTES} says otherwise (a byte count, or with k, m or g: "4g").
 */
public final class TensorBudget {

    public static final long DEFAULT_BYTES = 1L << 30;
    public static final String PROPERTY = "tensorscope.maxTensorBytes";
    public static final String ENVIRONMENT = "TENSORSCOPE_MAX_TENSOR_BYTES";

    private TensorBudget() {
    }

    /** The budget in bytes, never more than a Java buffer can hold. */
    public static long bytes() {
        return Math.min(computedBytes(), ModelFiles.MODEL_FILE_LIMIT);
    }

    /**
     * The budget for a tensor a backend computes in its own memory, which a Java buffer need not
     * hold: the configured value as it is.
     */
    public static long computedBytes() {
        String text = System.getProperty(PROPERTY, System.getenv(ENVIRONMENT));
        return text == null || text.isBlank() ? DEFAULT_BYTES : parse(text.trim());
    }

    static long parse(String text) {
        String lower = text.toLowerCase(Locale.ROOT).replaceAll("i?b$", "");
        long unit = switch (lower.isEmpty() ? ' ' : lower.charAt(lower.length() - 1)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            case 't' -> 1L << 40;
            default -> 1;
        };
        String digits = unit == 1 ? lower : lower.substring(0, lower.length() - 1);
        try {
            long value = Math.multiplyExact(Long.parseLong(digits.trim()), unit);
            if (value <= 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(ENVIRONMENT + " / " + PROPERTY + " should be a size such as 1g or 512m, not '"
                    + text + "'");
        }
    }

    /**
     * The bytes a tensor of this shape and type takes; refused when its element count overflows or
     * it exceeds the budget, naming {@code what} (an input, a file), the shape and the memory needed.
     */
    public static long check(String what, Shape shape, DType dtype) {
        long elements = 1;
        long bytes;
        try {
            for (long d : shape.dims()) {
                elements = Math.multiplyExact(elements, Math.max(d, 0));
            }
            bytes = Math.multiplyExact(elements, (long) Math.max(dtype.byteSize(), 1));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(what + ": shape " + shape + " has more elements than can be counted (overflow)");
        }
        long budget = bytes();
        if (bytes > budget) {
            throw new IllegalArgumentException(what + ": shape " + shape + " of " + dtype.displayName() + " would need "
                    + ModelFiles.sizeText(bytes) + " (" + elements + " elements), more than the " + ModelFiles.sizeText(budget)
                    + " allowed for one tensor; give a smaller shape, or raise " + ENVIRONMENT);
        }
        return bytes;
    }
}
