package org.tensorscope.core.compare;

/** How the tensors of side B were paired with those of side A. */
public enum TensorMatching {
    /** The same tensor names on both sides. */
    NAME("by name"),
    /** A name mapping the user gave, then the same names for tensors it does not list. */
    MAP("by the name mapping given, then by name"),
    /** The ops' positions along the two graphs, where their op types line up (the names differ). */
    POSITION("by position along the matching topology (op types in execution order)");

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
