package org.tensorscope.onnx.internal.run;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.tensor.TensorData;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;

/**
 * Converts between Tensorscope's tensors and ONNX Runtime's, copying their bytes.
 */
final class OrtTensors {

    private OrtTensors() {
    }

    private static OnnxJavaType javaType(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> OnnxJavaType.FLOAT;
            case FLOAT64 -> OnnxJavaType.DOUBLE;
            case FLOAT16 -> OnnxJavaType.FLOAT16;
            case BFLOAT16 -> OnnxJavaType.BFLOAT16;
            case INT8 -> OnnxJavaType.INT8;
            case UINT8 -> OnnxJavaType.UINT8;
            case INT16 -> OnnxJavaType.INT16;
            case INT32 -> OnnxJavaType.INT32;
            case INT64 -> OnnxJavaType.INT64;
            case BOOL -> OnnxJavaType.BOOL;
            default -> throw new IllegalArgumentException(dtype.displayName() + " tensors cannot be fed to ONNX Runtime yet");
        };
    }

    /** A new ONNX Runtime tensor holding a copy of the data; the caller closes it. */
    static OnnxTensor toTensor(OrtEnvironment env, TensorData data) throws OrtException {
        ByteBuffer source = data.bytes();
        ByteBuffer copy = ByteBuffer.allocateDirect(source.remaining()).order(ByteOrder.nativeOrder());
        copy.put(source.order(ByteOrder.LITTLE_ENDIAN)).flip();
        return OnnxTensor.createTensor(env, copy, data.shape().dims(), javaType(data.dtype()));
    }

    /** The element type of a result. */
    static DType dtype(OnnxTensor tensor) {
        return switch (tensor.getInfo().type) {
            case FLOAT -> DType.FLOAT32;
            case DOUBLE -> DType.FLOAT64;
            case FLOAT16 -> DType.FLOAT16;
            case BFLOAT16 -> DType.BFLOAT16;
            case INT8 -> DType.INT8;
            case UINT8 -> DType.UINT8;
            case INT16 -> DType.INT16;
            case INT32 -> DType.INT32;
            case INT64 -> DType.INT64;
            case BOOL -> DType.BOOL;
            case STRING -> DType.STRING;
            default -> DType.OTHER;
        };
    }

    /** A copy of a result's values, named "op:k". */
    static TensorData toData(String name, OnnxTensor tensor) {
        TensorInfo info = tensor.getInfo();
        DType dtype = dtype(tensor);
        if (dtype.byteSize() < 0) {
            throw new IllegalArgumentException("Tensor " + name + " holds " + info.onnxType
                    + " values, which Tensorscope cannot show");
        }
        ByteBuffer values = tensor.getByteBuffer();
        ByteBuffer target = ByteBuffer.allocateDirect(values.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        // ONNX Runtime hands out native order, which is little-endian on every platform it ships natives for
        target.put(values).flip();
        return new TensorData(name, dtype, Shape.of(info.getShape()), target);
    }
}
