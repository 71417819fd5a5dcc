package org.tensorscope.onnx.internal.load;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.osgi.service.component.annotations.Component;
import org.tensorscope.core.Tensorscope;
import org.tensorscope.core.service.ModelFiles;
import org.tensorscope.core.service.ModelLoadException;
import org.tensorscope.core.service.ModelLoader;
import org.tensorscope.onnx.internal.OnnxModel;

import com.google.protobuf.InvalidProtocolBufferException;

/**
 * Reads an ONNX model ({@code .onnx}): a protobuf ModelProto, read at the wire level.
 */
@Component(service = ModelLoader.class, property = { Tensorscope.PROP_FORMAT + "=" + OnnxModelLoader.FORMAT,
        Tensorscope.PROP_FILE_PATTERNS + "=*.onnx" })
public class OnnxModelLoader implements ModelLoader {

    public static final String FORMAT = "ONNX";

    /** A ModelProto written by any exporter starts with ir_version (field 1, varint), 3 to 15 so far. */
    private static final int IR_VERSION_TAG = 0x08;

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public boolean canLoad(Path path) {
        if (!Files.isRegularFile(path)) {
            return false;
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".onnx")) {
            return true;
        }
        // Unknown extensions are sniffed; TensorFlow's .pb files are left to its loaders, as a
        // SavedModel starts with the same bytes (schema version 1, then a message field).
        if (name.endsWith(".pb") || name.endsWith(".pbtxt") || name.endsWith(".json")) {
            return false;
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] head = in.readNBytes(3);
            return head.length == 3 && head[0] == IR_VERSION_TAG && head[1] >= 3 && head[1] <= 15
                    && (head[2] == 0x12 || head[2] == 0x1a || head[2] == 0x3a || head[2] == 0x42);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public OnnxModel load(Path path, IProgressMonitor monitor) throws ModelLoadException {
        SubMonitor progress = SubMonitor.convert(monitor, "Reading " + path.getFileName(), 3);
        byte[] bytes = ModelFiles.readNonEmpty(path);
        progress.split(1);
        OnnxModelFile file;
        try {
            file = new OnnxProtoReader(bytes).readModel();
        } catch (InvalidProtocolBufferException e) {
            throw new ModelLoadException(path, "not a valid ONNX model: " + problem(e), e);
        } catch (IOException e) {
            throw new ModelLoadException(path, "not a valid ONNX model: " + e.getMessage(), e);
        }
        refuseExternalData(path, file.graph());
        progress.split(1);
        OnnxGraphConverter.Converted converted;
        try {
            converted = OnnxGraphConverter.convert(path, FORMAT, bytes, file);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelLoadException(path, "not a valid ONNX model: " + problem(e), e);
        } catch (IOException e) {
            throw new ModelLoadException(path, "not a valid ONNX model: " + e.getMessage(), e);
        }
        progress.split(1);
        return new OnnxModel(bytes, file, converted.graph(), converted.names(), converted.storedTensors(),
                converted.main());
    }

    /**
     * Values in a separate file (ONNX external data) would be read by ONNX Runtime from wherever
     * the file names, outside Tensorscope's checks; such models are refused, in every subgraph too.
     */
    private static void refuseExternalData(Path path, OnnxGraph main) throws ModelLoadException {
        java.util.Deque<OnnxGraph> pending = new java.util.ArrayDeque<>(java.util.List.of(main));
        while (!pending.isEmpty()) {
            OnnxGraph graph = pending.pop();
            for (StoredTensor tensor : graph.initializers()) {
                if (tensor.external()) {
                    throw new ModelLoadException(path, "initializer " + tensor.name() + " keeps its values in a separate "
                            + "file (ONNX external data), which Tensorscope does not read; save the model with its data "
                            + "inside (onnx.save_model(model, path, save_as_external_data=False))");
                }
            }
            graph.nodes().forEach(node -> pending.addAll(node.subgraphs().values()));
        }
    }

    /** protobuf's own messages run to several sentences about its API; say what they mean instead. */
    private static String problem(InvalidProtocolBufferException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.contains("ended unexpectedly") || message.contains("truncated")) {
            return "the file ends in the middle of a field (truncated?)";
        }
        if (message.contains("invalid tag") || message.contains("invalid wire type") || message.contains("malformed")
                || message.contains("negative size") || message.contains("too large")) {
            return "the protobuf is corrupt";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
