package org.tensorscope.core.state;

/** A state file's content cannot be understood; the message says why in words, e.g. "is not valid JSON (line 1, column 20)". */
public class CorruptStateException extends Exception {

    private static final long serialVersionUID = 1L;

    public CorruptStateException(String problem) {
        super(problem);
    }
}
