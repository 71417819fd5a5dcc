package org.tensorscope.core.model;

/**
 * Element types of tensors, independent of any framework.
 */
public enum DType {
    FLOAT16(2, true), BFLOAT16(2, true), FLOAT32(4, true), FLOAT64(8, true),
    INT8(1, false), INT16(2, false), INT32(4, false), INT64(8, false),
    UINT8(1, false), UINT16(2, false), UINT32(4, false), UINT64(8, false),
    BOOL(1, false), STRING(-1, false), OTHER(-1, false);

    private final int byteSize;
    private final boolean floating;

    DType(int byteSize, boolean floating) {
        this.byteSize = byteSize;
        this.floating = floating;
    }

    /** Bytes per element, or -1 for variable-sized types. */
    public int byteSize() {
        return byteSize;
    }

    /** Whether values of this type can be NaN or infinite. */
    public boolean isFloating() {
        return floating;
    }

    /** The largest finite value of a floating type (65504 for float16), NaN for other types. */
    public double maxFinite() {
        return switch (this) {
            case FLOAT16 -> 65504;
            case BFLOAT16 -> 3.3895313892515355e38;
            case FLOAT32 -> Float.MAX_VALUE;
            case FLOAT64 -> Double.MAX_VALUE;
            default -> Double.NaN;
        };
    }

    /** The smallest positive normal value of a floating type; non-zero values below it are subnormal. */
    public double minNormal() {
        return switch (this) {
            case FLOAT16 -> 6.103515625e-5;
            case BFLOAT16, FLOAT32 -> Float.MIN_NORMAL;
            case FLOAT64 -> Double.MIN_NORMAL;
            default -> Double.NaN;
        };
    }

    /** Lower-case name as users and JSON reports write it, e.g. "float32". */
    public String displayName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
