package org.tensorscope.ui.internal.extension;

import java.nio.file.Path;

/**
 * A bundle jar could not be installed; nothing of it is left in the framework. The message names
 * the file and the problem, e.g. "Missing: package com.example.foo [1.0.0,2.0.0)".
 */
public class ExtensionInstallException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String problem;

    public ExtensionInstallException(Path jar, String problem) {
        this(jar, problem, null);
    }

    public ExtensionInstallException(Path jar, String problem, Throwable cause) {
        super(jar.getFileName() + ": " + problem, cause);
        this.problem = problem;
    }

    /** The problem alone, without the file name. */
    public String problem() {
        return problem;
    }
}
