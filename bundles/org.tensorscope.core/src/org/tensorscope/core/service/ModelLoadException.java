package org.tensorscope.core.service;

import java.nio.file.Path;

/**
 * A model could not be read. The message names the file and the problem.
 */
public class ModelLoadException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String problem;

    public ModelLoadException(Path file, String problem) {
        this(file, problem, null);
    }

    public ModelLoadException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    public Path file() {
        return file;
    }

    /** The problem alone, without the file name. */
    public String problem() {
        return problem;
    }
}
