package org.tensorscope.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.tensorscope.core.service.LoadedModel;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.core.service.ModelLoader;

/**
 * The command line as a script sees it: exit codes, and one line on stderr naming the file and the
 * problem, without a stack trace unless --verbose asks for one. A stub loader stands in for the
 * model formats: it claims *.stub files and refuses them the way a real loader refuses a bad file.
 */
class CommandLineTest {

    @RegisterExtension
    static final StubCli cli = new StubCli(new StubLoader());

    @TempDir
    Path folder;

    @Test
    void noCommandSaysWhatIsMissing() {
        assertEquals(TensorscopeCommand.EXIT_USAGE, cli.run());
        assertTrue(cli.err().contains("Missing a command, e.g. 'version'"), cli.err());
    }

    @Test
    void anUnknownCommandIsNamed() {
        assertEquals(TensorscopeCommand.EXIT_USAGE, cli.run("frobnicate", "model.pb"));
        assertTrue(cli.err().contains("frobnicate"), cli.err());
        assertFalse(cli.err().contains("Exception"), cli.err());
    }

    @Test
    void anUnknownOptionIsNamed() {
        assertEquals(TensorscopeCommand.EXIT_USAGE, cli.run("trace", "model.pb", "--no-such-option"));
        assertTrue(cli.err().contains("--no-such-option"), cli.err());
    }

    @Test
    void anOptionWithoutItsValueIsNamed() {
        assertEquals(TensorscopeCommand.EXIT_USAGE, cli.run("run", "model.pb", "--input"));
        assertTrue(cli.err().contains("--input"), cli.err());
    }

    @Test
    void aTimeoutThatIsNotANumberIsRefused() {
        assertEquals(TensorscopeCommand.EXIT_USAGE, cli.run("trace", "model.pb", "--timeout", "soon"));
        assertTrue(cli.err().contains("soon"), cli.err());
    }

    @Test
    void aMissingModelIsOneLineNamingIt() {
        Path missing = folder.resolve("no-such-model");
        assertEquals(TensorscopeCommand.EXIT_USAGE, cli.run("info", missing.toString()));
        cli.oneLine();
        assertEquals("tensorscope: " + missing + ": no such file or folder", cli.err().strip());
    }

    @Test
    void aModelTheLoaderRefusesIsOneLineWithTheLoadersWords() throws IOException {
        Path bad = Files.writeString(folder.resolve("bad.stub"), "garbage");
        assertEquals(TensorscopeCommand.EXIT_USAGE, cli.run("info", bad.toString()));
        cli.oneLine();
        assertEquals("tensorscope: " + bad + ": not a stub model (it says garbage)", cli.err().strip());
    }

    @Test
    void verboseAddsTheStackTrace() throws IOException {
        Path bad = Files.writeString(folder.resolve("bad.stub"), "garbage");
        assertEquals(TensorscopeCommand.EXIT_USAGE, cli.run("info", bad.toString(), "--verbose"));
        assertTrue(cli.err().lines().findFirst().orElseThrow().endsWith("not a stub model (it says garbage)"));
        assertTrue(cli.err().contains("ModelLoadException"), cli.err());
    }

    @Test
    void aFileNoLoaderReadsNamesTheInstalledFormats() throws IOException {
        Path text = Files.writeString(folder.resolve("notes.txt"), "hello");
        assertEquals(TensorscopeCommand.EXIT_USAGE, cli.run("info", text.toString()));
        cli.oneLine();
        assertTrue(cli.err().contains("notes.txt: not a model format Tensorscope can read (formats: Stub format)"),
                cli.err());
    }

    /** A folder holding models (a TF.js model's folder, a folder of SavedModels) is refused naming what to open. */
    @Test
    void aFolderThatIsNoModelNamesTheModelsInIt() throws IOException {
        Path holder = Files.createDirectories(folder.resolve("holder"));
        Files.writeString(holder.resolve("notes.txt"), "hello");
        Files.writeString(holder.resolve("model.stub"), "stub");
        Files.createDirectories(holder.resolve("saved.stub"));
        Files.createDirectories(holder.resolve("empty"));
        assertEquals(TensorscopeCommand.EXIT_USAGE, cli.run("info", holder.toString()));
        cli.oneLine();
        assertTrue(cli.err().contains("holder: not a model format Tensorscope can read; open a model in it: "
                + "model.stub, saved.stub (formats: Stub format)"), cli.err());
    }

    /** A folder holding one model (a TF.js model's folder: its JSON beside its weights) opens that model. */
    @Test
    void aFolderHoldingOneModelOpensIt() throws IOException {
        Path holder = Files.createDirectories(folder.resolve("single"));
        Files.writeString(holder.resolve("notes.txt"), "hello");
        Files.writeString(holder.resolve("model.stub"), "opened");
        Files.createDirectories(holder.resolve("empty"));
        assertEquals(TensorscopeCommand.EXIT_USAGE, cli.run("info", holder.toString()));
        cli.oneLine();
        // the stub loader refuses every file it opens with the file's text: this one was opened
        assertTrue(cli.err().contains("model.stub: not a stub model (it says opened)"), cli.err());
    }

    /** A folder of models' folders (TF.js models side by side) is refused naming the folders that open. */
    @Test
    void aFolderOfModelFoldersNamesThem() throws IOException {
        Path models = Files.createDirectories(folder.resolve("models"));
        for (String name : List.of("pose", "hand")) {
            Path model = Files.createDirectories(models.resolve(name));
            Files.writeString(model.resolve(name + ".stub"), "stub");
            Files.writeString(model.resolve("weights.bin"), "");
        }
        Path two = Files.createDirectories(models.resolve("two"));
        Files.writeString(two.resolve("a.stub"), "stub");
        Files.writeString(two.resolve("b.stub"), "stub");
        Files.createDirectories(models.resolve("empty"));
        assertEquals(TensorscopeCommand.EXIT_USAGE, cli.run("info", models.toString()));
        cli.oneLine();
        assertTrue(cli.err().contains("models: not a model format Tensorscope can read; open a model in it: hand, pose "
                + "(formats: Stub format)"), cli.err());
    }

    /** Without the ONNX extension, an .onnx file is refused saying how to get it, not as an unknown format. */
    @Test
    void anOnnxFileWithoutTheExtensionSaysHowToInstallIt() throws IOException {
        Path onnx = Files.write(folder.resolve("model.onnx"), new byte[] { 8, 7, 18, 4, 't', 'e', 's', 't' });
        assertEquals(TensorscopeCommand.EXIT_USAGE, cli.run("info", onnx.toString()));
        cli.oneLine();
        assertTrue(cli.err().contains("model.onnx: an ONNX model: ONNX support is an extension, installed with Help >"
                + " Install New Software in the workbench (see the README's \"ONNX models\") (formats: Stub format)"),
                cli.err());
    }

    @Test
    void aBugIsAnInternalErrorPointingAtVerbose() throws IOException {
        Path crash = Files.writeString(folder.resolve("crash.stub"), "crash");
        assertEquals(TensorscopeCommand.EXIT_USAGE, cli.run("info", crash.toString()));
        cli.oneLine();
        assertEquals("tensorscope: internal error: the stub loader broke (run again with --verbose for the details)",
                cli.err().strip());
    }

    @Test
    void helpListsEveryCommandAndExitsZero() {
        assertEquals(0, cli.run("--help"));
        String help = cli.out();
        for (String command : new String[] { "version", "info", "run", "trace", "compare", "sequence", "help" }) {
            assertTrue(help.lines().anyMatch(l -> l.strip().startsWith(command + " ")), command + " missing from:\n" + help);
        }
        assertEquals("", cli.err());
    }

    @Test
    void helpOfACommandShowsItsOptions() {
        assertEquals(0, cli.run("help", "trace"));
        assertTrue(cli.out().contains("--timeout=SECONDS"), cli.out());
        assertTrue(cli.out().contains("--input=[NAME=]SOURCE"), cli.out());
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
