package org.tensorscope.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import com.google.protobuf.CodedOutputStream;

/** Writes one protobuf message field by field, for building ONNX files without generated code. */
final class ProtoWriter {

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final CodedOutputStream out = CodedOutputStream.newInstance(buffer);

    ProtoWriter varint(int field, long value) {
        return write(() -> out.writeInt64(field, value));
    }

    ProtoWriter string(int field, String value) {
        return write(() -> out.writeString(field, value));
    }

    ProtoWriter bytes(int field, byte[] value) {
        return write(() -> out.writeByteArray(field, value));
    }

    ProtoWriter message(int field, ProtoWriter message) {
        return bytes(field, message.toBytes());
    }

    byte[] toBytes() {
        write(out::flush);
        return buffer.toByteArray();
    }

    private interface Write {
        void run() throws IOException;
    }

    private ProtoWriter write(Write write) {
        try {
            write.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }
}
