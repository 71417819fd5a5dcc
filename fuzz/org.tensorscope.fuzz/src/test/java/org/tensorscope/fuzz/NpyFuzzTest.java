package org.tensorscope.fuzz;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorscope.core.input.Npy;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.tensor.TensorData;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** NumPy {@code .npy} input files: magic, header versions 1 to 3, the header dictionary, the data's size. */
@EnabledIf("org.tensorscope.fuzz.FuzzSelection#chosen")
class NpyFuzzTest {

    private static final Path FOLDER = Scratch.folder("npy");

    static Stream<byte[]> seeds() throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(Scratch.read(Scratch.testdata("inputs/three-floats.npy")));
        for (DType type : List.of(DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64, DType.UINT8)) {
            Path file = FOLDER.resolve("seed.npy");
            Npy.write(new TensorData("x", type, Shape.of(2, 3),
                    ByteBuffer.allocate(6 * type.byteSize()).order(ByteOrder.LITTLE_ENDIAN)), file);
            seeds.add(Scratch.read(file));
        }
        seeds.add(version(2, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 8));
        seeds.add(version(3, "{'descr': '<i8', 'fortran_order': False, 'shape': (1, 1), }", 8));
        return seeds.stream();
    }

    /** A file of format 2.0 or 3.0 (4-byte header length). */
    private static byte[] version(int major, String header, int dataBytes) {
        byte[] text = (header + "\n").getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(12 + text.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN)
                .put(new byte[] { (byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0 }).putInt(text.length).put(text)
                .array();
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "30s")
    void npy(byte[] bytes) {
        Oracle.input(bytes);
        Path file = Scratch.write(FOLDER.resolve("input.npy"), bytes);
        TensorData data = Oracle.check(List.of(file), () -> Npy.read(file, "x"), IOException.class);
        if (data != null && data.bytes().remaining() != data.shape().numElements() * data.dtype().byteSize()) {
            throw new IllegalStateException("read " + data.bytes().remaining() + " bytes for shape " + data.shape());
        }
    }
}
