package org.tensorscope.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.tensorflow.internal.TfModel;
import org.tensorscope.tensorflow.internal.load.TfjsGraphModelLoader;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * TF.js graph models: the fuzzer writes {@code model.json} (topology and weights manifest) into a
 * folder holding a real model's shard and small shards of each stored type, so a mutated manifest
 * reads real bytes with the wrong shapes, types, quantization or paths.
 */
@EnabledIf("org.tensorscope.fuzz.FuzzSelection#chosen")
class TfjsModelFuzzTest {

    private static final Path FOLDER = folder("tfjs");

    /** A folder holding emotion's shard and a small shard of each stored type. */
    static Path folder(String name) {
        Path folder = Scratch.folder(name);
        Scratch.copy("tfjs/emotion/emotion.bin", folder);
        Scratch.write(folder.resolve("f32.bin"), floats(0.5f, -1f, 2f, 1e30f));
        Scratch.write(folder.resolve("wb.bin"), floats(1f, 0f, 0f, 1f, -0.5f, 0.5f));
        Scratch.write(folder.resolve("i32.bin"), ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(1).putInt(2).array());
        Scratch.write(folder.resolve("u8.bin"), new byte[] { 0, 1, (byte) 128, (byte) 255 });
        Scratch.write(folder.resolve("u16.bin"), new byte[] { 0, 0, 1, 0, 0, (byte) 128, (byte) 255, (byte) 255 });
        Scratch.write(folder.resolve("f16.bin"), new byte[] { 0, 0x3c, 0, (byte) 0xbc, 0, 0x7c, 0, 0x7e });
        return folder;
    }

    private static byte[] floats(float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            buffer.putFloat(v);
        }
        return buffer.array();
    }

    static Stream<byte[]> seeds() {
        return Stream.concat(Stream.of(Scratch.read(Scratch.testdata("tfjs/emotion/emotion.json"))),
                TinyTfjsModels.all().stream().map(s -> s.getBytes(StandardCharsets.UTF_8)));
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "30s")
    void modelJson(byte[] json) {
        Oracle.input(json);
        Path file = Scratch.write(FOLDER.resolve("model.json"), json);
        TfModel model = Oracle.check(List.of(FOLDER), () -> new TfjsGraphModelLoader().load(file, null),
                ModelLoadException.class);
        if (model != null) {
            ModelInfo.describe(model.graph());
        }
    }
}
