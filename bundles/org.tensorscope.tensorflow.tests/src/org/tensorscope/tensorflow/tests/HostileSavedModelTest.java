package org.tensorscope.tensorflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.tensorflow.internal.JavaCppCache;
import org.tensorscope.tensorflow.internal.load.SavedModelLoader;

/** A SavedModel's variables/ and assets/ must be regular files inside its folder before TensorFlow reads them. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HostileSavedModelTest {

    @TempDir
    Path dir;

    private final SavedModelLoader loader = new SavedModelLoader();

    @BeforeAll
    static void useTheProjectsNativeCache() {
        JavaCppCache.configure();
    }

    /** tf1_half_plus_two copied into dir/model, its variables data left for the test to supply. */
    private Path model() throws Exception {
        Path source = TestModels.get("savedmodel/tf1_half_plus_two");
        Path model = Files.createDirectories(dir.resolve("model/variables"));
        Files.createDirectories(dir.resolve("model/assets"));
        Files.copy(source.resolve("saved_model.pb"), dir.resolve("model/saved_model.pb"));
        Files.copy(source.resolve("variables/variables.index"), model.resolve("variables.index"));
        Files.copy(source.resolve("assets/foo.txt"), dir.resolve("model/assets/foo.txt"));
        return dir.resolve("model");
    }

    private static Path data(Path model) {
        return model.resolve("variables/variables.data-00000-of-00001");
    }

    @Test
    void theCopyLoads() throws Exception {
        Path model = model();
        Files.copy(TestModels.get("savedmodel/tf1_half_plus_two/variables/variables.data-00000-of-00001"), data(model));
        try (var loaded = loader.load(model, new NullProgressMonitor())) {
            assertTrue(loaded.graph().ops().size() > 0);
        }
    }

    @Test
    void variablesLinkedOutsideTheFolderAreRefused() throws Exception {
        Path model = model();
        Path outside = Files.copy(TestModels.get("savedmodel/tf1_half_plus_two/variables/variables.data-00000-of-00001"),
                dir.resolve("elsewhere.data"));
        Files.createSymbolicLink(data(model), outside);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> loader.load(model, new NullProgressMonitor()));
        assertTrue(e.getMessage().startsWith(data(model) + ": refused: a link to " + outside.toRealPath()), e.getMessage());
    }

    @Test
    void anAssetLinkedToASystemFileIsRefused() throws Exception {
        Path model = model();
        Files.copy(TestModels.get("savedmodel/tf1_half_plus_two/variables/variables.data-00000-of-00001"), data(model));
        Files.createSymbolicLink(model.resolve("assets/passwd"), Path.of("/etc/passwd"));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> loader.load(model, new NullProgressMonitor()));
        assertEquals(model.resolve("assets/passwd") + ": refused: a link to /etc/passwd, outside the model folder "
                + model.toAbsolutePath(), e.getMessage());
    }

    @Test
    void aFifoAsVariablesDataIsRefusedWithoutBlocking() throws Exception {
        Path model = model();
        assertEquals(0, new ProcessBuilder("mkfifo", data(model).toString()).start().waitFor());
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> loader.load(model, new NullProgressMonitor()));
        assertEquals(data(model) + ": not a regular file (a pipe, socket or device); refused", e.getMessage());
    }
}
