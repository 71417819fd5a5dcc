package org.tensorscope.onnx.internal.run;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;

/** A protobuf message written field by field, for rewriting parts of a model without generated code. */
final class ProtoMessage {

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final CodedOutputStream out = CodedOutputStream.newInstance(buffer);

    ProtoMessage string(int field, String value) throws IOException {
        out.writeString(field, value);
        return this;
    }

    ProtoMessage varint(int field, long value) throws IOException {
        out.writeInt64(field, value);
        return this;
    }

    ProtoMessage bytes(int field, byte[] value) throws IOException {
        out.writeByteArray(field, value);
        return this;
    }

    /** A length-delimited field whose payload is a slice of another array. */
    ProtoMessage bytes(int field, byte[] source, int offset, int length) throws IOException {
        out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(length);
        out.writeRawBytes(source, offset, length);
        return this;
    }

    /** Fields already encoded, appended as they are. */
    ProtoMessage raw(byte[] encoded) throws IOException {
        out.writeRawBytes(encoded);
        return this;
    }

    /** Copies the field that was just read (its tag given) from a stream. */
    ProtoMessage copyField(int tag, CodedInputStream in) throws IOException {
        in.skipField(tag, out);
        return this;
    }

    byte[] toBytes() throws IOException {
        out.flush();
        return buffer.toByteArray();
    }
}
