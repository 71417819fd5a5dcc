package org.tensorscope.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    @Test
    void theLaunchersModelCommandsAreTheCommandsThatStartTheWorkerRightAway() throws IOException {
        String list = Files.readString(repository().resolve(LIST));
        Matcher line = Pattern.compile("(?m)^#model-commands:(.*)$").matcher(list);
        assertTrue(line.find(), LIST + " must have a #model-commands: line");
        Set<String> listed = new TreeSet<>(Arrays.asList(line.group(1).strip().split(" +")));

        assertEquals(new TreeSet<>(CliApplication.MODEL_COMMANDS), listed,
                LIST + "'s model-commands must be CliApplication's MODEL_COMMANDS");
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
