package org.tensorscope.tensorflow.internal.run;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.javacpp.BytePointer;
import org.tensorflow.RawTensor;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.DataStorageVisitor;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint16;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TType;
import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.tensor.StringTensors;
import org.tensorscope.core.tensor.TensorData;

/**
 * Converts between Tensorscope's tensors and TensorFlow's, copying their bytes once.
 */
public final class TfTensors {

    private TfTensors() {
    }

    /** The element type; a reference type (a TF1 variable's or its assign's output, DT_FLOAT_REF) gives its values' type. */
    public static DType dtype(DataType type) {
        if (type == DataType.UNRECOGNIZED) {
            return DType.OTHER; // a type number this TensorFlow does not know, from a corrupt or newer file
        }
        DataType valueType = type.getNumber() > 100 && DataType.forNumber(type.getNumber() - 100) != null
                ? DataType.forNumber(type.getNumber() - 100)
                : type;
        return switch (valueType) {
            case DT_FLOAT -> DType.FLOAT32;
            case DT_DOUBLE -> DType.FLOAT64;
            case DT_HALF -> DType.FLOAT16;
            case DT_BFLOAT16 -> DType.BFLOAT16;
            case DT_INT8 -> DType.INT8;
            case DT_INT16 -> DType.INT16;
            case DT_INT32 -> DType.INT32;
            case DT_INT64 -> DType.INT64;
            case DT_UINT8 -> DType.UINT8;
            case DT_UINT16 -> DType.UINT16;
            case DT_UINT32 -> DType.UINT32;
            case DT_UINT64 -> DType.UINT64;
            case DT_BOOL -> DType.BOOL;
            case DT_STRING -> DType.STRING;
            default -> DType.OTHER;
        };
    }

    private static Class<? extends TType> typeClass(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> TFloat32.class;
            case FLOAT64 -> TFloat64.class;
            case FLOAT16 -> TFloat16.class;
            case BFLOAT16 -> TBfloat16.class;
            case INT32 -> TInt32.class;
            case INT64 -> TInt64.class;
            case UINT8 -> TUint8.class;
            case UINT16 -> TUint16.class;
            case BOOL -> TBool.class;
            default -> throw new IllegalArgumentException(dtype.displayName() + " tensors cannot be fed to TensorFlow yet");
        };
    }

    /** A new TensorFlow tensor holding a copy of the data; the caller closes it. */
    public static Tensor toTensor(TensorData data) {
        if (data.dtype() == DType.STRING) {
            return TString.tensorOfBytes(org.tensorflow.ndarray.Shape.of(data.shape().dims()),
                    DataBuffers.ofObjects(StringTensors.values(data).toArray(new byte[0][])));
        }
        ByteBuffer bytes = data.bytes();
        Tensor tensor = Tensor.of(typeClass(data.dtype()), org.tensorflow.ndarray.Shape.of(data.shape().dims()));
        try {
            ByteBuffer memory = memory(tensor.asRawTensor());
            if (memory != null && memory.remaining() == bytes.remaining()) {
                memory.put(bytes); // one copy, from the heap or from shared memory alike
            } else {
                byte[] copy = new byte[bytes.remaining()];
                bytes.get(copy);
                tensor.asRawTensor().data().write(copy);
            }
            return tensor;
        } catch (RuntimeException e) {
            tensor.close();
            throw e;
        }
    }

    /** A copy of a TensorFlow tensor's values, kept off the Java heap. */
    public static TensorData toData(String name, Tensor tensor) {
        RawTensor raw = tensor.asRawTensor();
        DType dtype = dtype(raw.dataType());
        if (tensor instanceof TString strings) {
            List<byte[]> values = new ArrayList<>();
            strings.asBytes().scalars().forEach(s -> values.add(s.getObject()));
            return StringTensors.of(name, Shape.of(raw.shape().asArray()), values);
        }
        if (dtype.byteSize() < 0) {
            throw new IllegalArgumentException("Tensor " + name + " holds " + raw.dataType()
                    + " values, which Tensorscope cannot show");
        }
        long size = raw.numBytes();
        ByteBuffer target = ByteBuffer.allocateDirect(Math.toIntExact(size)).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer memory = memory(raw);
        if (memory != null && memory.remaining() == size) {
            target.put(memory).flip(); // one bulk copy; ndarray's own copy into a direct buffer goes byte by byte
        } else {
            raw.data().copyTo(DataBuffers.of(target), size);
        }
        return new TensorData(name, dtype, Shape.of(raw.shape().asArray()), target);
    }

    /**
     * The tensor's values where TensorFlow keeps them, without a copy when they are in native memory: valid only
     * while the tensor is open.
     */
    static TensorData view(String name, Tensor tensor) {
        RawTensor raw = tensor.asRawTensor();
        ByteBuffer memory = tensor instanceof TString ? null : memory(raw);
        if (memory == null || dtype(raw.dataType()).byteSize() < 0) {
            return toData(name, tensor);
        }
        return new TensorData(name, dtype(raw.dataType()), Shape.of(raw.shape().asArray()),
                memory.order(ByteOrder.LITTLE_ENDIAN));
    }

    /**
     * The tensor's native memory as a buffer (valid while the tensor is open), or null when its
     * storage is not native memory.
     */
    private static ByteBuffer memory(RawTensor raw) {
        long size = raw.numBytes();
        if (size == 0) {
            return null;
        }
        return raw.data().accept(new DataStorageVisitor<ByteBuffer>() {
            @Override
            public ByteBuffer visit(long address, long length, long scale) {
                // ndarray reaches the memory through Unsafe
                return address != 0 && length == size && scale == 1 ? new NativeMemory(address, size).asByteBuffer()
                        : null;
            }

            @Override
            public ByteBuffer visit(ByteBuffer buffer) {
                // ndarray could not use Unsafe and wrapped the memory in a direct buffer
                return buffer.isDirect() && buffer.remaining() == size ? buffer.duplicate() : null;
            }

            @Override
            public ByteBuffer fallback() {
                return null;
            }
        });
    }

    /** A view of native memory, counted in bytes, that JavaCPP turns into a direct buffer; it owns nothing. */
    private static final class NativeMemory extends BytePointer {

        NativeMemory(long address, long size) {
            this.address = address;
            this.capacity = size;
            this.limit = size;
        }
    }
}
