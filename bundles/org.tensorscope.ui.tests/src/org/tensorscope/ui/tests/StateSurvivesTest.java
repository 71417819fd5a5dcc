package org.tensorscope.ui.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.eclipse.core.runtime.ILogListener;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Platform;
import org.eclipse.swt.widgets.Display;
import org.junit.jupiter.api.Test;
import org.osgi.framework.FrameworkUtil;
import org.tensorscope.core.trace.Breakpoint;
import org.tensorscope.ui.internal.session.Breakpoints;
import org.tensorscope.ui.internal.session.DebugSession;
import org.tensorscope.ui.internal.session.Demo;
import org.tensorscope.ui.internal.session.RecentModels;

/**
 * Remembered state that was damaged (a crash, a full disk, a hand edit) never stands between the
 * user and the model: the workbench opens the model with defaults, sets the damaged files aside
 * with their content, and says so in one line.
 */
class StateSurvivesTest {

    private static Path stateFolder() {
        return Platform.getStateLocation(FrameworkUtil.getBundle(DebugSession.class)).toFile().toPath();
    }

    private static void openAndWait(Display display, Path model) {
        DebugSession session = TestServices.get(DebugSession.class);
        session.closeModel();
        session.open(model, null, false);
        assertTrue(UiWait.until(display, () -> session.graph().isPresent()
                && session.graph().get().source().equals(model), 60_000), model + " did not open");
    }

    private static List<Path> siblingsStartingWith(Path file) throws IOException {
        try (Stream<Path> files = Files.list(file.getParent())) {
            return files.filter(f -> f.getFileName().toString().startsWith(file.getFileName() + ".corrupt-"))
                    .collect(Collectors.toCollection(ArrayList::new));
        }
    }

    /** The state file that names the model: found as a user would, by the path written inside. */
    private static Path memoryFileOf(Path model) throws IOException {
        try (Stream<Path> files = Files.list(stateFolder().resolve("models"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).filter(f -> {
                try {
                    return Files.readString(f).contains("\"model\": \"" + model + "\"");
                } catch (IOException e) {
                    return false;
                }
            }).findFirst().orElseThrow(() -> new AssertionError("no state file names " + model));
        }
    }

    @Test
    void aModelOpensWithDefaultsWhenItsStateFilesAreCorruptAndTheyAreSetAside() throws Exception {
        Display display = Display.getCurrent();
        DebugSession session = TestServices.get(DebugSession.class);
        Path model = Demo.modelFile();
        openAndWait(display, model);
        Breakpoint remembered = new Breakpoint.MaxAbsAbove(7.0, true);
        TestServices.get(Breakpoints.class).removeAll();
        TestServices.get(Breakpoints.class).add(remembered);
        Path memory = memoryFileOf(model);
        Path recent = stateFolder().resolve("recent-models.json");
        assertTrue(Files.readString(recent).contains(model.toString()), Files.readString(recent));

        // damage both: the model's memory cut short, a folder where the recent models belong
        byte[] truncated = Files.readAllBytes(memory);
        truncated = Arrays.copyOf(truncated, truncated.length / 2);
        Files.write(memory, truncated);
        Files.delete(recent);
        Files.createDirectories(recent.resolve("inside"));
        List<Path> memoryAsideBefore = siblingsStartingWith(memory);
        List<Path> recentAsideBefore = siblingsStartingWith(recent);

        List<IStatus> logged = new CopyOnWriteArrayList<>();
        List<Thread> setAsideOn = new CopyOnWriteArrayList<>();
        ILogListener listener = (status, plugin) -> {
            logged.add(status);
            if (status.getMessage().contains("set aside")) {
                setAsideOn.add(Thread.currentThread());
            }
        };
        Platform.addLogListener(listener);
        try {
            openAndWait(display, model);
        } finally {
            Platform.removeLogListener(listener);
        }

        assertEquals(List.of(), TestServices.get(Breakpoints.class).all(), "the damaged memory gives no breakpoints");
        assertEquals(List.of(), session.configuration().inputSources(), "nor a run configuration: the defaults");
        assertNull(session.configuration().signature());

        List<Path> memoryAside = siblingsStartingWith(memory);
        memoryAside.removeAll(memoryAsideBefore);
        assertEquals(1, memoryAside.size(), "the model's damaged memory is set aside: " + memoryAside);
        assertArrayEquals(truncated, Files.readAllBytes(memoryAside.get(0)), "with every byte it had");
        assertFalse(Files.exists(memory), "nothing was remembered since, so no new memory yet");

        List<Path> recentAside = siblingsStartingWith(recent);
        recentAside.removeAll(recentAsideBefore);
        assertEquals(1, recentAside.size(), "the folder is set aside: " + recentAside);
        assertTrue(Files.isDirectory(recentAside.get(0).resolve("inside")));
        assertTrue(Files.isRegularFile(recent), "a fresh recent models file replaces it");
        assertEquals(model, TestServices.get(RecentModels.class).list().get(0));

        List<String> notices = logged.stream().filter(s -> s.getSeverity() == IStatus.WARNING)
                .map(IStatus::getMessage).filter(m -> m.contains("set aside")).toList();
        assertEquals(2, notices.size(), String.valueOf(notices));
        assertTrue(notices.get(0).startsWith(memory + ": is not valid JSON (line ")
                && notices.get(0).endsWith("; set aside as " + memoryAside.get(0).getFileName()
                        + ", starting from defaults"), notices.get(0));
        assertEquals(recent + ": is a folder, not a file; set aside as " + recentAside.get(0).getFileName()
                + ", starting from defaults", notices.get(1));
        assertTrue(logged.stream().allMatch(s -> s.getException() == null), "no stack trace in the log");
        // the state files were read and written by the job that opened the model: disk waits stalled the UI
        assertEquals(2, setAsideOn.size());
        assertTrue(setAsideOn.stream().noneMatch(display.getThread()::equals), "state files read on the UI thread");

        // remembering works again from scratch
        TestServices.get(Breakpoints.class).add(remembered);
        assertTrue(Files.readString(memory, StandardCharsets.UTF_8).contains("maxabs 7.0 on"), Files.readString(memory));
        TestServices.get(Breakpoints.class).removeAll();
    }
}
