package org.tensorscope.core.internal.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.tensor.TensorData;

/**
 * Tensors crossing to the inference worker: large ones through a shared area mapped by both sides
 * (here two mappings of one file, as the two processes have), small ones in the frame, and each
 * arrives with its exact bytes.
 */
class SharedTensorsTest {

    private Path folder;
    private SharedArea writer;
    private SharedArea reader;

    @BeforeEach
    void mapBothSides() throws IOException {
        // without shared memory (not Linux) the same mapping works on a temporary file
        folder = SharedArea.createFolder().orElse(Files.createTempDirectory("tensorscope-shared"));
        writer = SharedArea.create(folder.resolve("requests"));
        reader = SharedArea.open(folder.resolve("requests"));
    }

    @AfterEach
    void unmap() throws IOException {
        if (writer != null) {
            writer.close();
            reader.close();
        }
        if (folder != null) {
            try (var files = Files.walk(folder)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void largeTensorsTravelInTheAreaAndSmallOnesInTheFrame() throws IOException {
        Map<String, TensorData> sent = new LinkedHashMap<>();
        sent.put("image", ramp("input_1", 256 * 256 * 3));
        sent.put("scale", ramp("scale", 4));
        sent.put("second", ramp("features", 100_000));

        Frame frame = Frame.of(Frame.FETCH, writer, out -> Wire.writeTensors(out, sent));
        assertTrue(frame.body().length < 4096,
                "the two large tensors are not in the frame's body (" + frame.body().length + " bytes)");
        Map<String, TensorData> received = Wire.readTensors(new Frame(frame.type(), frame.body(), reader).reader());

        assertEquals(sent.keySet(), received.keySet());
        for (String name : sent.keySet()) {
            assertSame(sent.get(name), received.get(name));
        }
    }

    @Test
    void withoutAnAreaEverythingTravelsInTheFrame() throws IOException {
        TensorData image = ramp("input_1", 256 * 256 * 3);
        Frame frame = Frame.of(Frame.FETCH, out -> Wire.writeTensor(out, image));
        assertTrue(frame.body().length > 256 * 256 * 3 * 4, "the tensor's bytes are in the frame");
        assertSame(image, Wire.readTensor(frame.reader()));
    }

    @Test
    void eachFrameReusesTheArea() throws IOException {
        TensorData first = ramp("a", 1 << 20);
        TensorData second = ramp("b", 1 << 18);
        Frame one = Frame.of(Frame.OK, writer, out -> Wire.writeTensor(out, first));
        assertSame(first, Wire.readTensor(new Frame(Frame.OK, one.body(), reader).reader()));
        Frame two = Frame.of(Frame.OK, writer, out -> Wire.writeTensor(out, second));
        assertSame(second, Wire.readTensor(new Frame(Frame.OK, two.body(), reader).reader()));
        // a large frame's memory is given back before the next frame, and the area still works after it
        TensorData large = ramp("c", 20 << 20);
        Frame three = Frame.of(Frame.OK, writer, out -> Wire.writeTensor(out, large));
        assertSame(large, Wire.readTensor(new Frame(Frame.OK, three.body(), reader).reader()));
        Frame four = Frame.of(Frame.OK, writer, out -> Wire.writeTensor(out, second));
        assertSame(second, Wire.readTensor(new Frame(Frame.OK, four.body(), reader).reader()));
    }

    @Test
    void aSharedTensorWithoutItsAreaIsABrokenStream() throws IOException {
        TensorData image = ramp("input_1", 1 << 16);
        Frame frame = Frame.of(Frame.OK, writer, out -> Wire.writeTensor(out, image));
        IOException e = assertThrows(IOException.class, () -> Wire.readTensor(frame.reader()));
        assertTrue(e.getMessage().contains("broken worker stream"), e.getMessage());
    }

    @Test
    void aPlaceOutsideTheAreaIsABrokenStream() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        Wire.writeString(out, "x");
        out.writeInt(DType.FLOAT32.ordinal());
        Wire.writeShape(out, new Shape(new long[] {1 << 20}));
        out.writeInt(4 << 20);
        out.writeByte(1);
        out.writeLong(Long.MAX_VALUE - 8);
        out.flush();
        var in = new Frame.Input(new java.io.ByteArrayInputStream(bytes.toByteArray()), reader);
        IOException e = assertThrows(IOException.class, () -> Wire.readTensor(in));
        assertTrue(e.getMessage().contains("broken worker stream"), e.getMessage());
        assertTrue(in instanceof DataInputStream);
    }

    private static TensorData ramp(String name, int count) {
        ByteBuffer buffer = ByteBuffer.allocate(count * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            buffer.putFloat(i * 0.5f - 7);
        }
        buffer.flip();
        return new TensorData(name, DType.FLOAT32, new Shape(new long[] {count}), buffer);
    }

    private static void assertSame(TensorData expected, TensorData actual) {
        assertEquals(expected.name(), actual.name());
        assertEquals(expected.dtype(), actual.dtype());
        assertArrayEquals(expected.shape().dims(), actual.shape().dims());
        ByteBuffer a = expected.bytes();
        ByteBuffer b = actual.bytes();
        assertEquals(a.remaining(), b.remaining());
        assertEquals(0, a.compareTo(b), "the bytes of " + expected.name());
    }
}
