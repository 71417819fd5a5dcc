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
import java.util.List;
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
    void aRepeatedTensorIsNotCopiedAgainButAChangedOneIs() throws IOException {
        TensorData image = ramp("input_1", 256 * 256 * 3);
        TensorData scale = ramp("scale", 100_000);
        Frame one = Frame.of(Frame.FETCH, writer, out -> Wire.writeTensor(out, image));
        assertSame(image, Wire.readTensor(readerOf(one)));
        SharedArea.Placed first = onlyPlaced(writer);
        assertTrue(first.copied());

        // equal bytes in another buffer: found in place, and the reader hands out the copy it took
        TensorData same = ramp("input_1", 256 * 256 * 3);
        Frame two = Frame.of(Frame.FETCH, writer, out -> Wire.writeTensor(out, same));
        SharedArea.Placed again = onlyPlaced(writer);
        assertEquals(first.offset(), again.offset());
        assertEquals(first.write(), again.write());
        assertTrue(!again.copied(), "the same bytes are not copied again");
        assertSame(same, Wire.readTensor(readerOf(two)));

        // one value changed at the very end: copied, and read with the change
        ByteBuffer changedBytes = ByteBuffer.allocate(256 * 256 * 3 * 4).put(same.bytes()).flip();
        changedBytes.order(ByteOrder.LITTLE_ENDIAN).putFloat(changedBytes.limit() - 4, 42f);
        TensorData changed = new TensorData("input_1", DType.FLOAT32, same.shape(), changedBytes);
        Frame three = Frame.of(Frame.FETCH, writer, out -> {
            Wire.writeTensor(out, changed);
            Wire.writeTensor(out, scale);
        });
        var in = readerOf(three);
        TensorData received = Wire.readTensor(in);
        assertEquals(42.0, received.getDouble(received.size() - 1), 0);
        assertSame(changed, received);
        assertSame(scale, Wire.readTensor(in));
        assertTrue(writerPlaced(writer).get(0).copied(), "a changed tensor is copied");
        assertTrue(writerPlaced(writer).get(0).write() != first.write());
    }

    @Test
    void aTensorIsNotFoundInPlaceWhereThisFrameWroteOrAfterTheAreaWasEmptied() throws IOException {
        TensorData small = ramp("a", 1 << 16);
        TensorData other = ramp("b", 1 << 17);
        readBack(Frame.of(Frame.OK, writer, out -> {
            Wire.writeTensor(out, small);
            Wire.writeTensor(out, other);
        }));
        // "other" first now: it is found in place, after which "small"'s old place lies behind: copied
        Frame swapped = Frame.of(Frame.OK, writer, out -> {
            Wire.writeTensor(out, other);
            Wire.writeTensor(out, small);
        });
        List<SharedArea.Placed> placed = writerPlaced(writer);
        assertTrue(!placed.get(0).copied() && placed.get(1).copied(), placed.toString());
        var in = readerOf(swapped);
        assertSame(other, Wire.readTensor(in));
        assertSame(small, Wire.readTensor(in));

        // a frame above the release size empties the area before the next one: zeros then must not
        // pass for an earlier tensor found in place
        readBack(Frame.of(Frame.OK, writer, out -> {
            Wire.writeTensor(out, small);
            Wire.writeTensor(out, ramp("large", 17 << 20));
        }));
        assertTrue(!writerPlaced(writer).get(0).copied());
        TensorData zeros = new TensorData("z", DType.FLOAT32, Shape.of(1 << 16), ByteBuffer.allocate(1 << 18));
        Frame after = Frame.of(Frame.OK, writer, out -> Wire.writeTensor(out, zeros));
        assertTrue(writerPlaced(writer).get(0).copied());
        assertSame(zeros, Wire.readTensor(readerOf(after)));
    }

    private Frame.Input readerOf(Frame frame) {
        return new Frame(frame.type(), frame.body(), reader).reader();
    }

    private void readBack(Frame frame) throws IOException {
        var in = readerOf(frame);
        while (in.available() > 0) {
            Wire.readTensor(in);
        }
    }

    private static List<SharedArea.Placed> writerPlaced(SharedArea area) {
        return area.placedInFrame();
    }

    private static SharedArea.Placed onlyPlaced(SharedArea area) {
        List<SharedArea.Placed> placed = area.placedInFrame();
        assertEquals(1, placed.size(), placed.toString());
        return placed.get(0);
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
        out.writeLong(1);
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
