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
        super(file + ": " + oneLine(problem), cause);
        this.file = file;
        this.problem = oneLine(problem);
    }

    /** A model's names may hold line breaks and other control characters: shown escaped, the message stays one line. */
    private static String oneLine(String problem) {
        if (problem == null || problem.chars().noneMatch(Character::isISOControl)) {
            return problem;
        }
        StringBuilder line = new StringBuilder(problem.length() + 8);
        problem.chars().forEach(c -> line.append(c == '\n' ? "\\n" : c == '\t' ? "\\t"
                : Character.isISOControl(c) ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return line.toString();
    }

    public Path file() {
        return file;
    }

    /** The problem alone, without the file name. */
    public String problem() {
        return problem;
    }
}
