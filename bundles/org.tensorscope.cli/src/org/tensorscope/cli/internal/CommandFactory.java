package org.tensorscope.cli.internal;

import org.tensorscope.core.service.Contributions;

import picocli.CommandLine;

/**
 * Creates commands with the contributions they need.
 */
final class CommandFactory implements CommandLine.IFactory {

    private final Contributions contributions;

    CommandFactory(Contributions contributions) {
        this.contributions = contributions;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
        if (type == VersionCommand.class) {
            return type.cast(new VersionCommand(contributions));
        }
        if (type == InfoCommand.class) {
            return type.cast(new InfoCommand(contributions));
        }
        if (type == RunCommand.class) {
            return type.cast(new RunCommand(contributions));
        }
        if (type == TraceCommand.class) {
            return type.cast(new TraceCommand(contributions));
        }
        return CommandLine.defaultFactory().create(type);
    }
}
