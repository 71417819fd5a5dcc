package org.tensorscope.core;

/**
 * Event topics the workbench posts as a debugging session moves on; views listen to them.
 * The event's data is the session itself unless stated otherwise.
 */
public final class DebugTopics {

    private static final String BASE = "org/tensorscope/debug/";

    /** A model was opened (or closed: then the session holds no model). */
    public static final String MODEL = BASE + "model";

    /** A run finished: the session holds a new trace. */
    public static final String TRACE = BASE + "trace";

    /** The stepping cursor or the selected op changed. */
    public static final String CURSOR = BASE + "cursor";

    /** A sequence run moved on (a step was added, the run finished or another replaced it). */
    public static final String SEQUENCE = BASE + "sequence";

    /** A comparison of two runs was shown, or taken away. */
    public static final String COMPARISON = BASE + "comparison";

    /** Every topic above. */
    public static final String ALL = BASE + "*";

    private DebugTopics() {
    }
}
