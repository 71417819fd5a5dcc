package org.tensorscope.core.internal.worker;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tensorscope.core.model.DType;
import org.tensorscope.core.model.ModelGraph;
import org.tensorscope.core.model.OpNode;
import org.tensorscope.core.model.OpRole;
import org.tensorscope.core.model.Shape;
import org.tensorscope.core.model.Signature;
import org.tensorscope.core.model.SignatureTensor;
import org.tensorscope.core.model.TensorSpec;
import org.tensorscope.core.model.WeightInfo;
import org.tensorscope.core.service.BackendInfo;
import org.tensorscope.core.service.DeviceInfo;
import org.tensorscope.core.service.RuntimeRewrite;
import org.tensorscope.core.tensor.TensorData;
import org.tensorscope.core.trace.LoopHealth;
import org.tensorscope.core.trace.TensorHealth;
import org.tensorscope.core.trace.Trace;
import org.tensorscope.core.trace.UncheckedTensor;

/**
 * The worker protocol's encoding of the backend API's values, written field by field so that
 * nothing but these types can cross the boundary (no Java serialization).
 */
final class Wire {

    /** Longest string or tensor the other side may announce, so a broken stream cannot allocate without limit. */
    private static final int MAX_BYTES = Integer.MAX_VALUE - 16;

    /** How a tensor's bytes travel: in the frame, or in the frame's shared area. */
    private static final byte INLINE = 0;
    private static final byte SHARED = 1;

    private Wire() {
    }

    static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static String readString(DataInputStream in) throws IOException {
        return new String(readBytes(in), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_BYTES) {
            throw new IOException("broken worker stream (length " + length + ")");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    static void writeStrings(DataOutputStream out, List<String> values) throws IOException {
        out.writeInt(values.size());
        for (String value : values) {
            writeString(out, value);
        }
    }

    static List<String> readStrings(DataInputStream in) throws IOException {
        int count = readCount(in);
        List<String> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(readString(in));
        }
        return values;
    }

    private static int readCount(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("broken worker stream (count " + count + ")");
        }
        return count;
    }

    static void writeStringMap(DataOutputStream out, Map<String, String> map) throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<String, String> entry : map.entrySet()) {
            writeString(out, entry.getKey());
            writeString(out, entry.getValue());
        }
    }

    static Map<String, String> readStringMap(DataInputStream in) throws IOException {
        int count = readCount(in);
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            map.put(readString(in), readString(in));
        }
        return map;
    }

    static void writeShape(DataOutputStream out, Shape shape) throws IOException {
        if (shape == null || shape.dims() == null) {
            out.writeInt(shape == null ? -1 : -2); // no shape, or one of unknown rank
            return;
        }
        long[] dims = shape.dims();
        out.writeInt(dims.length);
        for (long dim : dims) {
            out.writeLong(dim);
        }
    }

    static Shape readShape(DataInputStream in) throws IOException {
        int rank = in.readInt();
        if (rank < 0) {
            return rank == -1 ? null : new Shape(null);
        }
        long[] dims = new long[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = in.readLong();
        }
        return new Shape(dims);
    }

    static void writeTensor(DataOutputStream out, TensorData tensor) throws IOException {
        writeString(out, tensor.name());
        out.writeInt(tensor.dtype().ordinal());
        writeShape(out, tensor.shape());
        ByteBuffer bytes = tensor.bytes();
        int length = bytes.remaining();
        out.writeInt(length);
        SharedArea area = out instanceof Frame.Output frame ? frame.tensors() : null;
        SharedArea.Placed placed = area != null && length >= SharedArea.INLINE_BELOW ? area.put(bytes) : null;
        if (placed != null) {
            out.writeByte(SHARED);
            out.writeLong(placed.offset());
            out.writeLong(placed.write());
            return;
        }
        out.writeByte(INLINE);
        if (bytes.hasArray()) {
            out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), length);
        } else {
            byte[] chunk = new byte[Math.min(length, 1 << 20)];
            while (bytes.hasRemaining()) {
                int n = Math.min(chunk.length, bytes.remaining());
                bytes.get(chunk, 0, n);
                out.write(chunk, 0, n);
            }
        }
    }

    static TensorData readTensor(DataInputStream in) throws IOException {
        String name = readString(in);
        DType dtype = DType.values()[in.readInt()];
        Shape shape = readShape(in);
        int length = in.readInt();
        if (length < 0 || length > MAX_BYTES) {
            throw new IOException("broken worker stream (length " + length + ")");
        }
        ByteBuffer bytes;
        if (in.readByte() == SHARED) {
            if (!(in instanceof Frame.Input frame) || frame.tensors() == null) {
                throw new IOException("broken worker stream (a shared tensor without a shared area)");
            }
            long offset = in.readLong();
            bytes = frame.take(offset, length, in.readLong());
        } else {
            byte[] array = new byte[length];
            in.readFully(array);
            bytes = ByteBuffer.wrap(array).order(ByteOrder.LITTLE_ENDIAN);
        }
        return new TensorData(name, dtype, shape, bytes);
    }

    static void writeTensors(DataOutputStream out, Map<String, TensorData> tensors) throws IOException {
        out.writeInt(tensors.size());
        for (Map.Entry<String, TensorData> entry : tensors.entrySet()) {
            writeString(out, entry.getKey());
            writeTensor(out, entry.getValue());
        }
    }

    static Map<String, TensorData> readTensors(DataInputStream in) throws IOException {
        int count = readCount(in);
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            tensors.put(readString(in), readTensor(in));
        }
        return tensors;
    }

    private static void writeSpec(DataOutputStream out, TensorSpec spec) throws IOException {
        writeString(out, spec.name());
        out.writeInt(spec.dtype().ordinal());
        writeShape(out, spec.shape());
    }

    private static TensorSpec readSpec(DataInputStream in) throws IOException {
        return new TensorSpec(readString(in), DType.values()[in.readInt()], readShape(in));
    }

    private static void writeOps(DataOutputStream out, List<OpNode> ops) throws IOException {
        out.writeInt(ops.size());
        for (OpNode op : ops) {
            writeString(out, op.name());
            writeString(out, op.type());
            writeString(out, op.device());
            writeStringMap(out, op.attributes());
            writeStrings(out, op.inputs());
            out.writeInt(op.outputs().size());
            for (TensorSpec spec : op.outputs()) {
                writeSpec(out, spec);
            }
            out.writeInt(op.role().ordinal());
            writeString(out, op.canonicalType());
        }
    }

    private static List<OpNode> readOps(DataInputStream in) throws IOException {
        int count = readCount(in);
        List<OpNode> ops = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = readString(in);
            String type = readString(in);
            String device = readString(in);
            Map<String, String> attributes = readStringMap(in);
            List<String> inputs = readStrings(in);
            int outputCount = readCount(in);
            List<TensorSpec> outputs = new ArrayList<>(outputCount);
            for (int k = 0; k < outputCount; k++) {
                outputs.add(readSpec(in));
            }
            OpRole role = OpRole.values()[in.readInt()];
            ops.add(new OpNode(name, type, device, attributes, inputs, outputs, role, readString(in)));
        }
        return ops;
    }

    static void writeGraph(DataOutputStream out, ModelGraph graph) throws IOException {
        writeString(out, graph.source().toString());
        writeString(out, graph.format());
        writeOps(out, graph.ops());
        out.writeInt(graph.signatures().size());
        for (Signature signature : graph.signatures()) {
            writeString(out, signature.key());
            writeSignatureTensors(out, signature.inputs());
            writeSignatureTensors(out, signature.outputs());
        }
        out.writeInt(graph.weights().size());
        for (WeightInfo weight : graph.weights()) {
            writeString(out, weight.opName());
            out.writeInt(weight.dtype().ordinal());
            writeShape(out, weight.shape());
            out.writeLong(weight.bytes());
            out.writeLong(weight.nonFiniteCount());
        }
        writeOps(out, graph.libraryOps());
    }

    private static void writeSignatureTensors(DataOutputStream out, List<SignatureTensor> tensors) throws IOException {
        out.writeInt(tensors.size());
        for (SignatureTensor tensor : tensors) {
            writeString(out, tensor.key());
            writeSpec(out, tensor.tensor());
        }
    }

    private static List<SignatureTensor> readSignatureTensors(DataInputStream in) throws IOException {
        int count = readCount(in);
        List<SignatureTensor> tensors = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            tensors.add(new SignatureTensor(readString(in), readSpec(in)));
        }
        return tensors;
    }

    static ModelGraph readGraph(DataInputStream in) throws IOException {
        Path source = Path.of(readString(in));
        String format = readString(in);
        List<OpNode> ops = readOps(in);
        int signatureCount = readCount(in);
        List<Signature> signatures = new ArrayList<>(signatureCount);
        for (int i = 0; i < signatureCount; i++) {
            signatures.add(new Signature(readString(in), readSignatureTensors(in), readSignatureTensors(in)));
        }
        int weightCount = readCount(in);
        List<WeightInfo> weights = new ArrayList<>(weightCount);
        for (int i = 0; i < weightCount; i++) {
            weights.add(new WeightInfo(readString(in), DType.values()[in.readInt()], readShape(in), in.readLong(),
                    in.readLong()));
        }
        return new ModelGraph(source, format, ops, signatures, weights, readOps(in));
    }

    /** The trace's rows, coverage and outputs; the graph stays on each side. */
    static void writeTrace(DataOutputStream out, Trace trace) throws IOException {
        out.writeInt(trace.rows().size());
        for (TensorHealth row : trace.rows()) {
            writeString(out, row.tensor());
            writeString(out, row.opType());
            writeString(out, row.device());
            out.writeLong(row.elements());
            out.writeLong(row.nanCount());
            out.writeLong(row.negInfCount());
            out.writeLong(row.posInfCount());
            out.writeDouble(row.min());
            out.writeDouble(row.max());
            out.writeDouble(row.mean());
            out.writeDouble(row.std());
            out.writeLong(row.micros());
            out.writeLong(row.zeroCount());
        }
        out.writeInt(trace.unchecked().size());
        for (UncheckedTensor unchecked : trace.unchecked()) {
            writeString(out, unchecked.tensor());
            writeString(out, unchecked.reason());
        }
        out.writeInt(trace.loops().size());
        for (Map.Entry<String, LoopHealth> entry : trace.loops().entrySet()) {
            LoopHealth loop = entry.getValue();
            writeString(out, entry.getKey());
            writeString(out, loop.loop());
            out.writeLong(loop.iterations());
            out.writeLong(loop.firstNonFiniteIteration());
        }
        writeTensors(out, trace.outputs());
        out.writeInt(trace.notProbed().size());
        for (Map.Entry<String, String> entry : trace.notProbed().entrySet()) {
            writeString(out, entry.getKey());
            writeString(out, entry.getValue());
        }
        out.writeBoolean(trace.outputsAsPlainRun());
    }

    static Trace readTrace(DataInputStream in, ModelGraph graph) throws IOException {
        int rowCount = readCount(in);
        List<TensorHealth> rows = new ArrayList<>(rowCount);
        for (int i = 0; i < rowCount; i++) {
            rows.add(new TensorHealth(readString(in), readString(in), readString(in), in.readLong(), in.readLong(),
                    in.readLong(), in.readLong(), in.readDouble(), in.readDouble(), in.readDouble(),
                    in.readDouble(), in.readLong(), in.readLong()));
        }
        int uncheckedCount = readCount(in);
        List<UncheckedTensor> unchecked = new ArrayList<>(uncheckedCount);
        for (int i = 0; i < uncheckedCount; i++) {
            unchecked.add(new UncheckedTensor(readString(in), readString(in)));
        }
        int loopCount = readCount(in);
        Map<String, LoopHealth> loops = new LinkedHashMap<>();
        for (int i = 0; i < loopCount; i++) {
            loops.put(readString(in), new LoopHealth(readString(in), in.readLong(), in.readLong()));
        }
        Map<String, TensorData> outputs = readTensors(in);
        int notProbedCount = readCount(in);
        Map<String, String> notProbed = new LinkedHashMap<>();
        for (int i = 0; i < notProbedCount; i++) {
            notProbed.put(readString(in), readString(in));
        }
        return new Trace(graph, rows, unchecked, loops, outputs, notProbed, in.readBoolean());
    }

    static void writeRewrites(DataOutputStream out, List<RuntimeRewrite> rewrites) throws IOException {
        out.writeInt(rewrites.size());
        for (RuntimeRewrite rewrite : rewrites) {
            writeString(out, rewrite.op());
            writeString(out, rewrite.kernel());
            writeStrings(out, rewrite.replaced());
        }
    }

    static List<RuntimeRewrite> readRewrites(DataInputStream in) throws IOException {
        int count = readCount(in);
        List<RuntimeRewrite> rewrites = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            rewrites.add(new RuntimeRewrite(readString(in), readString(in), readStrings(in)));
        }
        return rewrites;
    }

    static void writeBackendInfo(DataOutputStream out, BackendInfo info) throws IOException {
        writeString(out, info.framework());
        writeString(out, info.version());
        out.writeInt(info.devices().size());
        for (DeviceInfo device : info.devices()) {
            writeString(out, device.name());
            writeString(out, device.kind());
            writeString(out, device.description());
        }
    }

    static BackendInfo readBackendInfo(DataInputStream in) throws IOException {
        String framework = readString(in);
        String version = readString(in);
        int count = readCount(in);
        List<DeviceInfo> devices = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            devices.add(new DeviceInfo(readString(in), readString(in), readString(in)));
        }
        return new BackendInfo(framework, version, devices);
    }
}
