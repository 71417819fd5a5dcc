package org.tensorscope.cli.internal;

import org.tensorscope.core.service.BackendException;
import org.tensorscope.core.service.ModelLoadException;

import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * Turns a failed command into one line on stderr and exit code 2; the stack trace only with
 * {@code --verbose} or {@code TENSORSCOPE_VERBOSE=1}.
 */
final class UserErrorHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
        boolean expected = e instanceof ModelLoadException || e instanceof BackendException
                || e instanceof java.io.IOException || e instanceof IllegalArgumentException;
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        boolean verbose = verbose(parseResult);
        commandLine.getErr().println("tensorscope: " + (expected ? message : "internal error: " + message
                + (verbose ? "" : " (run again with --verbose for the details)")));
        if (verbose) {
            e.printStackTrace(commandLine.getErr());
        }
        return TensorscopeCommand.EXIT_USAGE;
    }

    private static boolean verbose(ParseResult parseResult) {
        return "1".equals(System.getenv("TENSORSCOPE_VERBOSE"))
                || parseResult.originalArgs().contains("--verbose");
    }
}
