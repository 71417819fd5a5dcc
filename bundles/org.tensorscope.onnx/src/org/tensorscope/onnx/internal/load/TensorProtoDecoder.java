package org.tensorscope.onnx.internal.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.tensor.TensorData;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;

/**
 * Decodes the values of a TensorProto: raw_data (9), or the typed lists float_data (4),
 * int32_data (5, which also carries 8- and 16-bit types), int64_data (7), double_data (10)
 * and uint64_data (11).
 */
public final class TensorProtoDecoder {

    private TensorProtoDecoder() {
    }

    /** The tensor's values as little-endian bytes; the caller names the result. */
    public static TensorData decode(byte[] file, StoredTensor tensor, String name) throws IOException {
        DType dtype = OnnxDataTypes.dtype(tensor.dataType());
        if (tensor.external()) {
            throw new IOException("the values of " + tensor.name() + " are stored in a separate file");
        }
        if (dtype.byteSize() < 0) {
            throw new IOException(tensor.name() + " holds " + dtype.displayName() + " values, which Tensorscope cannot read");
        }
        Shape shape = Shape.of(tensor.dims());
        long count = shape.numElements();
        if (count < 0) {
            throw new IOException(tensor.name() + " has an invalid shape " + shape);
        }
        try {
            // element counts multiplied with overflow checks, against the budget for one tensor
            org.tensorscope.core.input.TensorBudget.check(tensor.name(), shape, dtype);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        ByteBuffer out = ByteBuffer.allocateDirect((int) count * dtype.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        CodedInputStream in = CodedInputStream.newInstance(file, 0, tensor.offset() + tensor.length());
        in.skipRawBytes(tensor.offset());
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = WireFormat.getTagFieldNumber(tag);
            boolean packed = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
            switch (field) {
                case 9 -> {
                    byte[] raw = in.readByteArray();
                    if (raw.length != out.capacity()) {
                        throw new IOException(tensor.name() + " holds " + raw.length
                                + " bytes of data, its shape " + shape + " needs " + out.capacity());
                    }
                    out.put(raw);
                }
                case 4 -> readValues(in, packed, out, tensor, () -> out.putFloat(in.readFloat()));
                case 10 -> readValues(in, packed, out, tensor, () -> out.putDouble(in.readDouble()));
                case 5 -> readValues(in, packed, out, tensor, () -> putInt32Data(out, dtype, in.readInt32()));
                case 7, 11 -> readValues(in, packed, out, tensor, () -> out.putLong(in.readInt64()));
                default -> in.skipField(tag);
            }
        }
        if (out.position() != out.capacity()) {
            throw new IOException(tensor.name() + " holds fewer values than its shape " + shape + " needs");
        }
        out.flip();
        return new TensorData(name, dtype, shape, out);
    }

    private interface ValueReader {
        void readOne() throws IOException;
    }

    private static void readValues(CodedInputStream in, boolean packed, ByteBuffer out, StoredTensor tensor,
            ValueReader reader) throws IOException {
        if (!packed) {
            readOne(out, tensor, reader);
            return;
        }
        int limit = in.pushLimit(in.readRawVarint32());
        while (in.getBytesUntilLimit() > 0) {
            readOne(out, tensor, reader);
        }
        in.popLimit(limit);
    }

    private static void readOne(ByteBuffer out, StoredTensor tensor, ValueReader reader) throws IOException {
        if (!out.hasRemaining()) {
            throw new IOException(tensor.name() + " holds more values than its shape needs");
        }
        reader.readOne();
    }

    /** int32_data holds the narrow types one per int32; float16 and bfloat16 as their bit patterns. */
    private static void putInt32Data(ByteBuffer out, DType dtype, int value) {
        switch (dtype.byteSize()) {
            case 1 -> out.put((byte) value);
            case 2 -> out.putShort((short) value);
            default -> out.putInt(value);
        }
    }

    /** Counts NaN and ±Inf of a floating tensor; 0 for other types, -1 when its values are in another file. */
    public static long nonFiniteCount(byte[] file, StoredTensor tensor) throws IOException {
        DType dtype = OnnxDataTypes.dtype(tensor.dataType());
        if (!dtype.isFloating()) {
            return 0;
        }
        if (tensor.external()) {
            return -1;
        }
        TensorData data = decode(file, tensor, tensor.name());
        long count = 0;
        for (long i = 0; i < data.size(); i++) {
            if (!Double.isFinite(data.getDouble(i))) {
                count++;
            }
        }
        return count;
    }
}
