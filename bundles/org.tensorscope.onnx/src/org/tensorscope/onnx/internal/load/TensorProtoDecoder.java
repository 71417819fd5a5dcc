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
                case 4, 5, 7, 10, 11 -> {
                    requireListFor(field, dtype, tensor);
                    readValues(in, packed, out, dtype, tensor, switch (field) {
                        case 4 -> () -> out.putFloat(in.readFloat());
                        case 10 -> () -> out.putDouble(in.readDouble());
                        case 5 -> () -> putInt32Data(out, dtype, in.readInt32());
                        case 11 -> () -> putUint64Data(out, dtype, in.readUInt64());
                        default -> () -> out.putLong(in.readInt64());
                    });
                }
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

    /**
     * The typed lists each hold the element types ONNX puts there; a list that does not match the tensor's type would
     * write values of another width into its buffer.
     */
    private static void requireListFor(int field, DType dtype, StoredTensor tensor) throws IOException {
        boolean fits = switch (field) {
            case 4 -> dtype == DType.FLOAT32;
            case 10 -> dtype == DType.FLOAT64;
            case 7 -> dtype == DType.INT64;
            case 11 -> dtype == DType.UINT32 || dtype == DType.UINT64;
            default -> dtype.byteSize() <= 2 || dtype == DType.INT32;
        };
        if (!fits) {
            throw new IOException(tensor.name() + " is " + dtype.displayName() + " but holds its values in "
                    + LIST_NAMES.get(field) + ", which cannot hold that type");
        }
    }

    private static final java.util.Map<Integer, String> LIST_NAMES = java.util.Map.of(4, "float_data", 5, "int32_data",
            7, "int64_data", 10, "double_data", 11, "uint64_data");

    private static void readValues(CodedInputStream in, boolean packed, ByteBuffer out, DType dtype,
            StoredTensor tensor, ValueReader reader) throws IOException {
        if (!packed) {
            readOne(out, dtype, tensor, reader);
            return;
        }
        int limit = in.pushLimit(in.readRawVarint32());
        while (in.getBytesUntilLimit() > 0) {
            readOne(out, dtype, tensor, reader);
        }
        in.popLimit(limit);
    }

    private static void readOne(ByteBuffer out, DType dtype, StoredTensor tensor, ValueReader reader)
            throws IOException {
        if (out.remaining() < dtype.byteSize()) {
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

    /** uint64_data holds UINT32 values as well as UINT64 ones. */
    private static void putUint64Data(ByteBuffer out, DType dtype, long value) {
        if (dtype == DType.UINT32) {
            out.putInt((int) value);
        } else {
            out.putLong(value);
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
