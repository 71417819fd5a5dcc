package org.tensorscope.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;

import org.eclipse.core.runtime.IProgressMonitor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.tensorscope.core.service.Contributions;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.core.service.ModelLoader;

/**
 * The command line as a script sees it: exit codes, and one line on stderr naming the file and the
 * problem, without a stack trace unless --verbose asks for one. A stub loader stands in for the
 * model formats: it claims *.stub files and refuses them the way a real loader refuses a bad file.
 */
class CommandLineTest {

    private static ServiceRegistration<ModelLoader> stub;
    private static Contributions contributions;

    @TempDir
    Path folder;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void registerStubLoader() {
        BundleContext context = FrameworkUtil.getBundle(CommandLineTest.class).getBundleContext();
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("tensorscope.format", "Stub format");
        stub = context.registerService(ModelLoader.class, new StubLoader(), properties);
        contributions = new Contributions(context, false);
    }

    @AfterAll
    static void unregister() {
        contributions.close();
        stub.unregister();
    }

    private int run(String... args) {
        return CliApplication.run(contributions, args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private void assertOneLineWithoutStackTrace() {
        String text = err.toString().strip();
        assertEquals(1, text.lines().count(), "one line on stderr, got: " + text);
        assertFalse(text.contains("Exception") || text.contains("\tat "), "no stack trace: " + text);
    }

    @Test
    void noCommandSaysWhatIsMissing() {
        assertEquals(TensorscopeCommand.EXIT_USAGE, run());
        assertTrue(err.toString().contains("Missing a command, e.g. 'version'"), err.toString());
    }

    @Test
    void anUnknownCommandIsNamed() {
        assertEquals(TensorscopeCommand.EXIT_USAGE, run("frobnicate", "model.pb"));
        assertTrue(err.toString().contains("frobnicate"), err.toString());
        assertFalse(err.toString().contains("Exception"), err.toString());
    }

    @Test
    void anUnknownOptionIsNamed() {
        assertEquals(TensorscopeCommand.EXIT_USAGE, run("trace", "model.pb", "--no-such-option"));
        assertTrue(err.toString().contains("--no-such-option"), err.toString());
    }

    @Test
    void anOptionWithoutItsValueIsNamed() {
        assertEquals(TensorscopeCommand.EXIT_USAGE, run("run", "model.pb", "--input"));
        assertTrue(err.toString().contains("--input"), err.toString());
    }

    @Test
    void aTimeoutThatIsNotANumberIsRefused() {
        assertEquals(TensorscopeCommand.EXIT_USAGE, run("trace", "model.pb", "--timeout", "soon"));
        assertTrue(err.toString().contains("soon"), err.toString());
    }

    @Test
    void aMissingModelIsOneLineNamingIt() {
        Path missing = folder.resolve("no-such-model");
        assertEquals(TensorscopeCommand.EXIT_USAGE, run("info", missing.toString()));
        assertOneLineWithoutStackTrace();
        assertEquals("tensorscope: " + missing + ": no such file or folder", err.toString().strip());
    }

    @Test
    void aModelTheLoaderRefusesIsOneLineWithTheLoadersWords() throws IOException {
        Path bad = Files.writeString(folder.resolve("bad.stub"), "garbage");
        assertEquals(TensorscopeCommand.EXIT_USAGE, run("info", bad.toString()));
        assertOneLineWithoutStackTrace();
        assertEquals("tensorscope: " + bad + ": not a stub model (it says garbage)", err.toString().strip());
    }

    @Test
    void verboseAddsTheStackTrace() throws IOException {
        Path bad = Files.writeString(folder.resolve("bad.stub"), "garbage");
        assertEquals(TensorscopeCommand.EXIT_USAGE, run("info", bad.toString(), "--verbose"));
        assertTrue(err.toString().lines().findFirst().orElseThrow().endsWith("not a stub model (it says garbage)"));
        assertTrue(err.toString().contains("ModelLoadException"), err.toString());
    }

    @Test
    void aFileNoLoaderReadsNamesTheInstalledFormats() throws IOException {
        Path text = Files.writeString(folder.resolve("notes.txt"), "hello");
        assertEquals(TensorscopeCommand.EXIT_USAGE, run("info", text.toString()));
        assertOneLineWithoutStackTrace();
        assertTrue(err.toString().contains("notes.txt: not a model format Tensorscope can read (formats: Stub format)"),
                err.toString());
    }

    @Test
    void aBugIsAnInternalErrorPointingAtVerbose() throws IOException {
        Path crash = Files.writeString(folder.resolve("crash.stub"), "crash");
        assertEquals(TensorscopeCommand.EXIT_USAGE, run("info", crash.toString()));
        assertOneLineWithoutStackTrace();
        assertEquals("tensorscope: internal error: the stub loader broke (run again with --verbose for the details)",
                err.toString().strip());
    }

    @Test
    void helpListsEveryCommandAndExitsZero() {
        assertEquals(0, run("--help"));
        String help = out.toString();
        for (String command : new String[] { "version", "info", "run", "trace", "compare", "sequence", "help" }) {
            assertTrue(help.lines().anyMatch(l -> l.strip().startsWith(command + " ")), command + " missing from:\n" + help);
        }
        assertEquals("", err.toString());
    }

    @Test
    void helpOfACommandShowsItsOptions() {
        assertEquals(0, run("help", "trace"));
        assertTrue(out.toString().contains("--timeout=SECONDS"), out.toString());
        assertTrue(out.toString().contains("--input=[NAME=]SOURCE"), out.toString());
    }

    /** Claims *.stub files; refuses them with the file's text, or breaks on "crash". */
    private static final class StubLoader implements ModelLoader {

        @Override
        public String format() {
            return "Stub format";
        }

        @Override
        public boolean canLoad(Path path) {
            return path.getFileName().toString().endsWith(".stub");
        }

        @Override
        public LoadedModel load(Path path, IProgressMonitor monitor) throws ModelLoadException {
            String text;
            try {
                text = Files.readString(path);
            } catch (IOException e) {
                throw new ModelLoadException(path, "cannot read it", e);
            }
            if (text.equals("crash")) {
                throw new IllegalStateException("the stub loader broke");
            }
            throw new ModelLoadException(path, "not a stub model (it says " + text + ")");
        }
    }
}
