package org.tensorscope.onnx.internal.run;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;

/**
 * Makes intermediate tensors fetchable: ONNX Runtime returns only graph outputs, so the model is
 * re-serialized with more names appended to graph.output. A ValueInfoProto holding only the name
 * is enough; ONNX Runtime infers the type. Every other field is copied byte for byte.
 */
final class GraphOutputsRewriter {

    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_OUTPUT = 12;
    private static final int VALUE_INFO_NAME = 1;

    private GraphOutputsRewriter() {
    }

    static byte[] withOutputs(byte[] model, List<String> extraOutputs) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(model);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(model.length + extraOutputs.size() * 48);
        CodedOutputStream out = CodedOutputStream.newInstance(buffer);
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(tag) == MODEL_GRAPH) {
                byte[] graph = in.readByteArray();
                int extraSize = 0;
                for (String name : extraOutputs) {
                    int valueInfoSize = CodedOutputStream.computeStringSize(VALUE_INFO_NAME, name);
                    extraSize += CodedOutputStream.computeTagSize(GRAPH_OUTPUT)
                            + CodedOutputStream.computeUInt32SizeNoTag(valueInfoSize) + valueInfoSize;
                }
                out.writeTag(MODEL_GRAPH, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                out.writeUInt32NoTag(graph.length + extraSize);
                out.writeRawBytes(graph);
                for (String name : extraOutputs) {
                    out.writeTag(GRAPH_OUTPUT, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                    out.writeUInt32NoTag(CodedOutputStream.computeStringSize(VALUE_INFO_NAME, name));
                    out.writeString(VALUE_INFO_NAME, name);
                }
            } else {
                in.skipField(tag, out);
            }
        }
        out.flush();
        return buffer.toByteArray();
    }
}
