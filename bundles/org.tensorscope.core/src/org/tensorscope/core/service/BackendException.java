package org.tensorscope.core.service;

/**
 * A backend could not do what was asked; the message says why in words a user understands.
 */
public class BackendException extends Exception {

    private static final long serialVersionUID = 1L;

    public BackendException(String message) {
        super(message);
    }

    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
