package org.tensorscope.onnx.internal.load;

/**
 * A TensorProto of the model file (an initializer or the value of a Constant node), kept as its
 * place in the file so that its values are decoded only when asked for.
 *
 * @param name     the tensor's name in the ONNX graph
 * @param dataType ONNX element type (TensorProto.DataType)
 * @param dims     shape
 * @param offset   where the TensorProto message starts in the file
 * @param length   its length in bytes
 * @param external whether its values live in a separate file (data_location EXTERNAL)
 */
public record StoredTensor(String name, int dataType, long[] dims, int offset, int length, boolean external) {

    public StoredTensor {
        dims = dims.clone();
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    public StoredTensor named(String newName) {
        return new StoredTensor(newName, dataType, dims, offset, length, external);
    }
}
