package org.tensorscope.onnx.internal.load;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.tensorscope.core.model.Shape;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;

/**
 * Reads an ONNX ModelProto at the protobuf wire level, keeping only the fields Tensorscope uses.
 * Field numbers are those of onnx.proto; unknown fields are skipped, as protobuf itself would.
 */
public final class OnnxProtoReader {

    private static final int MAX_SUMMARY_VALUES = 8;

    private final byte[] bytes;

    public OnnxProtoReader(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Reads the whole model; throws when the bytes are not a well-formed ModelProto. */
    public OnnxModelFile readModel() throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        long irVersion = 0;
        String producer = "";
        Map<String, Long> opsets = new LinkedHashMap<>();
        OnnxGraph graph = null;
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> irVersion = varint(in, tag, "ir_version");
                case 2 -> producer = readString(in, tag, "producer_name");
                case 7 -> graph = readGraph(message(in, tag, "graph"));
                case 8 -> readOpset(message(in, tag, "opset_import"), opsets);
                default -> in.skipField(tag);
            }
        }
        if (graph == null) {
            throw new IOException("it holds no graph");
        }
        return new OnnxModelFile(irVersion, producer, opsets, graph);
    }

    /** Where a length-delimited field's payload lies in {@link #bytes}. */
    private record Slice(int offset, int length) {
    }

    private Slice message(CodedInputStream in, int tag, String field) throws IOException {
        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, field);
        int length = in.readRawVarint32();
        int offset = in.getTotalBytesRead();
        if (length < 0 || offset + length > bytes.length) {
            throw new InvalidProtocolBufferException("the file is truncated");
        }
        in.skipRawBytes(length);
        return new Slice(offset, length);
    }

    /**
     * A stream over one nested message. It starts at the array's start and skips to the message so
     * that {@link CodedInputStream#getTotalBytesRead()} stays an offset into the whole file.
     */
    private CodedInputStream open(Slice slice) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes, 0, slice.offset() + slice.length());
        in.skipRawBytes(slice.offset());
        return in;
    }

    private static long varint(CodedInputStream in, int tag, String field) throws IOException {
        expect(tag, WireFormat.WIRETYPE_VARINT, field);
        return in.readInt64();
    }

    private static float fixed32Float(CodedInputStream in, int tag, String field) throws IOException {
        expect(tag, WireFormat.WIRETYPE_FIXED32, field);
        return in.readFloat();
    }

    private static void expect(int tag, int wireType, String field) throws IOException {
        if (WireFormat.getTagWireType(tag) != wireType) {
            throw new IOException("field " + field + " has the wrong wire type");
        }
    }

    private static String readString(CodedInputStream in, int tag, String field) throws IOException {
        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, field);
        return in.readString();
    }

    private void readOpset(Slice slice, Map<String, Long> opsets) throws IOException {
        CodedInputStream in = open(slice);
        String domain = "";
        long version = 0;
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> domain = readString(in, tag, "opset_import.domain");
                case 2 -> version = varint(in, tag, "opset_import.version");
                default -> in.skipField(tag);
            }
        }
        opsets.put(domain, version);
    }

    private OnnxGraph readGraph(Slice slice) throws IOException {
        CodedInputStream in = open(slice);
        String name = "";
        List<OnnxNode> nodes = new ArrayList<>();
        List<StoredTensor> initializers = new ArrayList<>();
        List<OnnxValueInfo> inputs = new ArrayList<>();
        List<OnnxValueInfo> outputs = new ArrayList<>();
        List<OnnxValueInfo> valueInfos = new ArrayList<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> nodes.add(readNode(message(in, tag, "graph.node")));
                case 2 -> name = readString(in, tag, "graph.name");
                case 5 -> initializers.add(readTensor(message(in, tag, "graph.initializer")));
                case 11 -> inputs.add(readValueInfo(message(in, tag, "graph.input")));
                case 12 -> outputs.add(readValueInfo(message(in, tag, "graph.output")));
                case 13 -> valueInfos.add(readValueInfo(message(in, tag, "graph.value_info")));
                default -> in.skipField(tag);
            }
        }
        return new OnnxGraph(name, nodes, initializers, inputs, outputs, valueInfos, slice.offset(), slice.length());
    }

    private OnnxNode readNode(Slice slice) throws IOException {
        CodedInputStream in = open(slice);
        String name = "";
        String opType = "";
        String domain = "";
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        List<OnnxAttribute> attributes = new ArrayList<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> inputs.add(readString(in, tag, "node.input"));
                case 2 -> outputs.add(readString(in, tag, "node.output"));
                case 3 -> name = readString(in, tag, "node.name");
                case 4 -> opType = readString(in, tag, "node.op_type");
                case 5 -> attributes.add(readAttribute(message(in, tag, "node.attribute")));
                case 7 -> domain = readString(in, tag, "node.domain");
                default -> in.skipField(tag);
            }
        }
        if (opType.isEmpty()) {
            throw new IOException("node '" + name + "' has no op type");
        }
        return new OnnxNode(name, opType, domain, inputs, outputs, attributes, slice.offset(), slice.length());
    }

    private OnnxAttribute readAttribute(Slice slice) throws IOException {
        CodedInputStream in = open(slice);
        String name = "";
        List<String> values = new ArrayList<>();
        boolean list = false;
        StoredTensor tensor = null;
        List<OnnxGraph> subgraphs = new ArrayList<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = WireFormat.getTagFieldNumber(tag);
            int wire = WireFormat.getTagWireType(tag);
            switch (field) {
                case 1 -> name = readString(in, tag, "attribute.name");
                case 2 -> values.add(shortFloat(fixed32Float(in, tag, "attribute.f")));
                case 3 -> values.add(Long.toString(varint(in, tag, "attribute.i")));
                case 4 -> values.add(quoted(readString(in, tag, "attribute.s")));
                case 5 -> {
                    tensor = readTensor(message(in, tag, "attribute.t"));
                    values.add("<tensor " + OnnxDataTypes.dtype(tensor.dataType()).displayName() + " "
                            + Shape.of(tensor.dims()) + ">");
                }
                case 6 -> subgraphs.add(readGraph(message(in, tag, "attribute.g")));
                case 7 -> {
                    list = true;
                    if (wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                        for (float f : packedFloats(in)) {
                            values.add(shortFloat(f));
                        }
                    } else {
                        values.add(shortFloat(fixed32Float(in, tag, "attribute.floats")));
                    }
                }
                case 8 -> {
                    list = true;
                    if (wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                        for (long v : packedVarints(in)) {
                            values.add(Long.toString(v));
                        }
                    } else {
                        values.add(Long.toString(varint(in, tag, "attribute.ints")));
                    }
                }
                case 9 -> {
                    list = true;
                    values.add(quoted(readString(in, tag, "attribute.strings")));
                }
                case 11 -> {
                    list = true;
                    subgraphs.add(readGraph(message(in, tag, "attribute.graphs")));
                }
                default -> in.skipField(tag);
            }
        }
        for (OnnxGraph g : subgraphs) {
            values.add("<subgraph " + (g.name().isEmpty() ? "" : g.name() + ": ") + g.nodes().size() + " nodes>");
        }
        return new OnnxAttribute(name, summary(values, list), tensor, subgraphs);
    }

    private static String summary(List<String> values, boolean list) {
        if (!list && values.size() == 1) {
            return values.get(0);
        }
        String shown = values.stream().limit(MAX_SUMMARY_VALUES).collect(Collectors.joining(", "));
        return "[" + shown + (values.size() > MAX_SUMMARY_VALUES ? ", … (" + values.size() + " values)" : "") + "]";
    }

    private static String quoted(String s) {
        return "\"" + s + "\"";
    }

    private static String shortFloat(float f) {
        return f == Math.rint(f) && Math.abs(f) < 1e7 ? Long.toString((long) f) : Float.toString(f);
    }

    /** The values are read as they come, never allocated from the declared length, which may lie. */
    private static float[] packedFloats(CodedInputStream in) throws IOException {
        int length = in.readRawVarint32();
        if (length % 4 != 0) {
            throw new IOException("a packed float list has a length that is not a multiple of 4");
        }
        int limit = in.pushLimit(length);
        java.nio.FloatBuffer values = java.nio.FloatBuffer.allocate(Math.min(length / 4, 1024));
        while (in.getBytesUntilLimit() > 0) {
            if (!values.hasRemaining()) {
                values = java.nio.FloatBuffer.allocate(values.capacity() * 2).put(values.flip());
            }
            values.put(in.readFloat());
        }
        in.popLimit(limit);
        float[] result = new float[values.position()];
        values.flip().get(result);
        return result;
    }

    private static List<Long> packedVarints(CodedInputStream in) throws IOException {
        int length = in.readRawVarint32();
        int limit = in.pushLimit(length);
        List<Long> values = new ArrayList<>();
        while (in.getBytesUntilLimit() > 0) {
            values.add(in.readInt64());
        }
        in.popLimit(limit);
        return values;
    }

    private StoredTensor readTensor(Slice slice) throws IOException {
        CodedInputStream in = open(slice);
        String name = "";
        int dataType = 0;
        List<Long> dims = new ArrayList<>();
        boolean external = false;
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> {
                    if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                        dims.addAll(packedVarints(in));
                    } else {
                        dims.add(varint(in, tag, "tensor.dims"));
                    }
                }
                case 2 -> dataType = (int) varint(in, tag, "tensor.data_type");
                case 8 -> name = readString(in, tag, "tensor.name");
                case 14 -> external = ((int) varint(in, tag, "tensor.data_location")) == 1;
                default -> in.skipField(tag);
            }
        }
        return new StoredTensor(name, dataType, dims.stream().mapToLong(Long::longValue).toArray(), slice.offset(),
                slice.length(), external);
    }

    private OnnxValueInfo readValueInfo(Slice slice) throws IOException {
        CodedInputStream in = open(slice);
        String name = "";
        int[] elemType = { 0 };
        Shape[] shape = { Shape.unknownRank() };
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> name = readString(in, tag, "value_info.name");
                case 2 -> readType(message(in, tag, "value_info.type"), elemType, shape);
                default -> in.skipField(tag);
            }
        }
        return new OnnxValueInfo(name, elemType[0], shape[0]);
    }

    /** TypeProto: only tensor_type (field 1) carries an element type and shape Tensorscope can show. */
    private void readType(Slice slice, int[] elemType, Shape[] shape) throws IOException {
        CodedInputStream in = open(slice);
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(tag) == 1) {
                CodedInputStream tensorType = open(message(in, tag, "type.tensor_type"));
                int inner;
                while ((inner = tensorType.readTag()) != 0) {
                    switch (WireFormat.getTagFieldNumber(inner)) {
                        case 1 -> elemType[0] = (int) varint(tensorType, inner, "tensor_type.elem_type");
                        case 2 -> shape[0] = readShape(message(tensorType, inner, "tensor_type.shape"));
                        default -> tensorType.skipField(inner);
                    }
                }
            } else {
                in.skipField(tag);
            }
        }
    }

    /** TensorShapeProto: dim (1) each with dim_value (1) or dim_param (2, a symbolic, unknown size). */
    private Shape readShape(Slice slice) throws IOException {
        CodedInputStream in = open(slice);
        List<Long> dims = new ArrayList<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(tag) == 1) {
                CodedInputStream dim = open(message(in, tag, "shape.dim"));
                long value = Shape.UNKNOWN;
                int inner;
                while ((inner = dim.readTag()) != 0) {
                    if (WireFormat.getTagFieldNumber(inner) == 1) {
                        value = varint(dim, inner, "dim.dim_value");
                    } else {
                        dim.skipField(inner);
                    }
                }
                dims.add(value < 0 ? Shape.UNKNOWN : value);
            } else {
                in.skipField(tag);
            }
        }
        return Shape.of(dims.stream().mapToLong(Long::longValue).toArray());
    }
}
