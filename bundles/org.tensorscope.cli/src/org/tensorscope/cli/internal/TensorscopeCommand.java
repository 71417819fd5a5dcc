package org.tensorscope.cli.internal;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The top-level {@code tensorscope} command; it only dispatches to subcommands.
 */
@Command(name = "tensorscope", mixinStandardHelpOptions = true,
        description = "Open trained neural networks, run them and find where NaN and infinity start.",
        subcommands = { VersionCommand.class, InfoCommand.class, RunCommand.class, TraceCommand.class, CompareCommand.class, SequenceCommand.class, picocli.CommandLine.HelpCommand.class })
public class TensorscopeCommand implements Runnable {

    /** Exit code of a wrong command line or an unreadable model. */
    public static final int EXIT_USAGE = 2;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing a command, e.g. 'version'.");
    }
}
