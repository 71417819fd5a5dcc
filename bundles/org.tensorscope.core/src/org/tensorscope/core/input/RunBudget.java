package org.tensorscope.core.input;

/**
 * The most memory the intermediate tensors of one run may take at once, estimated from static
 * shapes before the run starts: 4 GiB unless the system property {@code tensorscope.maxRunBytes}
 * or the environment variable {@code TENSORSCOPE_MAX_RUN_BYTES} says otherwise (a byte count, or
 * with k, m, g or t: "8g"). Together with the {@link TensorBudget} for any one tensor, it keeps a
 * run within what a desktop with 8 GB of memory can hold next to the workbench.
 */
public final class RunBudget {

    public static final long DEFAULT_BYTES = 4L << 30;
    public static final String PROPERTY = "tensorscope.maxRunBytes";
    public static final String ENVIRONMENT = "TENSORSCOPE_MAX_RUN_BYTES";

    private RunBudget() {
    }

    /** The budget in bytes. */
    public static long bytes() {
        String text = System.getProperty(PROPERTY, System.getenv(ENVIRONMENT));
        if (text == null || text.isBlank()) {
            return DEFAULT_BYTES;
        }
        try {
            return TensorBudget.parse(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ENVIRONMENT + " / " + PROPERTY + " should be a size such as 8g or 512m, not '"
                    + text + "'");
        }
    }
}
