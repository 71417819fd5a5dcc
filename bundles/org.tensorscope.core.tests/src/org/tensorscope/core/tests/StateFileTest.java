package org.tensorscope.core.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorscope.core.state.AtomicFiles;
import org.tensorscope.core.state.CorruptStateException;
import org.tensorscope.core.state.StateFile;
import org.tensorscope.core.state.StateJson;

/**
 * State files survive crashes and corruption: writes replace the file whole or not at all, and a
 * file that cannot be understood is set aside with its content intact, named in one line, and
 * the defaults are used.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class StateFileTest {

    private static final List<String> DEFAULTS = List.of("(defaults)");
    private static final String GOOD = "{\"recentModels\": [\"/models/a.json\", \"/models/b.pb\"]}";

    @TempDir
    Path dir;

    private final List<String> notices = new ArrayList<>();

    private StateFile state() {
        return new StateFile(dir.resolve("recent.json"), notices::add);
    }

    private static List<String> recent(String text) throws CorruptStateException {
        return StateJson.strings(StateJson.object(text), "recentModels");
    }

    private List<String> read() {
        return state().read(StateFileTest::recent, () -> DEFAULTS);
    }

    private List<Path> setAside() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("recent.json.corrupt-")).sorted().toList();
        }
    }

    private List<String> folder() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aWrittenFileIsReadBackAndReplacedWholeLeavingNoTemporaryFile() throws Exception {
        state().write(GOOD);
        assertEquals(List.of("/models/a.json", "/models/b.pb"), read());
        state().write("{\"recentModels\": [\"/models/c.onnx\"]}");
        assertEquals(List.of("/models/c.onnx"), read());
        assertEquals(List.of("recent.json"), folder(), "no temporary file is left behind");
        assertEquals(List.of(), notices);
    }

    @Test
    void aWriteCreatesMissingFolders() throws Exception {
        Path nested = dir.resolve("models/ab12/state.json");
        AtomicFiles.write(nested, "{}");
        assertEquals("{}", Files.readString(nested));
    }

    @Test
    void noFileYetGivesTheDefaultsSilentlyAndCreatesNothing() throws Exception {
        assertEquals(DEFAULTS, read());
        assertEquals(List.of(), notices);
        assertEquals(List.of(), folder());
    }

    @Test
    void aWriteInterruptedBeforeItsRenameNeverReplacesTheGoodFile() throws Exception {
        state().write(GOOD);
        // what a crash between writing the temporary sibling and renaming it leaves behind
        Path leftover = dir.resolve(".recent.json.4242.tmp");
        Files.writeString(leftover, "{\"recentModels\": [\"/models/ha");
        assertEquals(List.of("/models/a.json", "/models/b.pb"), read(), "the good file is what is read");
        assertEquals(List.of(), notices);
        assertEquals(GOOD, Files.readString(dir.resolve("recent.json")));

        state().write("{\"recentModels\": [\"/models/c.onnx\"]}");
        assertEquals(List.of("/models/c.onnx"), read(), "the next write is not disturbed by the leftover");
        assertEquals("{\"recentModels\": [\"/models/ha", Files.readString(leftover), "the leftover was never promoted");
    }

    @Test
    void aFailedWriteKeepsTheGoodFileAndLeavesNoTemporaryFile() throws Exception {
        state().write(GOOD);
        Path blocked = Files.createDirectories(dir.resolve("blocked.json"));
        Files.writeString(blocked.resolve("inside"), "x");
        // renaming over a non-empty folder fails: the write fails as a whole
        assertThrows(IOException.class, () -> AtomicFiles.write(blocked, "{}"));
        assertEquals("x", Files.readString(blocked.resolve("inside")));
        assertEquals(List.of("blocked.json", "recent.json"), folder());
    }

    static Stream<Arguments> corrupt() {
        return Stream.of(
                Arguments.of("garbage bytes", new byte[] { (byte) 0xff, (byte) 0xfe, 0, 7, (byte) 0x80, 'x' },
                        "is not text (bytes that are not UTF-8)"),
                Arguments.of("truncated JSON", "{\"recentModels\": [\"/models/a.json\", \"/mod".getBytes(StandardCharsets.UTF_8),
                        "is not valid JSON (line 1, column 42)"),
                Arguments.of("a list instead of an object", "[\"/models/a.json\"]".getBytes(StandardCharsets.UTF_8),
                        "holds a list where a JSON object was expected"),
                Arguments.of("a number where the list belongs", "{\"recentModels\": 5}".getBytes(StandardCharsets.UTF_8),
                        "holds a number at \"recentModels\" where a list of texts was expected"),
                Arguments.of("an object in the list", "{\"recentModels\": [\"/a\", {}]}".getBytes(StandardCharsets.UTF_8),
                        "holds an object at \"recentModels\"[1] where a text was expected"),
                Arguments.of("an empty file", new byte[0], "is empty"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corrupt")
    void aCorruptFileIsSetAsideWithItsContentAndNamedInOneLine(String what, byte[] content, String problem)
            throws Exception {
        Path file = Files.write(dir.resolve("recent.json"), content);
        assertEquals(DEFAULTS, read(), what + ": the defaults are used");
        assertFalse(Files.exists(file), what + ": the corrupt file no longer stands in the way");
        List<Path> aside = setAside();
        assertEquals(1, aside.size(), what + ": " + folder());
        assertArrayEquals(content, Files.readAllBytes(aside.get(0)), what + ": the set-aside file keeps every byte");
        assertEquals(List.of(file + ": " + problem + "; set aside as " + aside.get(0).getFileName()
                + ", starting from defaults"), notices);
        assertFalse(notices.get(0).contains("\n") || notices.get(0).contains("Exception")
                || notices.get(0).contains("gson"), notices.get(0));

        state().write(GOOD);
        assertEquals(List.of("/models/a.json", "/models/b.pb"), read(), what + ": a fresh file is written and read");
        assertEquals(1, notices.size());
    }

    @Test
    void aFolderInThePlaceOfTheFileIsSetAside() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("recent.json"));
        Files.writeString(folder.resolve("kept.txt"), "kept");
        assertEquals(DEFAULTS, read());
        assertEquals(1, setAside().size());
        assertEquals("kept", Files.readString(setAside().get(0).resolve("kept.txt")));
        assertTrue(notices.get(0).startsWith(dir.resolve("recent.json") + ": is a folder, not a file; set aside as recent.json.corrupt-"),
                notices.get(0));
        state().write(GOOD);
        assertEquals(List.of("/models/a.json", "/models/b.pb"), read());
    }

    @Test
    void aFifoInThePlaceOfTheFileIsSetAsideWithoutBlocking() throws Exception {
        HostileFilesTest.mkfifo(dir.resolve("recent.json"));
        assertEquals(DEFAULTS, read());
        assertEquals(1, setAside().size());
        assertTrue(notices.get(0).contains("recent.json: is not a regular file; set aside as "), notices.get(0));
    }

    @Test
    void corruptFilesSetAsideInTheSameSecondKeepTheirOwnNames() throws Exception {
        Files.writeString(dir.resolve("recent.json"), "first");
        read();
        Files.writeString(dir.resolve("recent.json"), "[second]");
        read();
        List<Path> aside = setAside();
        assertEquals(2, aside.size(), String.valueOf(folder()));
        assertEquals(List.of("[second]", "first"), aside.stream().map(p -> {
            try {
                return Files.readString(p);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).sorted().toList());
        assertEquals(2, notices.size());
    }

    @Test
    void aDecoderThatSlipsCostsOnlyTheFile() throws Exception {
        Files.writeString(dir.resolve("recent.json"), GOOD);
        List<String> read = state().read(text -> {
            throw new IllegalStateException("a bug");
        }, () -> DEFAULTS);
        assertEquals(DEFAULTS, read);
        assertEquals(1, setAside().size());
        assertTrue(notices.get(0).contains("recent.json: cannot be understood (IllegalStateException); set aside"),
                notices.get(0));
    }

    @Test
    void stateJsonWritesWhatItReads() throws Exception {
        String json = StateJson.toJson(Map.of("recentModels", List.of("/models/ä b.json", "C:\\models\\<x>.pb")));
        assertEquals(List.of("/models/ä b.json", "C:\\models\\<x>.pb"), recent(json));
        assertEquals(null, StateJson.string(StateJson.object("{\"signature\": null}"), "signature", null));
        assertEquals("serve", StateJson.string(StateJson.object("{\"signature\": \"serve\"}"), "signature", null));
        CorruptStateException wrong = assertThrows(CorruptStateException.class,
                () -> StateJson.string(StateJson.object("{\"signature\": [1]}"), "signature", null));
        assertEquals("holds a list at \"signature\" where a text was expected", wrong.getMessage());
        CorruptStateException notObject = assertThrows(CorruptStateException.class,
                () -> StateJson.optionalObject(StateJson.object("{\"run\": true}"), "run"));
        assertEquals("holds a true/false value at \"run\" where an object was expected", notObject.getMessage());
    }
}
