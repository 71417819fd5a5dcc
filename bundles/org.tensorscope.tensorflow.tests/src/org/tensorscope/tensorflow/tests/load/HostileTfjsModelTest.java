package org.tensorscope.tensorflow.tests.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tensorscope.core.model.WeightInfo;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.tensorflow.internal.JavaCppCache;
import org.tensorscope.tensorflow.internal.load.TfjsGraphModelLoader;

/**
 * TF.js models built to read what is not theirs or to break the loader: each is refused with one
 * line naming the file and the problem, and no byte of a file outside the model is read.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class HostileTfjsModelTest {

    private static final String SECRET = "TOP-SECRET-BYTES";

    @TempDir
    Path dir;

    private final TfjsGraphModelLoader loader = new TfjsGraphModelLoader();

    @BeforeAll
    static void useTheProjectsNativeCache() {
        JavaCppCache.configure();
    }

    private static final String NODES = """
            "modelTopology": {"node": [
              {"name": "w", "op": "Const", "attr": {"dtype": {"type": "DT_FLOAT"},
                "value": {"tensor": {"dtype": "DT_FLOAT", "tensorShape": {"dim": [{"size": "4"}]}}}}},
              {"name": "out", "op": "Identity", "input": ["w"], "attr": {"T": {"type": "DT_FLOAT"}}}]}""";

    /** A model whose one weight, w: float32[4], is read from the given manifest paths. */
    private Path model(String paths) throws IOException {
        return modelWithManifest("[{\"paths\": " + paths + ", \"weights\": [{\"name\": \"w\", \"shape\": [4], \"dtype\": \"float32\"}]}]");
    }

    private Path modelWithManifest(String manifest) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("model"));
        return Files.writeString(folder.resolve("model.json"),
                "{\"format\": \"graph-model\", " + NODES + ", \"weightsManifest\": " + manifest + "}");
    }

    private Path secret() throws IOException {
        return Files.writeString(dir.resolve("secret.bin"), SECRET); // 16 bytes: exactly a float32[4]
    }

    private static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    private ModelLoadException refused(Path modelJson) {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> loader.load(modelJson, null));
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertFalse(e.getMessage().matches(".*(Exception|Json(Primitive|Object|Array)|internal error).*"), e.getMessage());
        return e;
    }

    @Test
    void aShardInsideTheFolderLoads() throws Exception {
        Path json = model("[\"group1-shard1of1.bin\"]");
        Files.write(json.resolveSibling("group1-shard1of1.bin"), floats(1, 2, 3, 4));
        WeightInfo w = loader.load(json, null).graph().weights().stream().filter(i -> i.opName().equals("w")).findFirst()
                .orElseThrow();
        assertEquals(16, w.bytes());
    }

    @Test
    void anAbsoluteShardPathIsRefused() throws Exception {
        Path secret = secret();
        ModelLoadException e = refused(model("[\"" + secret + "\"]"));
        assertTrue(e.getMessage().startsWith(secret + ": refused: an absolute path"), e.getMessage());
    }

    @Test
    void aShardPathLeavingTheFolderIsRefused() throws Exception {
        secret();
        ModelLoadException e = refused(model("[\"../secret.bin\"]"));
        assertTrue(e.getMessage().contains("secret.bin: refused: outside the model folder"), e.getMessage());
        ModelLoadException passwd = refused(model("[\"../../../../../../../../etc/passwd\"]"));
        assertTrue(passwd.getMessage().startsWith("/etc/passwd: refused: outside the model folder"), passwd.getMessage());
    }

    @Test
    void aShardLinkedToAFileOutsideIsRefused() throws Exception {
        Path secret = secret();
        Path json = model("[\"shard.bin\"]");
        Files.createSymbolicLink(json.resolveSibling("shard.bin"), secret);
        ModelLoadException e = refused(json);
        assertTrue(e.getMessage().startsWith(json.resolveSibling("shard.bin") + ": refused: a link to"), e.getMessage());
        assertTrue(e.getMessage().contains("outside the model folder"), e.getMessage());
    }

    @Test
    void aShardThatIsADeviceOrFifoIsRefusedWithoutBlocking() throws Exception {
        Path json = model("[\"shard.bin\"]");
        Files.createSymbolicLink(json.resolveSibling("shard.bin"), Path.of("/dev/zero"));
        refused(json); // a link outside the folder
        Files.delete(json.resolveSibling("shard.bin"));
        assertEquals(0, new ProcessBuilder("mkfifo", json.resolveSibling("shard.bin").toString()).start().waitFor());
        ModelLoadException e = refused(json);
        assertTrue(e.getMessage().startsWith(json.resolveSibling("shard.bin").toRealPath() + ": not a regular file"),
                e.getMessage());
    }

    @Test
    void aShardShorterOrLongerThanTheManifestIsRefused() throws Exception {
        Path json = model("[\"shard.bin\"]");
        Files.write(json.resolveSibling("shard.bin"), floats(1, 2, 3));
        ModelLoadException shorter = refused(json);
        assertEquals(json + ": the weight file shard.bin has 12 bytes, the weights manifest declares 16 "
                + "(missing or truncated shard?)", shorter.getMessage());
        Files.write(json.resolveSibling("shard.bin"), floats(1, 2, 3, 4, 5));
        ModelLoadException longer = refused(json);
        assertTrue(longer.getMessage().contains("shard.bin has 20 bytes, the weights manifest declares 16"),
                longer.getMessage());
    }

    @Test
    void aManifestOfTheWrongShapeIsNamed() throws Exception {
        ModelLoadException number = refused(model("3"));
        assertEquals(dir.resolve("model/model.json") + ": weightsManifest[0].paths should be a list, not the number 3",
                number.getMessage());
        ModelLoadException object = refused(modelWithManifest("[{\"paths\": [], \"weights\": {\"name\": \"w\"}}]"));
        assertTrue(object.getMessage().endsWith("weightsManifest[0].weights should be a list, not an object"),
                object.getMessage());
        ModelLoadException path = refused(model("[7]"));
        assertTrue(path.getMessage().endsWith("weightsManifest[0].paths[0] is not a file name: 7"), path.getMessage());
        ModelLoadException notAList = refused(modelWithManifest("{\"paths\": []}"));
        assertTrue(notAList.getMessage().endsWith("weightsManifest should be a list, not an object"), notAList.getMessage());
        ModelLoadException noName = refused(modelWithManifest("[{\"paths\": [], \"weights\": [{\"shape\": [4]}]}]"));
        assertTrue(noName.getMessage().endsWith("weightsManifest[0].weights[0].name should be a string, not missing"),
                noName.getMessage());
        ModelLoadException hugeShape = refused(modelWithManifest(
                "[{\"paths\": [], \"weights\": [{\"name\": \"w\", \"shape\": [4611686018427387904, 4], \"dtype\": \"float32\"}]}]"));
        assertTrue(hugeShape.getMessage().contains("weight w has a shape whose size overflows"), hugeShape.getMessage());
    }

    @Test
    void aTopologyOfTheWrongShapeIsNamed() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("model"));
        Path json = Files.writeString(folder.resolve("model.json"), "{\"modelTopology\": {\"node\": [3]}}");
        ModelLoadException e = refused(json);
        assertTrue(e.getMessage().contains("modelTopology.node[0]"), e.getMessage());
        Files.writeString(json, "{\"modelTopology\": {\"node\": [{\"name\": \"a\", \"op\": \"Const\", \"attr\": 5}]}}");
        assertTrue(refused(json).getMessage().contains("modelTopology.node[0]"));
        Files.writeString(json, "{\"modelTopology\": {\"node\": {\"name\": \"a\"}}}");
        assertTrue(refused(json).getMessage().endsWith("modelTopology.node should be a list, not an object"));
    }
}
