package org.tensorscope.core.internal.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The folders of workers whose Tensorscope is gone are deleted; those of running ones are kept. */
class WorkerAreasTest {

    @TempDir
    Path temporary;

    @Test
    void deletesOnlyTheFoldersOfTensorscopesThatNoLongerRun() throws Exception {
        Path mine = WorkerAreas.create(temporary);
        Path ofAKilledOne = folder("tensorscope-worker1", Long.toString(endedProcess()));
        Path beingMade = folder("tensorscope-worker2", null);
        Path oldWithoutOwner = folder("tensorscope-worker3", null);
        Files.setLastModifiedTime(oldWithoutOwner, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
        Path someoneElses = folder("other-folder", Long.toString(endedProcess()));

        assertEquals(2, WorkerAreas.deleteStale(temporary));

        assertTrue(Files.isDirectory(mine), "the folder of this process was deleted");
        assertFalse(Files.exists(ofAKilledOne), "the folder of a process that ended was kept");
        assertTrue(Files.isDirectory(beingMade), "a fresh folder without an owner yet was deleted");
        assertFalse(Files.exists(oldWithoutOwner), "an old folder without an owner was kept");
        assertTrue(Files.isDirectory(someoneElses), "a folder that is not a worker's was deleted");
    }

    @Test
    void aSharedMemoryFolderNamesItsOwnerSoThatAKilledOnesIsFound() throws Exception {
        java.util.Optional<Path> shared = SharedArea.createFolder();
        if (shared.isEmpty()) {
            return; // no shared memory here: tensors cross through the socket
        }
        try {
            assertTrue(shared.get().getFileName().toString().startsWith(WorkerAreas.PREFIX));
            assertEquals(Long.toString(ProcessHandle.current().pid()), Files.readString(shared.get().resolve("owner")));
            SharedArea.deleteStaleFolders();
            assertTrue(Files.isDirectory(shared.get()), "the folder of this running process was deleted");
        } finally {
            WorkerAreas.delete(shared.get());
        }
    }

    private Path folder(String name, String owner) throws IOException {
        Path folder = Files.createDirectories(temporary.resolve(name).resolve("configuration")).getParent();
        Files.writeString(folder.resolve("configuration").resolve("config.ini"), "x=1");
        if (owner != null) {
            Files.writeString(folder.resolve("owner"), owner);
        }
        return folder;
    }

    private static long endedProcess() throws Exception {
        Process process = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-version")
                .redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        process.waitFor();
        return process.pid();
    }
}
