package org.tensorscope.core.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tensorscope.core.input.Npy;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.SignatureTensor;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.run.PreparedInputs;
import org.tensorscope.core.service.ModelFiles;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.core.tensor.TensorData;

/** Files and inputs built to hurt: refused with one line naming the file and the problem, before anything is read. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class HostileFilesTest {

    @TempDir
    Path dir;

    private Path model() throws IOException {
        return Files.createDirectories(dir.resolve("model"));
    }

    private Path secret() throws IOException {
        return Files.writeString(dir.resolve("secret.bin"), "TOP-SECRET");
    }

    @Test
    void aFileInsideTheFolderIsFound() throws Exception {
        Path model = model();
        Files.createDirectories(model.resolve("w"));
        Files.write(model.resolve("w/shard.bin"), new byte[] { 1, 2, 3 });
        Path real = ModelFiles.confined(model, "w/shard.bin");
        assertArrayEquals(new byte[] { 1, 2, 3 }, ModelFiles.readRegularFile(real, 3, 100));
    }

    @Test
    void anAbsolutePathIsRefused() throws Exception {
        Path secret = secret();
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelFiles.confined(model(), secret.toString()));
        assertTrue(e.getMessage().startsWith(secret.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("absolute path"), e.getMessage());
    }

    @Test
    void aPathLeavingTheFolderIsRefused() throws Exception {
        secret();
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelFiles.confined(model(), "../secret.bin"));
        assertTrue(e.getMessage().contains("secret.bin") && e.getMessage().contains("outside the model folder"),
                e.getMessage());
        assertThrows(ModelLoadException.class, () -> ModelFiles.confined(model(), "a/../../../../etc/passwd"));
    }

    @Test
    void aLinkPointingOutsideIsRefused() throws Exception {
        Path secret = secret();
        Path model = model();
        Files.createSymbolicLink(model.resolve("shard.bin"), secret);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelFiles.confined(model, "shard.bin"));
        assertTrue(e.getMessage().startsWith(model.resolve("shard.bin").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("a link to") && e.getMessage().contains("outside the model folder"),
                e.getMessage());
        assertFalse(e.getMessage().contains("TOP-SECRET"));
    }

    @Test
    void aLinkInsideTheFolderIsFollowed() throws Exception {
        Path model = model();
        Files.write(model.resolve("real.bin"), new byte[] { 9 });
        Files.createSymbolicLink(model.resolve("link.bin"), model.resolve("real.bin"));
        assertEquals(model.resolve("real.bin").toRealPath(), ModelFiles.confined(model, "link.bin"));
    }

    @Test
    void aMissingFileIsNamed() throws Exception {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelFiles.confined(model(), "gone.bin"));
        assertTrue(e.getMessage().contains("gone.bin") && e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void aDirectoryDeviceOrProcFileIsNotRead() throws Exception {
        Path model = model();
        ModelLoadException directory = assertThrows(ModelLoadException.class, () -> ModelFiles.readRegularFile(model, -1, 100));
        assertTrue(directory.getMessage().contains("a directory"), directory.getMessage());
        ModelLoadException device = assertThrows(ModelLoadException.class,
                () -> ModelFiles.readRegularFile(Path.of("/dev/zero"), -1, 100));
        assertTrue(device.getMessage().startsWith("/dev/zero: not a regular file"), device.getMessage());
        ModelLoadException proc = assertThrows(ModelLoadException.class,
                () -> ModelFiles.readRegularFile(Path.of("/proc/self/environ"), -1, 100));
        assertTrue(proc.getMessage().contains("/proc"), proc.getMessage());
    }

    @Test
    void aFifoIsRefusedWithoutBlocking() throws Exception {
        Path fifo = mkfifo(dir.resolve("pipe.bin"));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelFiles.readRegularFile(fifo, -1, 100));
        assertTrue(e.getMessage().contains("pipe.bin: not a regular file"), e.getMessage());
        IOException npy = assertThrows(IOException.class, () -> Npy.read(fifo, "x:0"));
        assertTrue(npy.getMessage().contains("pipe.bin: not a regular file"), npy.getMessage());
    }

    @Test
    void aFileOfAnotherSizeThanDeclaredIsRefusedBeforeReading() throws Exception {
        Path shard = Files.write(dir.resolve("shard.bin"), new byte[10]);
        ModelLoadException shorter = assertThrows(ModelLoadException.class, () -> ModelFiles.readRegularFile(shard, 16, 100));
        assertTrue(shorter.getMessage().contains("shard.bin: has 10 bytes, the model declares 16"), shorter.getMessage());
        ModelLoadException longer = assertThrows(ModelLoadException.class, () -> ModelFiles.readRegularFile(shard, 4, 100));
        assertTrue(longer.getMessage().contains("has 10 bytes, the model declares 4"), longer.getMessage());
        ModelLoadException limit = assertThrows(ModelLoadException.class, () -> ModelFiles.readRegularFile(shard, -1, 8));
        assertTrue(limit.getMessage().contains("more than the 8 bytes that can be read"), limit.getMessage());
    }

    @Test
    void aSparseModelFileLargerThanTheLimitIsRefusedBySize() throws Exception {
        Path big = dir.resolve("huge.pb");
        try (var file = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            file.write(ByteBuffer.wrap(new byte[] { 1 }), 3L << 30); // 3 GiB, sparse
        }
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> ModelFiles.readNonEmpty(big));
        assertTrue(e.getMessage().startsWith(big + ": is 3.0 GiB, more than the 2.0 GiB"), e.getMessage());
    }

    // .npy

    private static byte[] npy(String descr, String shape, int dataBytes) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + shape + "), }";
        String header = dict + " ".repeat((64 - (10 + dict.length() + 1) % 64) % 64) + "\n";
        ByteBuffer out = ByteBuffer.allocate(10 + header.length() + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        out.put(new byte[] { (byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0 }).putShort((short) header.length());
        out.put(header.getBytes(StandardCharsets.ISO_8859_1));
        return out.array();
    }

    @Test
    void anNpyStillReadsAsBefore() throws Exception {
        TensorData data = TensorData.ofFloats("x:0", Shape.of(2, 3), new float[] { 1, 2, 3, 4, 5, 6 });
        Path file = dir.resolve("x.npy");
        Npy.write(data, file);
        TensorData read = Npy.read(file, "x:0");
        assertEquals(Shape.of(2, 3), read.shape());
        assertEquals(6.0, read.getDouble(5));
    }

    @Test
    void anNpyWhoseShapeOverflowsIsRefused() throws Exception {
        Path file = Files.write(dir.resolve("overflow.npy"), npy("<f4", "4611686018427387904, 4611686018427387904", 16));
        IOException e = assertThrows(IOException.class, () -> Npy.read(file, "x:0"));
        assertTrue(e.getMessage().startsWith(file + ": shape"), e.getMessage());
        assertTrue(e.getMessage().contains("overflow"), e.getMessage());
    }

    @Test
    void anNpyLargerThanItsDataIsRefusedBeforeReading() throws Exception {
        Path file = Files.write(dir.resolve("short.npy"), npy("<f4", "1000, 1000", 16));
        IOException e = assertThrows(IOException.class, () -> Npy.read(file, "x:0"));
        assertTrue(e.getMessage().contains("short.npy: truncated data: shape [1000,1000] needs 4000000 bytes, the file has 16"),
                e.getMessage());
    }

    @Test
    void anNpyOverTheTensorBudgetIsRefused() throws Exception {
        Path file = Files.write(dir.resolve("big.npy"), npy("<f8", "1, 536870912", 16));
        IOException e = assertThrows(IOException.class, () -> Npy.read(file, "x:0"));
        assertTrue(e.getMessage().contains("big.npy: shape [1,536870912] of float64 would need 4.0 GiB"), e.getMessage());
        assertTrue(e.getMessage().contains("TENSORSCOPE_MAX_TENSOR_BYTES"), e.getMessage());
    }

    @Test
    void anNpyLinkToDevZeroOrADirectoryIsRefused() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("zero.npy"), Path.of("/dev/zero"));
        IOException e = assertThrows(IOException.class, () -> Npy.read(link, "x:0"));
        assertTrue(e.getMessage().startsWith(link + ": not a regular file"), e.getMessage());
        Path folder = Files.createDirectories(dir.resolve("folder.npy"));
        IOException d = assertThrows(IOException.class, () -> Npy.read(folder, "x:0"));
        assertTrue(d.getMessage().startsWith(folder + ": a directory"), d.getMessage());
    }

    @Test
    void anNpyWithAHugeHeaderLengthIsRefused() throws Exception {
        byte[] bytes = new byte[64];
        System.arraycopy(new byte[] { (byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f },
                0, bytes, 0, 12);
        Path file = Files.write(dir.resolve("header.npy"), bytes);
        IOException e = assertThrows(IOException.class, () -> Npy.read(file, "x:0"));
        assertTrue(e.getMessage().contains("header.npy: truncated or corrupt .npy header"), e.getMessage());
    }

    // generated inputs

    @Test
    void aGeneratedInputOverTheBudgetIsRefusedBeforeAllocating() {
        Signature huge = new Signature("serving_default",
                List.of(new SignatureTensor("x", new TensorSpec("x:0", DType.FLOAT32, Shape.of(1, 1L << 29)))), List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PreparedInputs.prepare(huge, List.of()));
        assertTrue(e.getMessage().contains("input x:0: shape [1,536870912] of float32 would need 2.0 GiB (536870912 elements)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("more than the 1.0 GiB allowed for one tensor"), e.getMessage());
    }

    @Test
    void theBudgetIsASystemProperty() throws Exception {
        Signature small = new Signature("serving_default",
                List.of(new SignatureTensor("x", new TensorSpec("x:0", DType.FLOAT32, Shape.of(1, 1024)))), List.of());
        System.setProperty("tensorscope.maxTensorBytes", "1k");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PreparedInputs.prepare(small, List.of("x=ramp")));
            assertTrue(e.getMessage().contains("would need 4.0 KiB"), e.getMessage());
            System.setProperty("tensorscope.maxTensorBytes", "4k");
            assertEquals(Shape.of(1, 1024), PreparedInputs.prepare(small, List.of("x=ramp")).feeds().get("x:0").shape());
        } finally {
            System.clearProperty("tensorscope.maxTensorBytes");
        }
    }

    // images

    private static final Signature IMAGE = new Signature("serving_default",
            List.of(new SignatureTensor("img", new TensorSpec("img:0", DType.FLOAT32, Shape.of(1, 8, 8, 3)))), List.of());

    private IOException imageRefused(Path file) {
        IOException e = assertThrows(IOException.class, () -> PreparedInputs.prepare(IMAGE, List.of("img=" + file)));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        return e;
    }

    @Test
    void aCorruptPngIsNamed() throws Exception {
        java.awt.image.BufferedImage picture = new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 64; i++) {
            picture.setRGB(i, i, 0xff8040 + i);
        }
        Path good = dir.resolve("good.png");
        javax.imageio.ImageIO.write(picture, "png", good.toFile());
        assertEquals(Shape.of(1, 8, 8, 3),
                PreparedInputs.prepare(IMAGE, List.of("img=" + good)).feeds().get("img:0").shape());
        byte[] bytes = Files.readAllBytes(good);
        for (int i = 60; i < bytes.length - 20; i++) {
            bytes[i] = (byte) (bytes[i] ^ 0x5a); // corrupt the pixel data, keep the header
        }
        Path bad = Files.write(dir.resolve("bad.png"), bytes);
        IOException e = imageRefused(bad);
        assertTrue(e.getMessage().startsWith(bad + ": not a readable PNG image ("), e.getMessage());
        Path text = Files.writeString(dir.resolve("text.png"), "hello");
        assertEquals(text + ": not a PNG or JPEG image ImageIO can read", imageRefused(text).getMessage());
    }

    @Test
    void aDirectoryOrFifoGivenAsAnImageSaysSo() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("folder.png"));
        assertEquals(folder + ": a directory, not a file", imageRefused(folder).getMessage());
        assertEquals(dir.resolve("none.png") + ": no such image file", imageRefused(dir.resolve("none.png")).getMessage());
        Path fifo = mkfifo(dir.resolve("pipe.png"));
        assertTrue(imageRefused(fifo).getMessage().contains("not a regular file"));
    }

    /** A named pipe made with coreutils' mkfifo, which every machine the tests run on (Linux CI) has. */
    static Path mkfifo(Path path) throws Exception {
        Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        assertEquals(0, p.waitFor(), "mkfifo " + path);
        return path;
    }
}
