package org.tensorscope.core.compare;

/** How the tensors of side B were paired with those of side A. */
public enum TensorMatching {
    /** The same tensor names on both sides. */
    NAME("by name"),
    /** A name mapping the user gave, then the same names for tensors it does not list. */
    MAP("by the name mapping given, then by name"),
    /**
     * The ops' places in the two graphs (the names differ): along the graph's edges from the paired inputs, then
     * by position in execution order, where op types and shapes line up.
     */
    POSITION("by position along the matching topology (op types and shapes, following the graph's edges)");

    private final String description;

    TensorMatching(String description) {
        this.description = description;
    }

    /** In words, e.g. "by name". */
    public String description() {
        return description;
    }

    /** Lower-case name as the reports write it, e.g. "position". */
    public String displayName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
