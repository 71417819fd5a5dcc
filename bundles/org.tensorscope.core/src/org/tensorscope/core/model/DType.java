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

    /** Lower-case name as users and JSON reports write it, e.g. "float32". */
    public String displayName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
