package org.tensorscope.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The launchers tell the command line from the workbench by the first argument, reading the words
 * from the product's cli-commands file; it must list exactly the commands and help options of
 * {@link TensorscopeCommand}, so adding a command is done in one place and checked here.
 */
class CliCommandsTest {

    private static final Path LIST = Path.of("features", "org.tensorscope.feature", "rootfiles", "cli-commands");

    @Test
    void theLaunchersWordsAreTheCommandLinesCommandsAndHelpOptions() throws IOException {
        CommandLine commandLine = new CommandLine(new TensorscopeCommand(), new CommandFactory(null));
        Set<String> expected = new TreeSet<>(commandLine.getSubcommands().keySet());
        for (OptionSpec option : commandLine.getCommandSpec().options()) {
            if (option.usageHelp()) {
                expected.addAll(Set.of(option.names()));
            }
        }
        Set<String> listed = Files.readAllLines(repository().resolve(LIST)).stream().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).collect(Collectors.toCollection(TreeSet::new));

        assertEquals(expected, listed, LIST + " must list the commands and help options of TensorscopeCommand");
    }

    /** The repository the tests run in: Tycho runs them in a folder under this bundle's target/. */
    private static Path repository() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(LIST))) {
                return dir;
            }
        }
        throw new AssertionError(LIST + " not found above " + Path.of("").toAbsolutePath());
    }
}
